-- AlterTable
ALTER TABLE "ai_interactions" ADD COLUMN     "cost" DECIMAL(20,10),
ADD COLUMN     "cost_basis" TEXT,
ADD COLUMN     "cost_currency" TEXT,
ADD COLUMN     "price_id" UUID;

-- AlterTable
ALTER TABLE "characters" ADD COLUMN     "chat_model" TEXT;

-- AlterTable
ALTER TABLE "providers" ADD COLUMN     "api_key_ciphertext" TEXT,
ADD COLUMN     "configured" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "models" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "ai_model_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "chat_provider_id" UUID,
    "chat_model" TEXT,
    "embedding_provider_id" UUID,
    "embedding_model" TEXT,
    "vision_provider_id" UUID,
    "vision_model" TEXT,
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_model_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_prices" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "pattern" TEXT NOT NULL,
    "input_per_million" DECIMAL(18,6) NOT NULL,
    "cached_input_per_million" DECIMAL(18,6),
    "output_per_million" DECIMAL(18,6) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_prices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_daily" (
    "day" DATE NOT NULL,
    "user_id" TEXT NOT NULL,
    "model_name" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "cost" DECIMAL(20,10) NOT NULL,
    "unpriced_calls" INTEGER NOT NULL,

    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("day","user_id","model_name")
);

-- CreateTable
CREATE TABLE "usage_limits" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "role" "Role",
    "user_id" TEXT,
    "period" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "amount" DECIMAL(20,6) NOT NULL,
    "soft_threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.8,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_limits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_counters" (
    "user_id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "period_start" DATE NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "usage_counters_pkey" PRIMARY KEY ("user_id","period","period_start")
);

-- CreateTable
CREATE TABLE "usage_alerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "period_start" DATE NOT NULL,
    "level" TEXT NOT NULL,
    "used" DECIMAL(20,6) NOT NULL,
    "amount" DECIMAL(20,6) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "model_prices_effective_from_idx" ON "model_prices"("effective_from");

-- CreateIndex
CREATE UNIQUE INDEX "model_prices_pattern_effective_from_key" ON "model_prices"("pattern", "effective_from");

-- CreateIndex
CREATE INDEX "usage_daily_user_id_day_idx" ON "usage_daily"("user_id", "day");

-- CreateIndex
CREATE INDEX "usage_limits_user_id_idx" ON "usage_limits"("user_id");

-- CreateIndex
CREATE INDEX "usage_alerts_created_at_idx" ON "usage_alerts"("created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "usage_alerts_user_id_period_metric_period_start_level_key" ON "usage_alerts"("user_id", "period", "metric", "period_start", "level");

-- AddForeignKey
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_limits" ADD CONSTRAINT "usage_limits_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_counters" ADD CONSTRAINT "usage_counters_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_alerts" ADD CONSTRAINT "usage_alerts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
