-- CreateTable
CREATE TABLE "ai_interaction_rollups" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "provider_id" UUID NOT NULL,
    "model_name" TEXT NOT NULL,
    "operation" "AiOperation" NOT NULL,
    "status" "AiInteractionStatus" NOT NULL,
    "latency_bin" SMALLINT NOT NULL,
    "calls" INTEGER NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,

    CONSTRAINT "ai_interaction_rollups_pkey" PRIMARY KEY ("hour","provider_id","model_name","operation","status","latency_bin")
);

-- CreateTable
CREATE TABLE "ai_interaction_ttft_rollups" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "provider_id" UUID NOT NULL,
    "model_name" TEXT NOT NULL,
    "operation" "AiOperation" NOT NULL,
    "ttft_bin" SMALLINT NOT NULL,
    "calls" INTEGER NOT NULL,

    CONSTRAINT "ai_interaction_ttft_rollups_pkey" PRIMARY KEY ("hour","provider_id","model_name","operation","ttft_bin")
);

-- CreateTable
CREATE TABLE "ai_interaction_rollup_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "rolled_from" TIMESTAMPTZ(3) NOT NULL,
    "rolled_until" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_interaction_rollup_state_pkey" PRIMARY KEY ("id")
);


-- Hand-written below.
-- The admin list's slowest-first order is latency_ms DESC NULLS LAST, id DESC, which schema.prisma
-- cannot declare (HAND_MANAGED_OBJECTS keeps the schema diff from dropping it); without it the first
-- page of that order sorts the whole log.
CREATE INDEX "ai_interactions_latency_id_idx" ON "ai_interactions" ("latency_ms" DESC NULLS LAST, "id" DESC);

-- Prompt groups (admin.interactions.groups) count and measure calls per prompt_hash from this index
-- alone (an index-only scan, no visit to the wide rows), and find each group's newest call in it.
-- Partial and with INCLUDE columns, which schema.prisma cannot declare either.
CREATE INDEX "ai_interactions_prompt_groups_idx" ON "ai_interactions" ("prompt_hash", "created_at" DESC, "id" DESC)
  INCLUDE ("status", "latency_ms", "provider_id", "model_name", "operation")
  WHERE "deleted_at" IS NULL AND "prompt_hash" IS NOT NULL;

ALTER TABLE "ai_interaction_rollup_state" ADD CONSTRAINT "ai_interaction_rollup_state_single_row" CHECK ("id" = 1);
ALTER TABLE "ai_interaction_rollup_state" ADD CONSTRAINT "ai_interaction_rollup_state_whole_hours"
  CHECK ("rolled_from" <= "rolled_until" AND date_trunc('hour', "rolled_from") = "rolled_from" AND date_trunc('hour', "rolled_until") = "rolled_until");

-- Operators read the rollups (admin.interactions.overview); admin.interactions.delete rebuilds the
-- hour of the call it removed. The rollup job itself runs as the owner.
GRANT SELECT ON "ai_interaction_rollups", "ai_interaction_ttft_rollups", "ai_interaction_rollup_state" TO lockstep_admin;
GRANT INSERT, DELETE ON "ai_interaction_rollups", "ai_interaction_ttft_rollups" TO lockstep_admin;
