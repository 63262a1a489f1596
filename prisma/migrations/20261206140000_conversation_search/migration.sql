-- Search over what was said, inside PostgreSQL (and PGlite): full-text search over message text and
-- session names, and trigrams for partial session names.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- btree_gin lets one GIN index hold the owner next to the words, so one person's matches are a
-- single index scan instead of every person's matches filtered afterwards.
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- The words of each message, stored: ranking reads them instead of parsing every matching text again
-- (parsing is most of a search's cost once a word is in thousands of messages). Generated, so every
-- write keeps it current whoever makes it. Hand-managed: schema.prisma does not list it.
ALTER TABLE "messages" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "text")) STORED;
CREATE INDEX "messages_search_idx" ON "messages" USING GIN ("user_id", "search_vector");

-- Session names are few per person: an expression index is enough. The query writes the same expression.
CREATE INDEX "sessions_name_search_idx" ON "sessions" USING GIN ("user_id", to_tsvector('english'::regconfig, coalesce("name", '')));
CREATE INDEX "sessions_name_trgm_idx" ON "sessions" USING GIN ("name" gin_trgm_ops);
