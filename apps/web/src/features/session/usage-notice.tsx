// Tells the person in the chat, near the composer, once they have passed the soft threshold of one of
// their usage limits: what is used of it and when it resets. Dismissed, it stays hidden until that
// limit's period ends (kept in this browser), and it comes back for the next period.
import type { TMyUsage } from "@lockstep/contracts";
import { useTRPC } from "@lockstep/ui/trpc";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

type Limit = TMyUsage["limits"][number];

const count = new Intl.NumberFormat();
const STORAGE_KEY = "lockstep.usageNotice.dismissed";

function amountText(limit: Limit, value: number): string {
  if (limit.metric === "cost") return `$${value.toFixed(2)}`;
  return `${count.format(value)} ${value === 1 ? limit.metric.replace(/s$/, "") : limit.metric}`;
}

/** "You have used 8 of your 10 calls today (80%); the limit resets at Dec 7, 2026, 12:00 AM." */
export function usageNoticeText(limit: Limit): string {
  const share = limit.amount > 0 ? limit.used / limit.amount : 1;
  const used = limit.metric === "cost" ? `$${limit.used.toFixed(2)}` : count.format(limit.used);
  const when = limit.period === "daily" ? "today" : "this month";
  const resets = new Date(limit.resetsAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  const state =
    share >= 1
      ? `You have used all ${amountText(limit, limit.amount)} of your ${limit.period} limit`
      : `You have used ${used} of your ${amountText(limit, limit.amount)} ${when} (${Math.floor(share * 100)}%)`;
  return `${state}; the limit resets at ${resets}.`;
}

/** One key per limit and period: dismissing this period's notice never hides the next one's. */
const keyOf = (limit: Limit) => `${limit.period}:${limit.metric}:${limit.resetsAt}`;

function readDismissed(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((key): key is string => typeof key === "string") : [];
  } catch {
    return [];
  }
}

function writeDismissed(keys: string[]): void {
  // Keys of periods that have ended are dropped, so the list never grows past the current periods.
  const now = Date.now();
  const live = keys.filter((key) => Number(key.split(":")[2]) > now);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(live));
  } catch {
    // Storage refused (private mode, full): the notice is hidden for this page view only.
  }
}

/** `version` changes whenever a call may have been counted (a reply came), so the figures follow. */
export function UsageNotice({ version }: { version: number }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.usage.mine.queryOptions({ days: 1 }));
  const { refetch } = usage;
  const [dismissed, setDismissed] = useState<string[]>(readDismissed);
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    void refetch();
  }, [version, refetch]);

  const passed = (usage.data?.limits ?? [])
    .filter((limit) => limit.amount > 0 && limit.used >= limit.amount * limit.softThreshold)
    .filter((limit) => !dismissed.includes(keyOf(limit)))
    // The limit nearest to (or past) its end first: that is the one about to stop replies.
    .sort((a, b) => b.used / b.amount - a.used / a.amount);
  const limit = passed[0];
  if (!limit) return null;
  const reached = limit.used >= limit.amount;
  const dismiss = () => {
    const next = [...dismissed, keyOf(limit)];
    setDismissed(next);
    writeDismissed(next);
  };
  return (
    <div
      role="status"
      data-usage-notice={`${limit.period}-${limit.metric}`}
      className={`mx-3 mb-2 flex items-start gap-2 rounded-xl border px-3 py-2 text-sm sm:mx-6 ${
        reached
          ? "border-rose-300 bg-rose-50 text-rose-900 dark:border-rose-800 dark:bg-rose-950/60 dark:text-rose-100"
          : "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950/60 dark:text-amber-100"
      }`}
    >
      <p className="mr-auto">
        <strong className="font-semibold">{reached ? "Usage limit reached." : "Nearing your usage limit."}</strong>{" "}
        {usageNoticeText(limit)}
        {reached ? " Replies and suggestions wait until then." : null}
      </p>
      <button
        type="button"
        onClick={dismiss}
        className="shrink-0 rounded-md px-2 py-0.5 font-medium underline hover:no-underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        aria-label={`Dismiss the ${limit.period} ${limit.metric} notice until it resets`}
      >
        Dismiss
      </button>
    </div>
  );
}
