-- What schema.prisma cannot express: the vector index, the engagement triggers and the rules that
-- are facts about the data (CHECK constraints). Hand-written; the schema diff ignores all of it.

-- Approximate nearest-neighbour search over chunk embeddings (cosine distance, seed 003 section 3.6).
CREATE INDEX "knowledge_chunks_embedding_hnsw_idx"
  ON "knowledge_chunks" USING hnsw ("embedding" vector_cosine_ops);

-- Engagement stats are kept by the database, not by application code (seed 001 section 1.7).
-- A session counts once, when it ends; the increment is a single UPDATE, so concurrent ends of
-- sessions of the same engagement queue on the row lock and none is lost.
CREATE OR REPLACE FUNCTION update_engagement_on_session_end() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.engagement_id IS NOT NULL AND OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL THEN
    UPDATE engagements
       SET total_sessions = total_sessions + 1,
           last_interaction_at = GREATEST(COALESCE(last_interaction_at, NEW.ended_at), NEW.ended_at),
           updated_at = now()
     WHERE id = NEW.engagement_id;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER session_end_trigger
  AFTER UPDATE OF ended_at ON sessions
  FOR EACH ROW
  EXECUTE FUNCTION update_engagement_on_session_end();

-- Message counts stay in step as messages come and go, so reads never recount them.
CREATE OR REPLACE FUNCTION count_engagement_messages() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT engagement_id INTO target FROM sessions WHERE id = NEW.session_id;
    IF target IS NOT NULL THEN
      UPDATE engagements
         SET total_messages = total_messages + 1,
             last_interaction_at = GREATEST(COALESCE(last_interaction_at, NEW."timestamp"), NEW."timestamp"),
             updated_at = now()
       WHERE id = target;
    END IF;
    RETURN NEW;
  END IF;
  SELECT engagement_id INTO target FROM sessions WHERE id = OLD.session_id;
  IF target IS NOT NULL THEN
    UPDATE engagements SET total_messages = GREATEST(total_messages - 1, 0), updated_at = now() WHERE id = target;
  END IF;
  RETURN OLD;
END;
$$;

CREATE TRIGGER message_count_trigger
  AFTER INSERT OR DELETE ON messages
  FOR EACH ROW
  EXECUTE FUNCTION count_engagement_messages();

-- Facts about the data.
ALTER TABLE "ai_interactions"
  ADD CONSTRAINT "ai_interactions_latency_ms_check" CHECK ("latency_ms" IS NULL OR "latency_ms" >= 0),
  ADD CONSTRAINT "ai_interactions_ttft_check" CHECK ("time_to_first_token_ms" IS NULL OR "time_to_first_token_ms" >= 0),
  ADD CONSTRAINT "ai_interactions_tokens_check" CHECK (COALESCE("input_tokens", 0) >= 0 AND COALESCE("output_tokens", 0) >= 0);

ALTER TABLE "engagements"
  ADD CONSTRAINT "engagements_counts_check" CHECK ("total_sessions" >= 0 AND "total_messages" >= 0);

ALTER TABLE "messages"
  ADD CONSTRAINT "messages_text_not_blank_check" CHECK (char_length(btrim("text")) > 0);

ALTER TABLE "sessions"
  ADD CONSTRAINT "sessions_deleted_inactive_check" CHECK ("deleted_at" IS NULL OR "is_active" = false);

ALTER TABLE "knowledge_chunks"
  ADD CONSTRAINT "knowledge_chunks_phase_check" CHECK ("phase" IS NULL OR "phase" BETWEEN 1 AND 4);

ALTER TABLE "uploads"
  ADD CONSTRAINT "uploads_dimensions_check" CHECK ("bytes" > 0 AND "width" > 0 AND "height" > 0);

ALTER TABLE "memory_events"
  ADD CONSTRAINT "memory_events_importance_check" CHECK ("importance" BETWEEN 1 AND 5);
