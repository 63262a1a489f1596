// The health card: a pure view of one health check (loading, answered, or failed), so it can be
// tested with plain props and reused whatever fetches the data.
import type { THealthDto } from "@lockstep/contracts";
import type { ReactNode } from "react";

export type HealthCardProps =
  | { state: "loading" }
  | { state: "ready"; health: THealthDto; refreshing?: boolean; onRefresh?: () => void }
  | { state: "error"; error: HealthError; retrying?: boolean; onRetry: () => void };

export interface HealthError {
  /** What a person should understand, in one sentence. */
  message: string;
  /** The technical cause, for whoever reports or debugs it. */
  detail?: string;
}

type Tone = "neutral" | "ok" | "warn" | "bad";

// Typed by the contract's enums, so a new status or runtime fails to compile until it has a label.
const STATUS_TONE: Record<THealthDto["status"], Tone> = { ok: "ok", degraded: "warn" };
const STATUS_SUMMARY: Record<THealthDto["status"], string> = {
  ok: "Everything is working.",
  degraded: "Lockstep is running, but its database needs attention.",
};
export const RUNTIME_LABELS: Record<THealthDto["database"]["runtime"], string> = {
  pglite: "embedded database",
  postgres: "PostgreSQL server",
};

const BADGE_CLASSES: Record<Tone, string> = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600",
  ok: "bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-400/30",
  warn: "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/30",
  bad: "bg-rose-50 text-rose-800 ring-rose-600/30 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-400/30",
};
const DOT_CLASSES: Record<Tone, string> = {
  neutral: "bg-slate-400 animate-pulse",
  ok: "bg-emerald-500",
  warn: "bg-amber-500",
  bad: "bg-rose-500",
};

/** Turns whatever the client threw into words; an HTTP status means the API answered, anything else that it did not. */
export function describeHealthError(error: unknown): HealthError {
  const detail = error instanceof Error ? error.message : String(error);
  const httpStatus = (error as { data?: { httpStatus?: unknown } } | null)?.data?.httpStatus;
  if (typeof httpStatus === "number") {
    return { message: `The Lockstep API answered with an error (HTTP ${httpStatus}).`, detail };
  }
  return { message: "The Lockstep API cannot be reached. Check that the server is running, then retry.", detail };
}

function pluralize(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export function HealthCard(props: HealthCardProps) {
  const tone: Tone = props.state === "ready" ? STATUS_TONE[props.health.status] : props.state === "error" ? "bad" : "neutral";
  const badge = props.state === "ready" ? props.health.status : props.state === "error" ? "unreachable" : "checking";
  const summary =
    props.state === "ready"
      ? STATUS_SUMMARY[props.health.status]
      : props.state === "error"
        ? props.error.message
        : "Checking the service…";
  const dataStatus = props.state === "ready" ? props.health.status : props.state;

  return (
    <section
      aria-labelledby="health-title"
      aria-busy={props.state === "loading"}
      data-health-status={dataStatus}
      className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="health-title" className="text-base font-semibold text-slate-900 dark:text-slate-100">
          Service health
        </h2>
        <span
          className={`inline-flex items-center gap-2 rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${BADGE_CLASSES[tone]}`}
        >
          <span aria-hidden="true" className={`size-2 rounded-full ${DOT_CLASSES[tone]}`} />
          <span>
            <span className="sr-only">Status: </span>
            {badge}
          </span>
        </span>
      </div>

      {/* One region that stays mounted, so screen readers announce each change of state. */}
      <p role="status" aria-live="polite" className="mt-3 text-sm text-slate-600 dark:text-slate-400">
        {summary}
      </p>

      {props.state === "loading" && (
        <div aria-hidden="true" className="mt-5 grid gap-3">
          {[0, 1, 2].map((row) => (
            <div key={row} className="h-10 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" />
          ))}
        </div>
      )}

      {props.state === "ready" && <HealthDetails health={props.health} />}

      {props.state === "ready" && props.onRefresh && (
        <div className="mt-5 flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4 dark:border-slate-800">
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Checked at <time dateTime={new Date(props.health.time).toISOString()}>{new Date(props.health.time).toLocaleTimeString()}</time>
          </p>
          <button
            type="button"
            onClick={props.onRefresh}
            disabled={props.refreshing}
            className="rounded-lg px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-wait disabled:opacity-60 dark:text-indigo-300 dark:hover:bg-indigo-950"
          >
            {props.refreshing ? "Checking…" : "Check again"}
          </button>
        </div>
      )}

      {props.state === "error" && (
        <div className="mt-5 rounded-xl bg-rose-50 p-4 dark:bg-rose-950/60">
          {props.error.detail && (
            <p className="text-xs break-words text-rose-900 dark:text-rose-200">
              <span className="font-semibold">Details: </span>
              <code className="font-mono">{props.error.detail}</code>
            </p>
          )}
          <button
            type="button"
            onClick={props.onRetry}
            disabled={props.retrying}
            className="mt-3 inline-flex min-h-11 items-center justify-center rounded-lg bg-rose-700 px-4 text-sm font-semibold text-white shadow-sm hover:bg-rose-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-700 disabled:cursor-wait disabled:opacity-70"
          >
            {props.retrying ? "Retrying…" : "Retry"}
          </button>
        </div>
      )}
    </section>
  );
}

function HealthDetails({ health }: { health: THealthDto }) {
  const { migrations } = health.database;
  const pending = migrations.pending.length;
  return (
    <dl className="mt-5 grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
      <Fact term="Version">
        <span className="font-mono">{health.version}</span>
      </Fact>
      <Fact term="Database">
        <span className="font-mono">{health.database.runtime}</span>
        <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">
          {RUNTIME_LABELS[health.database.runtime]}
          {health.database.reachable ? "" : ", not reachable"}
        </span>
      </Fact>
      <Fact term="Migrations">
        <span>{migrations.applied} applied</span>
        <span
          className={`block text-xs font-normal ${pending > 0 ? "text-amber-700 dark:text-amber-300" : "text-slate-500 dark:text-slate-400"}`}
        >
          {pending} pending
        </span>
      </Fact>
      {pending > 0 && (
        <div className="sm:col-span-3">
          <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">Not yet applied ({pluralize(pending, "migration")})</dt>
          <dd className="mt-1">
            <ul className="list-inside list-disc font-mono text-xs text-slate-700 dark:text-slate-300">
              {migrations.pending.map((name) => (
                <li key={name} className="break-all">
                  {name}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      )}
    </dl>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="rounded-xl bg-slate-50 px-4 py-3 dark:bg-slate-800/60">
      <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{term}</dt>
      <dd className="mt-1 font-semibold text-slate-900 dark:text-slate-100">{children}</dd>
    </div>
  );
}
