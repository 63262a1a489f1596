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

-- Under row-level security PostgreSQL uses an index only for conditions whose operator is LEAKPROOF
-- (it may not run anything that could reveal a row before the policy has passed it), and the
-- full-text match operator is not marked so: every search would read the whole table. Matching a
-- tsvector against a tsquery only answers true or false and raises no error that depends on the
-- data, so it is marked leakproof. This needs a superuser (as the migrations' role is here and on
-- PGlite); without one, search still answers correctly, only without the index.
DO $$
BEGIN
  ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'ts_match_vq could not be marked LEAKPROOF (not a superuser): search will not use messages_search_idx under row-level security';
END $$;
