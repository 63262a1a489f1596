// Budgets: limits per role with per-person overrides, checked before a call starts. Call limits
// are counted with one conditional upsert per period (the row lock makes concurrent sends queue,
// so a limit of N admits at most N); token and cost limits compare what the log has recorded.
import { toEpochMs, type TUsageAlert, type TUsageLimit, type TUsageLimitReached } from "@lockstep/contracts";
import type { Prisma } from "../../generated/prisma/client.ts";
import type { ScopedTx, SqlTx } from "../../scoped.ts";

type Period = "daily" | "monthly";
type Metric = "calls" | "tokens" | "cost";
const toDbPeriod = (p: Period) => p.toUpperCase();
const toDbMetric = (m: Metric) => m.toUpperCase();
const fromDbPeriod = (p: string) => p.toLowerCase() as Period;
const fromDbMetric = (m: string) => m.toLowerCase() as Metric;

const limitSelect = {
  id: true,
  role: true,
  userId: true,
  period: true,
  metric: true,
  amount: true,
  softThreshold: true,
  user: { select: { email: true } },
} satisfies Prisma.UsageLimitSelect;
type LimitRow = Prisma.UsageLimitGetPayload<{ select: typeof limitSelect }>;

function toLimit(row: LimitRow): TUsageLimit {
  return {
    id: row.id,
    role: row.role === null ? null : row.role === "ADMIN" ? "admin" : "user",
    userId: row.userId,
    period: fromDbPeriod(row.period),
    metric: fromDbMetric(row.metric),
    amount: row.amount.toNumber(),
    softThreshold: row.softThreshold,
    email: row.user?.email ?? null,
  };
}

export async function listUsageLimits(tx: ScopedTx, filter: { userId?: string } = {}): Promise<TUsageLimit[]> {
  const rows = await tx.usageLimit.findMany({
    where: filter.userId ? { OR: [{ userId: filter.userId }, { userId: null }] } : {},
    select: limitSelect,
    orderBy: [{ userId: "asc" }, { role: "asc" }, { period: "asc" }, { metric: "asc" }],
  });
  return rows.map(toLimit);
}

export interface LimitWrite {
  role: "user" | "admin" | null;
  userId: string | null;
  period: Period;
  metric: Metric;
  amount: number;
  softThreshold: number;
}

/** Creates or replaces the limit of that role (or person), period and metric. */
export async function upsertUsageLimit(
  tx: ScopedTx,
  write: LimitWrite,
): Promise<{ before: TUsageLimit | null; after: TUsageLimit }> {
  const where = {
    role: write.role === null ? null : write.role === "admin" ? ("ADMIN" as const) : ("USER" as const),
    userId: write.userId,
    period: toDbPeriod(write.period),
    metric: toDbMetric(write.metric),
  };
  const existing = await tx.usageLimit.findFirst({ where, select: limitSelect });
  const row = existing
    ? await tx.usageLimit.update({
        where: { id: existing.id },
        data: { amount: write.amount, softThreshold: write.softThreshold },
        select: limitSelect,
      })
    : await tx.usageLimit.create({
        data: { ...where, amount: write.amount, softThreshold: write.softThreshold },
        select: limitSelect,
      });
  return { before: existing ? toLimit(existing) : null, after: toLimit(row) };
}

export async function deleteUsageLimit(tx: ScopedTx, id: string): Promise<TUsageLimit | null> {
  const row = await tx.usageLimit.findUnique({ where: { id }, select: limitSelect });
  if (!row) return null;
  await tx.usageLimit.delete({ where: { id }, select: { id: true } });
  return toLimit(row);
}

// ------------------------------------------------------------------ periods

/** The UTC day or month a moment falls in, and when it ends (the limit resets). */
export function periodOf(period: Period, at: Date): { start: Date; resetsAt: Date } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (period === "daily") {
    const start = new Date(Date.UTC(y, m, at.getUTCDate()));
    return { start, resetsAt: new Date(start.getTime() + 86_400_000) };
  }
  return { start: new Date(Date.UTC(y, m, 1)), resetsAt: new Date(Date.UTC(y, m + 1, 1)) };
}

interface EffectiveLimit {
  period: Period;
  metric: Metric;
  amount: number;
  softThreshold: number;
}

/** A person's own limits win over their role's of the same period and metric. */
async function effectiveLimits(tx: SqlTx, userId: string): Promise<EffectiveLimit[]> {
  const rows = await tx.$queryRawUnsafe<{ period: string; metric: string; amount: string; soft_threshold: number }[]>(
    `SELECT DISTINCT ON (l.period, l.metric) l.period, l.metric, l.amount::text AS amount, l.soft_threshold
       FROM usage_limits l JOIN users u ON u.id = $1
      WHERE l.user_id = u.id OR (l.user_id IS NULL AND l.role = u.role)
      ORDER BY l.period, l.metric, (l.user_id IS NULL)`,
    userId,
  );
  return rows.map((r) => ({
    period: fromDbPeriod(r.period),
    metric: fromDbMetric(r.metric),
    amount: Number(r.amount),
    softThreshold: r.soft_threshold,
  }));
}

/** Tokens and cost the log has recorded for a person since a moment. */
async function recordedUsage(tx: SqlTx, userId: string, since: Date): Promise<{ tokens: number; cost: number }> {
  const rows = await tx.$queryRawUnsafe<{ tokens: string; cost: string }[]>(
    `SELECT coalesce(sum(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)), 0)::text AS tokens,
            coalesce(sum(cost), 0)::text AS cost
       FROM ai_interactions WHERE user_id = $1 AND created_at >= $2::timestamptz`,
    userId,
    since.toISOString(),
  );
  return { tokens: Number(rows[0]?.tokens ?? 0), cost: Number(rows[0]?.cost ?? 0) };
}

/** Thrown inside the reserving transaction so the counts it made roll back; carries what refused. */
export class UsageLimitRefusal extends Error {
  override name = "UsageLimitRefusal";
  constructor(readonly reached: TUsageLimitReached) {
    super(`${reached.period} ${reached.metric} limit reached`);
  }
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Checks a person's limits before a model call and counts the call against call limits, in the
 * caller's transaction (as that person: row-level security applies). Throws UsageLimitRefusal when
 * a limit refuses, so the transaction, and every count it made, rolls back. Passing a soft
 * threshold records one alert per limit and period and is returned as a warning.
 */
export async function reserveUsage(tx: SqlTx, userId: string, now: Date = new Date()): Promise<TUsageLimitReached[]> {
  const limits = await effectiveLimits(tx, userId);
  const warnings: TUsageLimitReached[] = [];
  const reached = (l: EffectiveLimit, used: number): TUsageLimitReached => ({
    period: l.period,
    metric: l.metric,
    amount: l.amount,
    used,
    resetsAt: toEpochMs(periodOf(l.period, now).resetsAt),
  });
  for (const l of limits) {
    const { start } = periodOf(l.period, now);
    let used: number;
    if (l.metric === "calls") {
      // One statement: the row lock queues concurrent sends, and the WHERE admits a call only under the limit.
      const counted = await tx.$queryRawUnsafe<{ calls: number }[]>(
        `INSERT INTO usage_counters (user_id, period, period_start, calls)
         SELECT $1, $2, $3::date, 1 WHERE $4::numeric >= 1
         ON CONFLICT (user_id, period, period_start) DO UPDATE SET calls = usage_counters.calls + 1
          WHERE usage_counters.calls + 1 <= $4::numeric
         RETURNING calls`,
        userId,
        toDbPeriod(l.period),
        day(start),
        l.amount,
      );
      const calls = counted[0]?.calls;
      if (calls === undefined) {
        const current = await tx.$queryRawUnsafe<{ calls: number }[]>(
          `SELECT calls FROM usage_counters WHERE user_id = $1 AND period = $2 AND period_start = $3::date`,
          userId,
          toDbPeriod(l.period),
          day(start),
        );
        throw new UsageLimitRefusal(reached(l, current[0]?.calls ?? 0));
      }
      used = calls;
    } else {
      // Tokens and cost are known only once calls finish, so a call is refused once the total is reached.
      const usage = await recordedUsage(tx, userId, start);
      used = l.metric === "tokens" ? usage.tokens : usage.cost;
      if (used >= l.amount) throw new UsageLimitRefusal(reached(l, used));
    }
    if (used >= l.amount * l.softThreshold) {
      await recordUsageAlert(tx, userId, reached(l, used), now, "SOFT");
      warnings.push(reached(l, used));
    }
  }
  return warnings;
}

/** One alert per person, limit, period and level; a later one only raises `used`. */
export async function recordUsageAlert(
  tx: SqlTx,
  userId: string,
  reached: TUsageLimitReached,
  now: Date,
  level: "SOFT" | "HARD",
): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO usage_alerts (user_id, period, metric, period_start, level, used, amount)
     VALUES ($1, $2, $3, $4::date, $5, $6, $7)
     ON CONFLICT (user_id, period, metric, period_start, level) DO UPDATE SET used = GREATEST(usage_alerts.used, EXCLUDED.used)`,
    userId,
    toDbPeriod(reached.period),
    toDbMetric(reached.metric),
    day(periodOf(reached.period, now).start),
    level,
    reached.used,
    reached.amount,
  );
}

/** A person's limits with what they have used of each in the current period. */
export async function limitsWithUsage(tx: SqlTx, userId: string, now: Date = new Date()) {
  const limits = await effectiveLimits(tx, userId);
  const out = [];
  for (const l of limits) {
    const { start, resetsAt } = periodOf(l.period, now);
    let used: number;
    if (l.metric === "calls") {
      const r = await tx.$queryRawUnsafe<{ calls: number }[]>(
        `SELECT calls FROM usage_counters WHERE user_id = $1 AND period = $2 AND period_start = $3::date`,
        userId,
        toDbPeriod(l.period),
        day(start),
      );
      used = r[0]?.calls ?? 0;
    } else {
      const usage = await recordedUsage(tx, userId, start);
      used = l.metric === "tokens" ? usage.tokens : usage.cost;
    }
    out.push({ ...l, used, resetsAt: toEpochMs(resetsAt) });
  }
  return out;
}

/** The newest alerts, for the admin overview. */
export async function listUsageAlerts(tx: ScopedTx, limit = 50): Promise<TUsageAlert[]> {
  const rows = await tx.usageAlert.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      userId: true,
      period: true,
      metric: true,
      level: true,
      used: true,
      amount: true,
      createdAt: true,
      user: { select: { email: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    userId: r.userId,
    email: r.user.email,
    period: fromDbPeriod(r.period),
    metric: fromDbMetric(r.metric),
    level: r.level === "HARD" ? ("hard" as const) : ("soft" as const),
    used: r.used.toNumber(),
    amount: r.amount.toNumber(),
    createdAt: toEpochMs(r.createdAt),
  }));
}
