-- Knowledge ingestion (kb:ingest, admin.knowledge.*): which model made each embedding, the rules that
-- keep an embedding true to its text, and the operators' right to write chunks.

-- Vectors of different models live in different spaces: a query embedded by one model must only be
-- compared with chunks embedded by the same one, so each row says which model made its vector
-- (generated from schema.prisma; the rest of this file is hand-written).
ALTER TABLE "knowledge_chunks" ADD COLUMN "embedding_model" TEXT;

-- A vector without its model cannot be searched safely, and a model without a vector means nothing.
ALTER TABLE "knowledge_chunks"
  ADD CONSTRAINT "knowledge_chunks_embedding_model_check" CHECK (("embedding" IS NULL) = ("embedding_model" IS NULL));

-- An embedding belongs to the text it was computed from. Any writer that changes embedding_text but
-- not the vector (the seed, a hand edit) leaves a vector of the old text that search would still
-- match; clearing it instead makes the row visibly unembedded, and embedMissingChunks fills it in.
-- Writers that re-embed set the new vector in a second statement (see writeKnowledgeChanges).
CREATE OR REPLACE FUNCTION knowledge_chunks_clear_stale_embedding() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.embedding_text IS DISTINCT FROM OLD.embedding_text AND NEW.embedding IS NOT DISTINCT FROM OLD.embedding THEN
    NEW.embedding := NULL;
    NEW.embedding_model := NULL;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER knowledge_chunks_stale_embedding_trigger
  BEFORE UPDATE OF embedding_text ON knowledge_chunks
  FOR EACH ROW
  EXECUTE FUNCTION knowledge_chunks_clear_stale_embedding();

-- Operators ingest knowledge files and switch chunks on and off from the admin tool
-- (admin.knowledge.ingest, admin.knowledge.setActive), which run as lockstep_admin. No DELETE: a
-- chunk that left its source is deactivated, so answers that cited it can still be explained.
GRANT INSERT, UPDATE ON "knowledge_chunks" TO lockstep_admin;
