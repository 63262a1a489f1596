-- Search over what was said, inside PostgreSQL (and PGlite): full-text indexes over message text and
-- session names, and trigrams for partial session names. Expression indexes rather than stored
-- columns, so the messages table keeps its shape and the index follows every write by itself.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- btree_gin lets one GIN index hold the owner next to the words, so one person's matches are a
-- single index scan instead of every person's matches filtered afterwards.
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- The expressions must stay exactly as the search queries write them, or the planner cannot use them.
CREATE INDEX "messages_search_idx" ON "messages" USING GIN ("user_id", to_tsvector('english'::regconfig, "text"));
CREATE INDEX "sessions_name_search_idx" ON "sessions" USING GIN ("user_id", to_tsvector('english'::regconfig, coalesce("name", '')));
CREATE INDEX "sessions_name_trgm_idx" ON "sessions" USING GIN ("name" gin_trgm_ops);
