-- AlterTable
ALTER TABLE "ai_model_settings" ADD COLUMN     "reembedding_error" TEXT,
ADD COLUMN     "reembedding_model" TEXT,
ADD COLUMN     "reembedding_started_at" TIMESTAMPTZ(3),
ADD COLUMN     "serving_embedding_model" TEXT,
ADD COLUMN     "serving_embedding_provider_id" UUID;

-- AlterTable
ALTER TABLE "knowledge_chunks" ADD COLUMN     "pending_embedding" vector(1536),
ADD COLUMN     "pending_embedding_model" TEXT;


-- The rest is hand-written.

-- Re-embedding for a new embedding model (the admin's models page): each chunk gets its vector from
-- the new model beside the one search uses, and all are swapped at once when every chunk has one, so
-- search never compares a query with vectors of two models. A pending vector always names its model;
-- a pending model without a vector means that model embedded the text as all zeros.
ALTER TABLE "knowledge_chunks" ADD CONSTRAINT "knowledge_chunks_pending_embedding_model_check"
  CHECK ("pending_embedding" IS NULL OR "pending_embedding_model" IS NOT NULL);
ALTER TABLE "ai_model_settings" ADD CONSTRAINT "ai_model_settings_reembedding_check"
  CHECK (("reembedding_model" IS NULL) = ("serving_embedding_model" IS NULL)
         AND ("serving_embedding_provider_id" IS NULL OR "serving_embedding_model" IS NOT NULL));

-- The progress count (rows that still lack a vector of the new model) reads this.
CREATE INDEX "knowledge_chunks_pending_embedding_model_idx" ON "knowledge_chunks" ("pending_embedding_model");

-- An embedding belongs to the text it was computed from, the pending one too: a changed text clears
-- whichever vector the writer did not set in the same statement (as before for `embedding`).
CREATE OR REPLACE FUNCTION knowledge_chunks_clear_stale_embedding() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.embedding_text IS DISTINCT FROM OLD.embedding_text THEN
    IF NEW.embedding IS NOT DISTINCT FROM OLD.embedding THEN
      NEW.embedding := NULL;
      NEW.embedding_model := NULL;
    END IF;
    IF NEW.pending_embedding IS NOT DISTINCT FROM OLD.pending_embedding
       AND NEW.pending_embedding_model IS NOT DISTINCT FROM OLD.pending_embedding_model THEN
      NEW.pending_embedding := NULL;
      NEW.pending_embedding_model := NULL;
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
