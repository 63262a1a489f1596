-- DropIndex
DROP INDEX "messages_session_id_timestamp_idx";

-- DropIndex
DROP INDEX "sessions_user_id_created_at_idx";

-- DropIndex
DROP INDEX "sessions_user_id_last_activity_idx";

-- CreateIndex
CREATE INDEX "messages_session_id_timestamp_id_idx" ON "messages"("session_id", "timestamp", "id");

-- CreateIndex
CREATE INDEX "messages_collection_ids_idx" ON "messages" USING GIN ("collection_ids");

-- CreateIndex
CREATE INDEX "sessions_user_id_created_at_id_idx" ON "sessions"("user_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "sessions_user_id_last_activity_id_idx" ON "sessions"("user_id", "last_activity", "id");

-- CreateIndex
CREATE INDEX "sessions_user_id_is_pinned_last_activity_id_idx" ON "sessions"("user_id", "is_pinned", "last_activity", "id");
