-- AlterTable
ALTER TABLE "ai_interactions" ADD COLUMN     "cached_input_tokens" INTEGER;


-- The rest is hand-written.

-- A count of cached tokens is part of the input count (OpenAI's prompt_tokens_details.cached_tokens),
-- so it can be neither negative nor more than the input.
ALTER TABLE "ai_interactions" ADD CONSTRAINT "ai_interactions_cached_input_tokens_check"
  CHECK ("cached_input_tokens" IS NULL OR ("cached_input_tokens" >= 0
         AND ("input_tokens" IS NULL OR "cached_input_tokens" <= "input_tokens")));

-- The cost of one call, now with the input tokens served from the provider's prompt cache priced at
-- the cached-input price (the input price when a model has none). Otherwise as before: FREE for
-- the built-in provider and OCR, PRICED by the most specific pattern in effect at p_at, NO_PRICE
-- otherwise. The log's finish write and the re-pricing job both use it, so they cannot disagree.
DROP FUNCTION IF EXISTS ai_call_cost(uuid, "AiOperation", text, timestamptz, int, int);
CREATE OR REPLACE FUNCTION ai_call_cost(p_provider uuid, p_operation "AiOperation", p_model text, p_at timestamptz,
                                        p_input int, p_cached int, p_output int)
RETURNS TABLE (cost numeric, currency text, basis text, price_id uuid)
LANGUAGE sql STABLE AS $$
  SELECT c.cost, c.currency, c.basis, c.price_id FROM (
    SELECT 0 AS rank, 0::numeric AS cost, 'USD'::text AS currency, 'FREE'::text AS basis, NULL::uuid AS price_id
     WHERE p_operation = 'OCR' OR EXISTS (SELECT 1 FROM providers WHERE id = p_provider AND kind = 'BUILTIN')
    UNION ALL
    (SELECT 1, ((coalesce(p_input, 0) - least(coalesce(p_cached, 0), coalesce(p_input, 0))) * mp.input_per_million
                + least(coalesce(p_cached, 0), coalesce(p_input, 0)) * coalesce(mp.cached_input_per_million, mp.input_per_million)
                + coalesce(p_output, 0) * mp.output_per_million) / 1000000,
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
