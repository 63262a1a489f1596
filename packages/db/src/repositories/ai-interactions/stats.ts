// The operators' measures of the log: stats per bucket and group, and the overview (exact from the log, or from the hourly rollups for long ranges).
import {
  AiOperation,
  type TAdminInteractionOverview,
  type TAdminInteractionStats,
  type TAiOperation,
  type TInteractionBreakdownEntry,
  type TInteractionStatsBucket,
  type TInteractionStatsGroupBy,
  type TInteractionStatsValues,
  INTERACTION_STATS_BUCKET_MS,
} from "@lockstep/contracts";
import { type $Enums, Prisma } from "../../generated/prisma/client.ts";
import type { ScopedTx } from "../../scoped.ts";
import { binSql, histogramPercentiles, readRollupWindow, type RollupWindow } from "../ai-rollups.ts";
import { filterSql } from "./filters.ts";

export interface AiInteractionStatsQuery {
  from: Date;
  to: Date;
  bucket: TInteractionStatsBucket;
  groupBy?: TInteractionStatsGroupBy | undefined;
}

interface StatsRow {
  bucket: Date | null;
  key: string | null;
  g_bucket: number;
  g_key: number;
  count: number;
  pending: number;
  success: number;
  error: number;
  timeout: number;
  cancelled: number;
  aborted: number;
  error_rate: number | null;
  latency: (number | null)[] | null;
  ttft: (number | null)[] | null;
  input_tokens: number;
  output_tokens: number;
}

const BUCKET_INTERVAL: Record<TInteractionStatsBucket, string> = { minute: "1 minute", hour: "1 hour", day: "1 day" };

/**
 * The measures of one slice, over the columns of a CTE `f` (status, latency_ms,
 * time_to_first_token_ms, input_tokens, output_tokens); shared by stats and overview so both
 * define error rate and percentiles the same way.
 */
const STATS_AGGREGATES = Prisma.sql`
           count(*)::int AS count,
           count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
           count(*) FILTER (WHERE status = 'SUCCESS')::int AS success,
           count(*) FILTER (WHERE status = 'ERROR')::int AS error,
           count(*) FILTER (WHERE status = 'TIMEOUT')::int AS timeout,
           count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
           count(*) FILTER (WHERE status = 'ABORTED')::int AS aborted,
           (count(*) FILTER (WHERE status IN ('ERROR', 'TIMEOUT', 'ABORTED')))::float8
             / NULLIF(count(*) FILTER (WHERE status IN ('SUCCESS', 'ERROR', 'TIMEOUT', 'ABORTED')), 0) AS error_rate,
           percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status = 'SUCCESS') AS latency,
           percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY time_to_first_token_ms) FILTER (WHERE status = 'SUCCESS') AS ttft,
           COALESCE(sum(input_tokens), 0)::float8 AS input_tokens,
           COALESCE(sum(output_tokens), 0)::float8 AS output_tokens`;

function toValues(row: StatsRow | undefined): TInteractionStatsValues {
  return {
    count: row?.count ?? 0,
    pending: row?.pending ?? 0,
    success: row?.success ?? 0,
    error: row?.error ?? 0,
    timeout: row?.timeout ?? 0,
    cancelled: row?.cancelled ?? 0,
    aborted: row?.aborted ?? 0,
    errors: (row?.error ?? 0) + (row?.timeout ?? 0) + (row?.aborted ?? 0),
    errorRate: row?.error_rate ?? null,
    latencyMs: { p50: row?.latency?.[0] ?? null, p95: row?.latency?.[1] ?? null, p99: row?.latency?.[2] ?? null },
    timeToFirstTokenMs: { p50: row?.ttft?.[0] ?? null, p95: row?.ttft?.[1] ?? null },
    inputTokens: row?.input_tokens ?? 0,
    outputTokens: row?.output_tokens ?? 0,
  };
}

/**
 * Counts, error rate, latency and time-to-first-token percentiles and token sums, for the whole
 * range, per time bucket, and (with groupBy) per provider, model or operation and per bucket of
 * each: one SQL statement with GROUPING SETS, so every number comes from the database.
 *
 * Definitions: errorRate = (error + timeout + aborted) / (success + error + timeout + aborted),
 * that is among calls that reached an outcome (pending and cancelled ones did not), null when
 * there are none. Latency and time-to-first-token percentiles (percentile_cont, interpolated) are
 * over successful calls only, so fast failures do not flatter them. Buckets are aligned to the
 * Unix epoch in UTC (date_bin), so day buckets start at UTC midnight; the overall series has every
 * bucket of [from, to), empty ones included, while per-group series list only buckets with calls.
 */
export async function aiInteractionStats(tx: ScopedTx, q: AiInteractionStatsQuery): Promise<TAdminInteractionStats> {
  const bucketMs = INTERACTION_STATS_BUCKET_MS[q.bucket];
  const groupBy = q.groupBy ?? null;
  const key =
    groupBy === "provider"
      ? Prisma.sql`p.name`
      : groupBy === "model"
        ? Prisma.sql`i.model_name`
        : groupBy === "operation"
          ? Prisma.sql`i.operation::text`
          : Prisma.sql`NULL::text`;
  const sets = groupBy
    ? Prisma.sql`GROUPING SETS ((), (bucket), (key), (bucket, key))`
    : Prisma.sql`GROUPING SETS ((), (bucket))`;
  const rows = await tx.$queryRaw<StatsRow[]>`
    WITH f AS (
      SELECT date_bin(${BUCKET_INTERVAL[q.bucket]}::interval, i.created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
             ${key} AS key, i.status, i.latency_ms, i.time_to_first_token_ms, i.input_tokens, i.output_tokens
        FROM ai_interactions i
        JOIN providers p ON p.id = i.provider_id
       WHERE i.created_at >= ${q.from} AND i.created_at < ${q.to} AND i.deleted_at IS NULL
    )
    SELECT bucket, ${groupBy ? Prisma.sql`key` : Prisma.sql`NULL::text AS key`}, GROUPING(bucket)::int AS g_bucket, ${groupBy ? Prisma.sql`GROUPING(key)::int` : Prisma.sql`1`} AS g_key,
           ${STATS_AGGREGATES}
      FROM f
     GROUP BY ${sets}`;

  // The key column is operation::text exactly when grouping by operation, so there it holds an AiOperation.
  const wireKey = (raw: string | null): string =>
    groupBy === "operation" && raw !== null ? AiOperation.toWire(raw as $Enums.AiOperation) : (raw ?? "");
  let totals: StatsRow | undefined;
  const byBucket = new Map<number, StatsRow>();
  const groups = new Map<string, { totals: StatsRow | undefined; series: { start: number; row: StatsRow }[] }>();
  const group = (k: string) => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { totals: undefined, series: [] }));
    return g;
  };
  for (const row of rows) {
    const hasBucket = row.g_bucket === 0;
    const hasKey = row.g_key === 0 && groupBy !== null;
    if (!hasBucket && !hasKey) totals = row;
    else if (hasBucket && !hasKey && row.bucket) byBucket.set(row.bucket.getTime(), row);
    else if (!hasBucket && hasKey) group(wireKey(row.key)).totals = row;
    else if (row.bucket) group(wireKey(row.key)).series.push({ start: row.bucket.getTime(), row });
  }

  const series: TAdminInteractionStats["series"] = [];
  const first = Math.floor(q.from.getTime() / bucketMs) * bucketMs;
  for (let start = first; start < q.to.getTime(); start += bucketMs) {
    series.push({ start, ...toValues(byBucket.get(start)) });
  }
  return {
    from: q.from.getTime(),
    to: q.to.getTime(),
    bucket: q.bucket,
    bucketMs,
    groupBy,
    totals: toValues(totals),
    series,
    groups: [...groups.entries()]
      .map(([k, g]) => ({
        key: k,
        totals: toValues(g.totals),
        series: g.series.sort((a, b) => a.start - b.start).map(({ start, row }) => ({ start, ...toValues(row) })),
      }))
      .sort((a, b) => b.totals.count - a.totals.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}

// ------------------------------------------------------------------ overview

export interface AiInteractionOverviewQuery {
  from: Date;
  to: Date;
  bucket: TInteractionStatsBucket;
  provider?: string | undefined;
  model?: string | undefined;
  operation?: TAiOperation | undefined;
}

interface OverviewRow extends StatsRow {
  provider: string | null;
  model: string | null;
  op: $Enums.AiOperation | null;
  g_provider: number;
  g_model: number;
  g_op: number;
}

/**
 * The admin overview: totals, the series per bucket, and the same measures per provider, per model
 * and per operation, for one range and optional filters, in one SQL statement (GROUPING SETS),
 * with the definitions of aiInteractionStats. The work_mem raise lets the percentile sorts of a
 * large range stay in memory instead of spilling to disk; it ends with the transaction.
 */
export async function aiInteractionOverview(
  tx: ScopedTx,
  q: AiInteractionOverviewQuery,
): Promise<TAdminInteractionOverview> {
  // Rollups hold whole hours, so they serve hour and day buckets; minute buckets are short ranges anyway.
  if (q.bucket !== "minute") {
    const window = await readRollupWindow(tx);
    const from = Math.max(Math.ceil(q.from.getTime() / HOUR_MS) * HOUR_MS, window?.from.getTime() ?? Infinity);
    const until = Math.min(Math.floor(q.to.getTime() / HOUR_MS) * HOUR_MS, window?.until.getTime() ?? -Infinity);
    if (until - from >= ROLLUP_MIN_SPAN_MS)
      return overviewFromRollups(tx, q, { from: new Date(from), until: new Date(until) });
  }
  const bucketMs = INTERACTION_STATS_BUCKET_MS[q.bucket];
  const where = filterSql({ from: q.from, to: q.to, provider: q.provider, model: q.model, operation: q.operation });
  await tx.$executeRaw`SELECT set_config('work_mem', '128MB', true)`;
  const rows = await tx.$queryRaw<OverviewRow[]>`
    WITH f AS (
      SELECT date_bin(${BUCKET_INTERVAL[q.bucket]}::interval, i.created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
             i.provider_id, i.model_name, i.operation, i.status, i.latency_ms, i.time_to_first_token_ms, i.input_tokens, i.output_tokens
        FROM ai_interactions i
       WHERE ${Prisma.join(where, " AND ")}
    ), g AS (
      SELECT bucket, provider_id, model_name, operation::text AS op,
             GROUPING(bucket)::int AS g_bucket, GROUPING(provider_id)::int AS g_provider,
             GROUPING(model_name)::int AS g_model, GROUPING(operation)::int AS g_op,
             ${STATS_AGGREGATES}
        FROM f
       GROUP BY GROUPING SETS ((), (bucket), (provider_id), (model_name), (operation))
    )
    SELECT g.*, g.model_name AS model, p.name AS provider
      FROM g LEFT JOIN providers p ON p.id = g.provider_id`;

  let totals: StatsRow | undefined;
  const byBucket = new Map<number, StatsRow>();
  const byProvider: TInteractionBreakdownEntry[] = [];
  const byModel: TInteractionBreakdownEntry[] = [];
  const byOperation: TInteractionBreakdownEntry[] = [];
  for (const row of rows) {
    if (row.g_bucket === 0 && row.bucket) byBucket.set(row.bucket.getTime(), row);
    else if (row.g_provider === 0) byProvider.push({ key: row.provider ?? "", ...toValues(row) });
    else if (row.g_model === 0) byModel.push({ key: row.model ?? "", ...toValues(row) });
    else if (row.g_op === 0 && row.op) byOperation.push({ key: AiOperation.toWire(row.op), ...toValues(row) });
    else if (row.g_bucket === 1) totals = row;
  }
  const busiest = (a: TInteractionBreakdownEntry, b: TInteractionBreakdownEntry) =>
    b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

  const series: TAdminInteractionOverview["series"] = [];
  const first = Math.floor(q.from.getTime() / bucketMs) * bucketMs;
  for (let start = first; start < q.to.getTime(); start += bucketMs) {
    series.push({ start, ...toValues(byBucket.get(start)) });
  }
  return {
    from: q.from.getTime(),
    to: q.to.getTime(),
    bucket: q.bucket,
    bucketMs,
    filters: { provider: q.provider ?? null, model: q.model ?? null, operation: q.operation ?? null },
    percentiles: "exact",
    totals: toValues(totals),
    series,
    byProvider: byProvider.sort(busiest),
    byModel: byModel.sort(busiest),
    byOperation: byOperation.sort(busiest),
  };
}

const HOUR_MS = 3_600_000;
/** Below this many whole rolled-up hours in the range, the exact query is cheap enough to run instead. */
const ROLLUP_MIN_SPAN_MS = 6 * HOUR_MS;

/** One group of the grouping sets with its histogram as parallel arrays (one row per group keeps the result small). */
interface HistogramRow {
  g_bucket: number;
  g_provider: number;
  g_model: number;
  g_op: number;
  bucket: Date | null;
  provider: string | null;
  model: string | null;
  op: $Enums.AiOperation | null;
  statuses: $Enums.AiInteractionStatus[];
  bins: number[];
  calls: number[];
  input_tokens: number;
  output_tokens: number;
}

/** The group a row of the grouping sets belongs to: "t" (totals), "b:<ms>", "p:<name>", "m:<model>" or "o:<operation>". */
function groupKey(row: HistogramRow): string | null {
  if (row.g_bucket === 0) return row.bucket ? `b:${row.bucket.getTime()}` : null;
  if (row.g_provider === 0) return `p:${row.provider ?? ""}`;
  if (row.g_model === 0) return `m:${row.model ?? ""}`;
  if (row.g_op === 0) return row.op ? `o:${AiOperation.toWire(row.op)}` : null;
  return "t";
}

interface Accumulator {
  status: Map<$Enums.AiInteractionStatus, number>;
  latency: Map<number, number>;
  ttft: Map<number, number>;
  input: number;
  output: number;
}

function accumulatedValues(a: Accumulator | undefined): TInteractionStatsValues {
  const n = (status: $Enums.AiInteractionStatus) => a?.status.get(status) ?? 0;
  const count = [...(a?.status.values() ?? [])].reduce((sum, v) => sum + v, 0);
  const errors = n("ERROR") + n("TIMEOUT") + n("ABORTED");
  const outcome = n("SUCCESS") + errors;
  const [p50, p95, p99] = histogramPercentiles(a?.latency ?? new Map(), [0.5, 0.95, 0.99]);
  const [t50, t95] = histogramPercentiles(a?.ttft ?? new Map(), [0.5, 0.95]);
  return {
    count,
    pending: n("PENDING"),
    success: n("SUCCESS"),
    error: n("ERROR"),
    timeout: n("TIMEOUT"),
    cancelled: n("CANCELLED"),
    aborted: n("ABORTED"),
    errors,
    errorRate: outcome ? errors / outcome : null,
    latencyMs: { p50: p50 ?? null, p95: p95 ?? null, p99: p99 ?? null },
    timeToFirstTokenMs: { p50: t50 ?? null, p95: t95 ?? null },
    inputTokens: a?.input ?? 0,
    outputTokens: a?.output ?? 0,
  };
}

/**
 * The overview with whole hours [covered.from, covered.until) read from the rollups and the rest
 * of the range (its ragged ends, and hours not rolled up yet) binned from the log on the fly, so
 * both halves add up the same way. SQL sums calls and tokens per group and latency bin over
 * GROUPING SETS; the percentiles are then read off each group's histogram (histogramPercentiles).
 */
async function overviewFromRollups(
  tx: ScopedTx,
  q: AiInteractionOverviewQuery,
  covered: RollupWindow,
): Promise<TAdminInteractionOverview> {
  const bucketMs = INTERACTION_STATS_BUCKET_MS[q.bucket];
  const interval = Prisma.sql`${BUCKET_INTERVAL[q.bucket]}::interval`;
  const epoch = Prisma.sql`TIMESTAMPTZ '1970-01-01 00:00:00+00'`;
  const rollupWhere: Prisma.Sql[] = [Prisma.sql`r.hour >= ${covered.from}`, Prisma.sql`r.hour < ${covered.until}`];
  if (q.provider) rollupWhere.push(Prisma.sql`r.provider_id = (SELECT id FROM providers WHERE name = ${q.provider})`);
  if (q.model) rollupWhere.push(Prisma.sql`r.model_name = ${q.model}`);
  if (q.operation) rollupWhere.push(Prisma.sql`r.operation = ${AiOperation.toDb(q.operation)}::"AiOperation"`);
  const filters = { provider: q.provider, model: q.model, operation: q.operation };
  // The two ragged ends as separate ranges, so each is an index range scan of created_at.
  const rawRanges = [
    filterSql({ ...filters, from: q.from, to: covered.from }),
    filterSql({ ...filters, from: covered.until, to: q.to }),
  ].map((where) => Prisma.join(where, " AND "));
  const raw = (select: Prisma.Sql, extra: Prisma.Sql) =>
    Prisma.join(
      rawRanges.map((where) => Prisma.sql`SELECT ${select} FROM ai_interactions i WHERE ${where} ${extra}`),
      " UNION ALL ",
    );
  const sets = Prisma.sql`GROUPING SETS ((status, bin), (bucket, status, bin), (provider_id, status, bin), (model_name, status, bin), (operation, status, bin))`;
  // Two steps: first down to one row per bucket and kind of call (a day bucket folds 24 hourly
  // rollup rows into one), then the grouping sets over that much smaller set.
  const grouped = (parts: Prisma.Sql) => Prisma.sql`
    WITH parts AS (${parts}),
    folded AS (
      SELECT bucket, provider_id, model_name, operation, status, bin,
             sum(calls) AS calls, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
        FROM parts
       GROUP BY bucket, provider_id, model_name, operation, status, bin
    ),
    g AS (
      SELECT GROUPING(bucket)::int AS g_bucket, GROUPING(provider_id)::int AS g_provider, GROUPING(model_name)::int AS g_model,
             GROUPING(operation)::int AS g_op, bucket, provider_id, model_name AS model, operation::text AS op, status::text AS status, bin,
             sum(calls)::float8 AS calls, sum(input_tokens)::float8 AS input_tokens, sum(output_tokens)::float8 AS output_tokens
        FROM folded
       GROUP BY ${sets}
    )
    SELECT g.g_bucket, g.g_provider, g.g_model, g.g_op, g.bucket, g.model, g.op, p.name AS provider,
           array_agg(g.status ORDER BY g.status, g.bin) AS statuses, array_agg(g.bin ORDER BY g.status, g.bin) AS bins,
           array_agg(g.calls ORDER BY g.status, g.bin) AS calls,
           sum(g.input_tokens)::float8 AS input_tokens, sum(g.output_tokens)::float8 AS output_tokens
      FROM g LEFT JOIN providers p ON p.id = g.provider_id
     GROUP BY g.g_bucket, g.g_provider, g.g_model, g.g_op, g.bucket, g.model, g.op, p.name`;

  const latencyRows = await tx.$queryRaw<HistogramRow[]>(
    grouped(Prisma.sql`
      SELECT date_bin(${interval}, r.hour, ${epoch}) AS bucket, r.provider_id, r.model_name, r.operation, r.status, r.latency_bin AS bin,
             r.calls, r.input_tokens, r.output_tokens
        FROM ai_interaction_rollups r WHERE ${Prisma.join(rollupWhere, " AND ")}
      UNION ALL
      ${raw(
        Prisma.sql`date_bin(${interval}, i.created_at, ${epoch}), i.provider_id, i.model_name, i.operation, i.status, ${binSql(Prisma.sql`i.latency_ms`)},
                   1, COALESCE(i.input_tokens, 0)::bigint, COALESCE(i.output_tokens, 0)::bigint`,
        Prisma.empty,
      )}`),
  );
  const ttftRows = await tx.$queryRaw<HistogramRow[]>(
    grouped(Prisma.sql`
      SELECT date_bin(${interval}, r.hour, ${epoch}) AS bucket, r.provider_id, r.model_name, r.operation, 'SUCCESS'::"AiInteractionStatus" AS status,
             r.ttft_bin AS bin, r.calls, 0::bigint AS input_tokens, 0::bigint AS output_tokens
        FROM ai_interaction_ttft_rollups r WHERE ${Prisma.join(rollupWhere, " AND ")}
      UNION ALL
      ${raw(
        Prisma.sql`date_bin(${interval}, i.created_at, ${epoch}), i.provider_id, i.model_name, i.operation, i.status,
                   ${binSql(Prisma.sql`i.time_to_first_token_ms`)}, 1, 0::bigint, 0::bigint`,
        Prisma.sql`AND i.status = 'SUCCESS' AND i.time_to_first_token_ms IS NOT NULL`,
      )}`),
  );

  const groups = new Map<string, Accumulator>();
  const group = (key: string) => {
    let a = groups.get(key);
    if (!a) groups.set(key, (a = { status: new Map(), latency: new Map(), ttft: new Map(), input: 0, output: 0 }));
    return a;
  };
  for (const row of latencyRows) {
    const key = groupKey(row);
    if (!key) continue;
    const a = group(key);
    a.input += row.input_tokens;
    a.output += row.output_tokens;
    row.statuses.forEach((status, i) => {
      const calls = row.calls[i] ?? 0;
      const bin = row.bins[i] ?? -1;
      a.status.set(status, (a.status.get(status) ?? 0) + calls);
      // Percentiles are over successful calls only, as in the exact query.
      if (status === "SUCCESS" && bin >= 0) a.latency.set(bin, (a.latency.get(bin) ?? 0) + calls);
    });
  }
  for (const row of ttftRows) {
    const key = groupKey(row);
    if (!key) continue;
    const a = group(key);
    row.bins.forEach((bin, i) => {
      if (bin >= 0) a.ttft.set(bin, (a.ttft.get(bin) ?? 0) + (row.calls[i] ?? 0));
    });
  }

  const breakdown = (prefix: string): TInteractionBreakdownEntry[] =>
    [...groups.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, a]) => ({ key: key.slice(prefix.length), ...accumulatedValues(a) }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const series: TAdminInteractionOverview["series"] = [];
  const first = Math.floor(q.from.getTime() / bucketMs) * bucketMs;
  for (let start = first; start < q.to.getTime(); start += bucketMs)
    series.push({ start, ...accumulatedValues(groups.get(`b:${start}`)) });
  return {
    from: q.from.getTime(),
    to: q.to.getTime(),
    bucket: q.bucket,
    bucketMs,
    filters: { provider: q.provider ?? null, model: q.model ?? null, operation: q.operation ?? null },
    percentiles: "approximate",
    totals: accumulatedValues(groups.get("t")),
    series,
    byProvider: breakdown("p:"),
    byModel: breakdown("m:"),
    byOperation: breakdown("o:"),
  };
}
