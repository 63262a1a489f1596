// Hourly rollups of the AI interaction log for the admin overview: rebuilding recent hours from the log, trimming them with retention, and reading them back as histograms.
//
// Exact percentiles (percentile_cont) over a month of a busy log sort millions of values; the
// rollups keep, per hour, provider, model, operation and status, the number of calls and tokens in
// each log-scale latency bin (and time-to-first-token bins for successful calls). Counts, error
// rates and token sums read from them are exact; percentiles are interpolated inside a bin, whose
// width is LATENCY_BIN_RATIO - 1 (10%) of its value, so they are within a few percent.
import type { Database } from "../connection.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";

/** Each bin spans [R^(b-1), R^b) milliseconds for b >= 1; bin 0 holds values below 1 ms; -1 means none. */
export const LATENCY_BIN_RATIO = 1.1;
/** Hours before the last rolled-up one that each run rebuilds, so calls that finish late are counted as they ended. */
export const ROLLUP_RECHECK_HOURS = 48;
const HOUR_MS = 3_600_000;

/** The bin of a millisecond column, in SQL. */
export function binSql(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(CASE WHEN ${column} IS NULL THEN -1 WHEN ${column} < 1 THEN 0 ELSE 1 + floor(ln(${column}::float8) / ln(${LATENCY_BIN_RATIO}::float8))::int END)`;
}

/** The [low, high) milliseconds of a bin. */
export function binBounds(bin: number): [number, number] {
  if (bin <= 0) return [0, 1];
  return [LATENCY_BIN_RATIO ** (bin - 1), LATENCY_BIN_RATIO ** bin];
}

/**
 * The percentiles of a histogram (bin -> count), the way percentile_cont computes them: the rank
 * p * (n - 1) lies between the values of ranks floor and ceil, and the result is interpolated
 * between them. Each value is estimated from its bin, the k-th of a bin's n values sitting at
 * (k + 0.5) / n of its width. null for an empty histogram.
 */
export function histogramPercentiles(histogram: ReadonlyMap<number, number>, ps: readonly number[]): (number | null)[] {
  const bins = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = bins.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return ps.map(() => null);
  const valueAt = (k: number): number => {
    let before = 0;
    for (const [bin, n] of bins) {
      if (k < before + n) {
        const [low, high] = binBounds(bin);
        return low + ((k - before + 0.5) / n) * (high - low);
      }
      before += n;
    }
    return binBounds(bins.at(-1)?.[0] ?? 0)[1];
  };
  return ps.map((p) => {
    const rank = p * (total - 1);
    const lower = Math.floor(rank);
    const below = valueAt(lower);
    return rank === lower ? below : below + (rank - lower) * (valueAt(lower + 1) - below);
  });
}

export interface RollupWindow {
  /** Whole hours [from, until) the rollups hold completely. */
  from: Date;
  until: Date;
}

export async function readRollupWindow(tx: ScopedTx): Promise<RollupWindow | null> {
  const row = await tx.aiInteractionRollupState.findUnique({
    where: { id: 1 },
    select: { rolledFrom: true, rolledUntil: true },
  });
  return row && row.rolledFrom < row.rolledUntil ? { from: row.rolledFrom, until: row.rolledUntil } : null;
}

/** Replaces the rollups of the hours [from, until) with what the log holds now. */
async function rebuildHours(tx: ScopedTx, from: Date, until: Date): Promise<void> {
  await tx.$executeRaw`DELETE FROM ai_interaction_rollups WHERE hour >= ${from} AND hour < ${until}`;
  await tx.$executeRaw`DELETE FROM ai_interaction_ttft_rollups WHERE hour >= ${from} AND hour < ${until}`;
  await tx.$executeRaw`
    INSERT INTO ai_interaction_rollups (hour, provider_id, model_name, operation, status, latency_bin, calls, input_tokens, output_tokens)
    SELECT date_trunc('hour', i.created_at), i.provider_id, i.model_name, i.operation, i.status, ${binSql(Prisma.sql`i.latency_ms`)},
           count(*)::int, COALESCE(sum(i.input_tokens), 0), COALESCE(sum(i.output_tokens), 0)
      FROM ai_interactions i
     WHERE i.created_at >= ${from} AND i.created_at < ${until} AND i.deleted_at IS NULL
     GROUP BY 1, 2, 3, 4, 5, 6`;
  await tx.$executeRaw`
    INSERT INTO ai_interaction_ttft_rollups (hour, provider_id, model_name, operation, ttft_bin, calls)
    SELECT date_trunc('hour', i.created_at), i.provider_id, i.model_name, i.operation, ${binSql(Prisma.sql`i.time_to_first_token_ms`)}, count(*)::int
      FROM ai_interactions i
     WHERE i.created_at >= ${from} AND i.created_at < ${until} AND i.deleted_at IS NULL
       AND i.status = 'SUCCESS' AND i.time_to_first_token_ms IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5`;
}

/**
 * Brings the rollups up to the last whole hour before `now`: the first run rolls up everything the
 * log holds, later runs rebuild the last ROLLUP_RECHECK_HOURS hours they covered plus the new ones.
 * One transaction, so the overview never reads half a rebuild. Runs as the owner (a job, not a request).
 */
export async function refreshAiInteractionRollups(
  db: Database,
  options: { now?: Date } = {},
): Promise<RollupWindow | null> {
  const until = new Date(Math.floor((options.now ?? new Date()).getTime() / HOUR_MS) * HOUR_MS);
  return db.prisma.$transaction(
    async (tx) => {
      // Two refreshes at once (two servers) would rebuild the same hours; the second waits.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ai_interaction_rollups'))`;
      const state = await readRollupWindow(tx);
      let from: Date;
      if (state) {
        from = new Date(Math.max(state.from.getTime(), state.until.getTime() - ROLLUP_RECHECK_HOURS * HOUR_MS));
      } else {
        const oldest = await tx.$queryRaw<{ at: Date | null }[]>`SELECT min(created_at) AS at FROM ai_interactions`;
        const at = oldest[0]?.at;
        if (!at) return null;
        from = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
      }
      if (from >= until) return state;
      await tx.$executeRaw`SELECT set_config('work_mem', '64MB', true)`;
      await rebuildHours(tx, from, until);
      const rolledFrom = state ? state.from : from;
      await tx.aiInteractionRollupState.upsert({
        where: { id: 1 },
        create: { id: 1, rolledFrom, rolledUntil: until },
        update: { rolledFrom, rolledUntil: until },
      });
      return { from: rolledFrom, until };
    },
    { timeout: 600_000, maxWait: 10_000 },
  );
}

/** Rebuilds the hour holding `at` if the rollups cover it (after one call was deleted from the log). */
export async function rebuildRollupHour(tx: ScopedTx, at: Date): Promise<void> {
  const state = await readRollupWindow(tx);
  const hour = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
  if (!state || hour < state.from || hour >= state.until) return;
  await rebuildHours(tx, hour, new Date(hour.getTime() + HOUR_MS));
}

/**
 * After retention deleted calls created before `cutoff`: rollups of hours that are gone, or only
 * partly left, are dropped, and the covered range starts at the first whole hour after the cutoff.
 */
export async function trimRollupsBefore(db: Database, cutoff: Date): Promise<void> {
  const firstWhole = new Date(Math.ceil(cutoff.getTime() / HOUR_MS) * HOUR_MS);
  await db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ai_interaction_rollups'))`;
    await tx.$executeRaw`DELETE FROM ai_interaction_rollups WHERE hour < ${firstWhole}`;
    await tx.$executeRaw`DELETE FROM ai_interaction_ttft_rollups WHERE hour < ${firstWhole}`;
    await tx.$executeRaw`
      UPDATE ai_interaction_rollup_state SET rolled_from = GREATEST(rolled_from, LEAST(${firstWhole}, rolled_until)), updated_at = now()`;
  });
}
