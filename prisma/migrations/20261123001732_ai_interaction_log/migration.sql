-- The AI interaction log's admin list, stats and retention (issue "AI core"). Generated from
-- schema.prisma, then the grant at the end was added by hand.
--
-- ai_interactions_created_at_id_idx replaces the plain created_at index: the admin list orders by
-- (created_at desc, id desc) and pages with the keyset (created_at, id) < (...), which this index
-- serves directly, ties included; stats and retention scan created_at ranges through it too.
-- ai_interactions_model_name_created_at_idx serves the list filtered by model, newest first.
-- No index for the latency sort: it orders by latency_ms DESC NULLS LAST, which schema.prisma cannot
-- declare (a hand-written one would be dropped by the next schema diff); the admin tool sorts by
-- latency within a time range, which the created_at index narrows first.

-- DropIndex
DROP INDEX "ai_interactions_created_at_idx";

-- CreateIndex
CREATE INDEX "ai_interactions_created_at_id_idx" ON "ai_interactions"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "ai_interactions_model_name_created_at_idx" ON "ai_interactions"("model_name", "created_at");

-- Operators delete single interactions from the admin tool (admin.interactions.delete, audited),
-- which runs as lockstep_admin; until now it could only read the log. Responses go with their
-- interaction by ON DELETE CASCADE; the cascade runs with the table owner's rights, but the grant
-- on ai_responses keeps an explicit delete of a response possible and says who may remove log data.
GRANT DELETE ON "ai_interactions", "ai_responses" TO lockstep_admin;
