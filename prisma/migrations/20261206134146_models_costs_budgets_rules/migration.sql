-- Rules for the models, prices, usage and budget tables that schema.prisma cannot express: value
-- checks, one limit per role or person and period and metric, who may read and change what, and
-- row-level security on the tables that belong to one person.

ALTER TABLE "ai_model_settings" ADD CONSTRAINT "ai_model_settings_single_row" CHECK ("id" = 1);
ALTER TABLE "ai_interactions" ADD CONSTRAINT "ai_interactions_cost_basis_check"
  CHECK ("cost_basis" IS NULL OR "cost_basis" IN ('PRICED', 'FREE', 'NO_PRICE'));
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_values_check"
  CHECK ("input_per_million" >= 0 AND "output_per_million" >= 0
         AND ("cached_input_per_million" IS NULL OR "cached_input_per_million" >= 0)
         AND length("pattern") BETWEEN 1 AND 200 AND "currency" ~ '^[A-Z]{3}$');
ALTER TABLE "usage_limits" ADD CONSTRAINT "usage_limits_owner_check" CHECK (("role" IS NULL) <> ("user_id" IS NULL));
ALTER TABLE "usage_limits" ADD CONSTRAINT "usage_limits_values_check"
  CHECK ("period" IN ('DAILY', 'MONTHLY') AND "metric" IN ('CALLS', 'TOKENS', 'COST') AND "amount" >= 0
         AND "soft_threshold" > 0 AND "soft_threshold" <= 1);
ALTER TABLE "usage_counters" ADD CONSTRAINT "usage_counters_period_check" CHECK ("period" IN ('DAILY', 'MONTHLY'));
ALTER TABLE "usage_alerts" ADD CONSTRAINT "usage_alerts_values_check"
  CHECK ("period" IN ('DAILY', 'MONTHLY') AND "metric" IN ('CALLS', 'TOKENS', 'COST') AND "level" IN ('SOFT', 'HARD'));
CREATE UNIQUE INDEX "usage_limits_role_key" ON "usage_limits" ("role", "period", "metric") WHERE "user_id" IS NULL;
CREATE UNIQUE INDEX "usage_limits_user_key" ON "usage_limits" ("user_id", "period", "metric") WHERE "user_id" IS NOT NULL;

-- The provider's encrypted key is read by the server as the owner, and by operators' queries only
-- to say whether one is set (their selects name columns; the DTO has no key); the application
-- role that serves people cannot select it at all.
REVOKE SELECT ON "providers" FROM lockstep_app;
GRANT SELECT ("id", "name", "kind", "base_url", "created_at", "updated_at", "models", "configured")
  ON "providers" TO lockstep_app;
GRANT INSERT, UPDATE, DELETE ON "providers" TO lockstep_admin;
GRANT SELECT, INSERT, UPDATE ON "ai_model_settings" TO lockstep_admin;
GRANT SELECT ON "ai_model_settings", "model_prices" TO lockstep_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "model_prices" TO lockstep_admin;
GRANT UPDATE ("chat_model", "updated_at") ON "characters" TO lockstep_admin;
GRANT SELECT ON "usage_daily", "usage_counters", "usage_alerts" TO lockstep_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON "usage_limits" TO lockstep_admin;

-- A person's own usage, counters, alerts and limits (their own and their role's).
GRANT SELECT ON "usage_daily", "usage_limits" TO lockstep_app;
GRANT SELECT, INSERT, UPDATE ON "usage_counters", "usage_alerts" TO lockstep_app;
ALTER TABLE "usage_daily" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "usage_daily" FORCE ROW LEVEL SECURITY;
CREATE POLICY "usage_daily_select_own" ON "usage_daily" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
ALTER TABLE "usage_counters" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "usage_counters" FORCE ROW LEVEL SECURITY;
CREATE POLICY "usage_counters_select_own" ON "usage_counters" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
CREATE POLICY "usage_counters_insert_own" ON "usage_counters" FOR INSERT TO lockstep_app WITH CHECK ("user_id" = app_current_user_id());
CREATE POLICY "usage_counters_update_own" ON "usage_counters" FOR UPDATE TO lockstep_app
  USING ("user_id" = app_current_user_id()) WITH CHECK ("user_id" = app_current_user_id());
ALTER TABLE "usage_alerts" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "usage_alerts" FORCE ROW LEVEL SECURITY;
CREATE POLICY "usage_alerts_select_own" ON "usage_alerts" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
CREATE POLICY "usage_alerts_insert_own" ON "usage_alerts" FOR INSERT TO lockstep_app WITH CHECK ("user_id" = app_current_user_id());
CREATE POLICY "usage_alerts_update_own" ON "usage_alerts" FOR UPDATE TO lockstep_app
  USING ("user_id" = app_current_user_id()) WITH CHECK ("user_id" = app_current_user_id());
ALTER TABLE "usage_limits" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "usage_limits" FORCE ROW LEVEL SECURITY;
CREATE POLICY "usage_limits_select_own" ON "usage_limits" FOR SELECT TO lockstep_app
  USING ("user_id" IS NULL OR "user_id" = app_current_user_id());
-- Operators bypass row-level security (BYPASSRLS), as on every other table.

-- The cost of one call at its time: FREE for the built-in provider and OCR, PRICED by the most
-- specific price pattern (longest; '*' is any run of characters) in effect at p_at, NO_PRICE
-- otherwise. The log's finish write and the re-pricing job both use it, so they cannot disagree.
CREATE OR REPLACE FUNCTION ai_call_cost(p_provider uuid, p_operation "AiOperation", p_model text, p_at timestamptz,
                                        p_input int, p_output int)
RETURNS TABLE (cost numeric, currency text, basis text, price_id uuid)
LANGUAGE sql STABLE AS $$
  SELECT c.cost, c.currency, c.basis, c.price_id FROM (
    SELECT 0 AS rank, 0::numeric AS cost, 'USD'::text AS currency, 'FREE'::text AS basis, NULL::uuid AS price_id
     WHERE p_operation = 'OCR' OR EXISTS (SELECT 1 FROM providers WHERE id = p_provider AND kind = 'BUILTIN')
    UNION ALL
    (SELECT 1, (coalesce(p_input, 0) * mp.input_per_million + coalesce(p_output, 0) * mp.output_per_million) / 1000000,
            mp.currency, 'PRICED', mp.id
       FROM model_prices mp
      WHERE mp.effective_from <= p_at
        AND lower(p_model) LIKE replace(replace(lower(mp.pattern), '_', '\_'), '*', '%')
      ORDER BY length(mp.pattern) DESC, mp.effective_from DESC
      LIMIT 1)
    UNION ALL
    SELECT 2, NULL::numeric, NULL::text, 'NO_PRICE', NULL::uuid) c
  ORDER BY c.rank
  LIMIT 1
$$;
