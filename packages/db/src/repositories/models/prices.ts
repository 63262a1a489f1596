// The price table (per model-name pattern, from a date on), the public prices it is seeded with,
// re-pricing a past range, and the daily usage rollups per person and model.
import { fromEpochMs, toEpochMs, type TPrice, type TPriceInput } from "@lockstep/contracts";
import type { Database } from "../../connection.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { ScopedTx } from "../../scoped.ts";

const priceSelect = {
  id: true,
  pattern: true,
  inputPerMillion: true,
  cachedInputPerMillion: true,
  outputPerMillion: true,
  currency: true,
  effectiveFrom: true,
  updatedAt: true,
} satisfies Prisma.ModelPriceSelect;
type PriceRow = Prisma.ModelPriceGetPayload<{ select: typeof priceSelect }>;

function toPrice(row: PriceRow): TPrice {
  return {
    id: row.id,
    pattern: row.pattern,
    inputPerMillion: row.inputPerMillion.toNumber(),
    cachedInputPerMillion: row.cachedInputPerMillion?.toNumber() ?? null,
    outputPerMillion: row.outputPerMillion.toNumber(),
    currency: row.currency,
    effectiveFrom: toEpochMs(row.effectiveFrom),
    updatedAt: toEpochMs(row.updatedAt),
  };
}

export async function listPrices(tx: ScopedTx): Promise<TPrice[]> {
  const rows = await tx.modelPrice.findMany({
    select: priceSelect,
    orderBy: [{ pattern: "asc" }, { effectiveFrom: "desc" }],
  });
  return rows.map(toPrice);
}

export async function getPrice(tx: ScopedTx, id: string): Promise<TPrice | null> {
  const row = await tx.modelPrice.findUnique({ where: { id }, select: priceSelect });
  return row ? toPrice(row) : null;
}

export async function priceExists(
  tx: ScopedTx,
  pattern: string,
  effectiveFrom: number,
  exceptId?: string,
): Promise<boolean> {
  const row = await tx.modelPrice.findUnique({
    where: { pattern_effectiveFrom: { pattern, effectiveFrom: fromEpochMs(effectiveFrom) } },
    select: { id: true },
  });
  return !!row && row.id !== exceptId;
}

type PriceValues = Required<Omit<TPriceInput, "cachedInputPerMillion" | "currency">> & {
  cachedInputPerMillion: number | null;
  currency: string;
};

function priceData(input: PriceValues) {
  return {
    pattern: input.pattern,
    inputPerMillion: input.inputPerMillion,
    cachedInputPerMillion: input.cachedInputPerMillion,
    outputPerMillion: input.outputPerMillion,
    currency: input.currency,
    effectiveFrom: fromEpochMs(input.effectiveFrom),
  };
}

export async function insertPrice(tx: ScopedTx, input: PriceValues): Promise<TPrice> {
  return toPrice(await tx.modelPrice.create({ data: priceData(input), select: priceSelect }));
}

export async function updatePriceRow(tx: ScopedTx, id: string, input: PriceValues): Promise<TPrice> {
  return toPrice(await tx.modelPrice.update({ where: { id }, data: priceData(input), select: priceSelect }));
}

export async function deletePriceRow(tx: ScopedTx, id: string): Promise<void> {
  await tx.modelPrice.delete({ where: { id }, select: { id: true } });
}

/** The date the seeded public prices were taken from (list prices per million tokens, USD). */
export const PRICE_SEED_DATE = "2025-06-15";

/**
 * Public list prices per million tokens (input, cached input, output) as of PRICE_SEED_DATE.
 * Longer patterns win, so `gpt-4o-mini*` prices gpt-4o-mini even though `gpt-4o*` matches it too.
 */
export const SEED_PRICES: readonly { pattern: string; input: number; cached: number | null; output: number }[] = [
  { pattern: "gpt-4o*", input: 2.5, cached: 1.25, output: 10 },
  { pattern: "gpt-4o-mini*", input: 0.15, cached: 0.075, output: 0.6 },
  { pattern: "gpt-4.1*", input: 2, cached: 0.5, output: 8 },
  { pattern: "gpt-4.1-mini*", input: 0.4, cached: 0.1, output: 1.6 },
  { pattern: "gpt-4.1-nano*", input: 0.1, cached: 0.025, output: 0.4 },
  { pattern: "gpt-4-turbo*", input: 10, cached: null, output: 30 },
  { pattern: "gpt-3.5-turbo*", input: 0.5, cached: null, output: 1.5 },
  { pattern: "o1*", input: 15, cached: 7.5, output: 60 },
  { pattern: "o1-mini*", input: 1.1, cached: 0.55, output: 4.4 },
  { pattern: "o3*", input: 2, cached: 0.5, output: 8 },
  { pattern: "o3-mini*", input: 1.1, cached: 0.55, output: 4.4 },
  { pattern: "o4-mini*", input: 1.1, cached: 0.275, output: 4.4 },
  { pattern: "text-embedding-3-small*", input: 0.02, cached: null, output: 0 },
  { pattern: "text-embedding-3-large*", input: 0.13, cached: null, output: 0 },
  { pattern: "text-embedding-ada-002*", input: 0.1, cached: null, output: 0 },
  { pattern: "claude-3-5-haiku*", input: 0.8, cached: 0.08, output: 4 },
  { pattern: "claude-3-5-sonnet*", input: 3, cached: 0.3, output: 15 },
  { pattern: "claude-3-7-sonnet*", input: 3, cached: 0.3, output: 15 },
  { pattern: "claude-sonnet-4*", input: 3, cached: 0.3, output: 15 },
  { pattern: "claude-opus-4*", input: 15, cached: 1.5, output: 75 },
  { pattern: "claude-3-opus*", input: 15, cached: 1.5, output: 75 },
  { pattern: "claude-3-haiku*", input: 0.25, cached: 0.03, output: 1.25 },
];

/** Adds the seeded prices that are missing (by pattern and date); idempotent. Returns how many it added. */
export async function seedPrices(db: Database): Promise<number> {
  const result = await db.prisma.modelPrice.createMany({
    data: SEED_PRICES.map((p) => ({
      pattern: p.pattern,
      inputPerMillion: p.input,
      cachedInputPerMillion: p.cached,
      outputPerMillion: p.output,
      currency: "USD",
      effectiveFrom: new Date(`${PRICE_SEED_DATE}T00:00:00Z`),
    })),
    skipDuplicates: true,
  });
  return result.count;
}

/**
 * Prices again every finished call in [from, to) from the current price table (as the owner, for
 * the re-pricing job), then rebuilds those days' usage rollups. Returns how many calls it priced.
 */
export async function repriceRange(db: Database, from: Date, to: Date): Promise<number> {
  const priced = await db.prisma.$executeRaw`
    UPDATE ai_interactions
       SET (cost, cost_currency, cost_basis, price_id) =
           (SELECT c.cost, c.currency, c.basis, c.price_id
              FROM ai_call_cost(provider_id, operation, model_name, created_at, input_tokens, cached_input_tokens, output_tokens) c)
     WHERE created_at >= ${from} AND created_at < ${to} AND status <> 'PENDING'`;
  await refreshUsageRollups(db, from, to);
  return priced;
}

// ------------------------------------------------------------------ usage rollups

/** Rebuilds usage_daily for the UTC days that [from, to) touches, from the log, in one transaction. */
export async function refreshUsageRollups(db: Database, from: Date, to: Date): Promise<void> {
  await db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('usage_daily'))`;
    await tx.$executeRaw`
      DELETE FROM usage_daily
       WHERE day >= (${from}::timestamptz AT TIME ZONE 'UTC')::date AND day <= (${to}::timestamptz AT TIME ZONE 'UTC')::date`;
    await tx.$executeRaw`
      INSERT INTO usage_daily (day, user_id, model_name, calls, input_tokens, output_tokens, cost, unpriced_calls)
      SELECT (created_at AT TIME ZONE 'UTC')::date, user_id, model_name, count(*)::int,
             coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cost), 0),
             (count(*) FILTER (WHERE cost_basis = 'NO_PRICE'))::int
        FROM ai_interactions
       WHERE user_id IS NOT NULL AND status <> 'PENDING'
         AND created_at >= date_trunc('day', ${from}::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
         AND created_at < (date_trunc('day', ${to}::timestamptz AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC'
       GROUP BY 1, 2, 3`;
  });
}

/**
 * Usage per day, person and model since `since`: the rollups for past days, and today's from the
 * log itself, so what a person just did shows at once (the rollup job runs every 10 minutes).
 */
function usageSource(since: Date, userId?: string): Prisma.Sql {
  const who = userId === undefined ? Prisma.empty : Prisma.sql`AND user_id = ${userId}`;
  return Prisma.sql`(
    SELECT day, user_id, model_name, calls, input_tokens, output_tokens, cost, unpriced_calls
      FROM usage_daily
     WHERE day >= (${since}::timestamptz AT TIME ZONE 'UTC')::date AND day < (now() AT TIME ZONE 'UTC')::date ${who}
    UNION ALL
    SELECT (now() AT TIME ZONE 'UTC')::date, user_id, model_name, count(*)::int,
           coalesce(sum(input_tokens), 0)::bigint, coalesce(sum(output_tokens), 0)::bigint, coalesce(sum(cost), 0),
           (count(*) FILTER (WHERE cost_basis = 'NO_PRICE'))::int
      FROM ai_interactions
     WHERE user_id IS NOT NULL AND status <> 'PENDING' ${who}
       AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
     GROUP BY user_id, model_name)`;
}

export interface UsageRow {
  day: string;
  modelName: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
  unpricedCalls: number;
}

/** One person's usage per day and model since `since` (from the rollups). */
export async function usageOf(tx: ScopedTx, userId: string, since: Date): Promise<UsageRow[]> {
  const rows = await tx.$queryRaw<
    {
      day: Date;
      model_name: string;
      calls: number;
      input_tokens: bigint;
      output_tokens: bigint;
      cost: string;
      unpriced_calls: number;
    }[]
  >`SELECT day, model_name, calls, input_tokens, output_tokens, cost::text AS cost, unpriced_calls
      FROM ${usageSource(since, userId)} u
     ORDER BY day DESC, model_name`;
  return rows.map((r) => ({
    day: r.day.toISOString().slice(0, 10),
    modelName: r.model_name,
    calls: r.calls,
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
    // Every call unpriced: no cost to show at all, rather than 0.
    cost: r.unpriced_calls === r.calls ? null : Number(r.cost),
    unpricedCalls: r.unpriced_calls,
  }));
}

/** Cost over time, by model and the top people, since `since` (from the rollups). */
export async function usageOverview(tx: ScopedTx, since: Date, top = 10) {
  const day = await tx.$queryRaw<{ day: Date; cost: string; calls: number; unpriced: number }[]>`
    SELECT day, sum(cost)::text AS cost, sum(calls)::int AS calls, sum(unpriced_calls)::int AS unpriced
      FROM ${usageSource(since)} u GROUP BY day ORDER BY day`;
  const model = await tx.$queryRaw<{ model_name: string; cost: string; calls: number; unpriced: number }[]>`
    SELECT model_name, sum(cost)::text AS cost, sum(calls)::int AS calls, sum(unpriced_calls)::int AS unpriced
      FROM ${usageSource(since)} u
     GROUP BY model_name ORDER BY sum(cost) DESC, model_name`;
  const users = await tx.$queryRaw<
    { user_id: string; email: string | null; cost: string; calls: number; unpriced: number }[]
  >`
    SELECT d.user_id, u.email, sum(d.cost)::text AS cost, sum(d.calls)::int AS calls,
           sum(d.unpriced_calls)::int AS unpriced
      FROM ${usageSource(since)} d LEFT JOIN users u ON u.id = d.user_id
     GROUP BY d.user_id, u.email ORDER BY sum(d.cost) DESC, d.user_id LIMIT ${top}`;
  return {
    byDay: day.map((r) => ({
      day: r.day.toISOString().slice(0, 10),
      cost: Number(r.cost),
      calls: r.calls,
      unpricedCalls: r.unpriced,
    })),
    byModel: model.map((r) => ({
      modelName: r.model_name,
      cost: r.unpriced === r.calls ? null : Number(r.cost),
      calls: r.calls,
      unpricedCalls: r.unpriced,
    })),
    topUsers: users.map((r) => ({
      userId: r.user_id,
      email: r.email,
      cost: r.unpriced === r.calls ? null : Number(r.cost),
      calls: r.calls,
      unpricedCalls: r.unpriced,
    })),
  };
}
