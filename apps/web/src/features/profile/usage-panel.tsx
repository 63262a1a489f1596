// The person's own usage on their profile: model calls, tokens and cost over the last 30 days, and
// each limit with how much of it is used, a warning once the soft threshold is passed, and when it resets.
import type { TMyUsage } from "@lockstep/contracts";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Spinner } from "@lockstep/ui/spinner";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { useQuery } from "@tanstack/react-query";

const count = new Intl.NumberFormat();

/** "no price" when no call of the set had one, never a made-up $0. */
function cost(value: number | null): string {
  if (value === null) return "no price";
  if (value > 0 && value < 0.0001) return "< $0.0001";
  return `$${value.toFixed(value !== 0 && value < 0.01 ? 4 : 2)}`;
}

function limitText(limit: TMyUsage["limits"][number]): string {
  const amount =
    limit.metric === "cost"
      ? cost(limit.amount)
      : `${count.format(limit.amount)} ${limit.amount === 1 ? limit.metric.replace(/s$/, "") : limit.metric}`;
  const used = limit.metric === "cost" ? cost(limit.used) : count.format(limit.used);
  return `${used} of ${amount} ${limit.period === "daily" ? "today" : "this month"}`;
}

export function UsagePanel() {
  const trpc = useTRPC();
  const usage = useQuery(trpc.usage.mine.queryOptions({ days: 30 }));
  const totals = (usage.data?.rows ?? []).reduce(
    (sum, r) => ({
      calls: sum.calls + r.calls,
      tokens: sum.tokens + r.inputTokens + r.outputTokens,
      cost: r.cost === null ? sum.cost : (sum.cost ?? 0) + r.cost,
      unpriced: sum.unpriced + r.unpricedCalls,
    }),
    { calls: 0, tokens: 0, cost: null as number | null, unpriced: 0 },
  );
  return (
    <section
      aria-labelledby="profile-usage"
      className="mt-6 rounded-2xl border border-slate-200 bg-white p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="profile-usage" className="text-lg font-semibold">
        Your usage
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Model calls made for you in the last 30 days (updated every few minutes).
      </p>
      {usage.isPending ? (
        <Spinner />
      ) : usage.isError ? (
        <ErrorNotice className="mt-3" message={describeAppError(usage.error).message} />
      ) : (
        <>
          <dl className="mt-3 grid grid-cols-3 gap-3 text-center">
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">Calls</dt>
              <dd className="text-lg font-semibold tabular-nums">{count.format(totals.calls)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">Tokens</dt>
              <dd className="text-lg font-semibold tabular-nums">{count.format(totals.tokens)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">Cost</dt>
              <dd className="text-lg font-semibold tabular-nums">
                {totals.calls === 0 ? "$0.00" : cost(totals.cost)}
                {totals.unpriced > 0 && totals.cost !== null && (
                  <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">
                    + {totals.unpriced} calls with no price
                  </span>
                )}
              </dd>
            </div>
          </dl>
          {usage.data.limits.length > 0 && (
            <ul className="mt-4 grid gap-2" aria-label="Your limits">
              {usage.data.limits.map((limit) => {
                const share = limit.amount > 0 ? Math.min(1, limit.used / limit.amount) : 1;
                const near = share >= limit.softThreshold;
                return (
                  <li key={`${limit.period}-${limit.metric}`} className="text-sm">
                    <div className="flex justify-between gap-2">
                      <span>{limitText(limit)}</span>
                      <span className="text-xs text-slate-500 dark:text-slate-400">
                        resets{" "}
                        {new Date(limit.resetsAt).toLocaleString(undefined, {
                          dateStyle: "medium",
                          timeStyle: "short",
                        })}
                      </span>
                    </div>
                    <div
                      className="mt-1 h-2 rounded-full bg-slate-200 dark:bg-slate-800"
                      role="meter"
                      aria-valuemin={0}
                      aria-valuemax={limit.amount}
                      aria-valuenow={limit.used}
                      aria-label={`${limit.period} ${limit.metric}`}
                    >
                      <div
                        className={`h-2 rounded-full ${share >= 1 ? "bg-rose-600" : near ? "bg-amber-500" : "bg-indigo-600"}`}
                        style={{ width: `${Math.round(share * 100)}%` }}
                      />
                    </div>
                    {near && (
                      <p role="status" className="mt-1 text-xs text-amber-800 dark:text-amber-300">
                        {share >= 1
                          ? "You have reached this limit; replies wait until it resets."
                          : `You have used ${Math.round(share * 100)}% of this limit.`}
                      </p>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
