// A person's own usage (calls, tokens, cost per day and model) and their limits, and the budget
// check made before a model call: refused with USAGE_LIMIT_REACHED naming the limit, what is used
// and when it resets.
import type { TMyUsage, TUsageLimitReached } from "@lockstep/contracts";
import { limitsWithUsage, recordUsageAlert, reserveUsage, type SqlTx, UsageLimitRefusal, usageOf } from "@lockstep/db";
import { AppError } from "../errors.ts";
import type { UserScope } from "../scopes.ts";

export async function myUsage(scope: UserScope, days: number): Promise<TMyUsage> {
  const since = new Date(Date.now() - (days - 1) * 86_400_000);
  const rows = await scope.run((tx) => usageOf(tx, scope.userId, since));
  const limits = await scope.sql((tx) => limitsWithUsage(tx, scope.userId));
  return { rows, currency: "USD", limits };
}

const RESET_FORMAT = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** How a refusal reads: "Your daily limit of 10 calls is used up (10 used); it resets at ...". */
export function describeLimit(reached: TUsageLimitReached): string {
  const unit = reached.metric === "cost" ? "USD" : reached.metric;
  const amount = reached.metric === "cost" ? reached.amount.toFixed(2) : String(reached.amount);
  const used = reached.metric === "cost" ? reached.used.toFixed(2) : String(reached.used);
  const resets = RESET_FORMAT.format(new Date(reached.resetsAt));
  return `Your ${reached.period} limit of ${amount} ${unit} is used up (${used} used); it resets at ${resets} UTC.`;
}

/**
 * Counts one model call against the person's limits before it starts, in the caller's transaction
 * (a send's): a refusal throws USAGE_LIMIT_REACHED, rolling back the count and the send with it.
 * Returns the soft-threshold warnings passed.
 */
export async function reserveModelCall(tx: SqlTx, scope: UserScope): Promise<TUsageLimitReached[]> {
  try {
    return await reserveUsage(tx, scope.userId);
  } catch (error) {
    if (!(error instanceof UsageLimitRefusal)) throw error;
    // Recorded once the refused transaction has rolled back (its own writes go with it), so the
    // admin sees who hit which limit; a failure to record it never changes the refusal.
    setImmediate(() => {
      scope.sql((own) => recordUsageAlert(own, scope.userId, error.reached, new Date(), "HARD")).catch(() => undefined);
    });
    throw new AppError("USAGE_LIMIT_REACHED", describeLimit(error.reached), { ...error.reached });
  }
}

/**
 * The same, in a transaction of its own, for a call started by a request that has written nothing
 * yet (an analysis): the refusal is thrown before any change is made.
 */
export function reserveModelCallNow(scope: UserScope): Promise<TUsageLimitReached[]> {
  return scope.sql((tx) => reserveModelCall(tx, scope));
}

/**
 * For a call made on the side of another (a session's title, a vision reading next to OCR, the
 * memories of an ended session): counted like any other, but a refusal only means the call is not
 * made; the work it accompanies goes on without it. Returns whether the call may be made.
 */
export async function mayMakeSideCall(scope: UserScope): Promise<boolean> {
  try {
    await reserveModelCallNow(scope);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === "USAGE_LIMIT_REACHED") return false;
    throw error;
  }
}
