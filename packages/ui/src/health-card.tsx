// The health card both apps show: a pure view of one health check (reachability, the runtime, each
// pending migration), testable with plain props whatever fetches the data.
import type { THealthDto } from "@lockstep/contracts";
import type { ReactNode } from "react";

export type HealthCardProps =
  | { state: "loading" }
  | { state: "ready"; health: THealthDto; refreshing?: boolean; onRefresh?: () => void }
  | { state: "error"; error: HealthError; retrying?: boolean; onRetry: () => void };

export interface HealthError {
  /** What went wrong, in one sentence an operator can act on. */
  message: string;
  /** The client's own error text, for a bug report or the server log. */
  detail?: string;
}

type Tone = "neutral" | "ok" | "warn" | "bad";

// Typed by the contract's enums, so a new status or runtime fails to compile until it has a label.
const STATUS_TONE: Record<THealthDto["status"], Tone> = { ok: "ok", degraded: "warn" };
const STATUS_SUMMARY: Record<THealthDto["status"], string> = {
  ok: "API and database are healthy; the schema is current.",
  degraded: "The API is up, but the database is unreachable or its migrations are not current.",
};
export const RUNTIME_LABELS: Record<THealthDto["database"]["runtime"], string> = {
  pglite: "embedded PGlite",
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

/** An HTTP status means the API answered with an error; anything else means nothing answered. */
export function describeHealthError(error: unknown): HealthError {
  const detail = error instanceof Error ? error.message : String(error);
  const httpStatus = (error as { data?: { httpStatus?: unknown } } | null)?.data?.httpStatus;
  if (typeof httpStatus === "number") {
    return { message: `The API answered the health check with HTTP ${httpStatus}; see the server log.`, detail };
  }
  return { message: "The API cannot be reached. Is the server running? Retry once it is.", detail };
}

export function HealthCard(props: HealthCardProps) {
  const tone: Tone =
    props.state === "ready" ? STATUS_TONE[props.health.status] : props.state === "error" ? "bad" : "neutral";
  const badge = props.state === "ready" ? props.health.status : props.state === "error" ? "unreachable" : "checking";
  const summary =
    props.state === "ready"
      ? STATUS_SUMMARY[props.health.status]
      : props.state === "error"
        ? props.error.message
        : "Checking the API…";
  const dataStatus = props.state === "ready" ? props.health.status : props.state;

  return (
    <section
      aria-labelledby="health-title"
      aria-busy={props.state === "loading"}
      data-health-status={dataStatus}
      className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3 sm:px-5 dark:border-slate-800">
        <h2 id="health-title" className="text-sm font-semibold text-slate-900 dark:text-slate-100">
          API &amp; database health
        </h2>
        <span
          className={`inline-flex items-center gap-2 rounded-md px-2.5 py-1 text-xs font-semibold tracking-wide uppercase ring-1 ring-inset ${BADGE_CLASSES[tone]}`}
        >
          <span aria-hidden="true" className={`size-2 rounded-full ${DOT_CLASSES[tone]}`} />
          <span>
            <span className="sr-only">Status: </span>
            {badge}
          </span>
        </span>
      </div>

      {/* One region that stays mounted, so screen readers announce each change of state. */}
      <p role="status" aria-live="polite" className="px-4 pt-3 text-sm text-slate-600 sm:px-5 dark:text-slate-400">
        {summary}
      </p>

      {props.state === "loading" && (
        <div aria-hidden="true" className="grid gap-2 px-4 py-4 sm:px-5">
          {[0, 1, 2, 3].map((row) => (
            <div key={row} className="h-6 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
          ))}
        </div>
      )}

      {props.state === "ready" && <HealthTable health={props.health} />}

      {props.state === "ready" && props.onRefresh && (
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 bg-slate-50 px-4 py-2.5 sm:px-5 dark:border-slate-800 dark:bg-slate-900/60">
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Server time{" "}
            <time dateTime={new Date(props.health.time).toISOString()}>
              {new Date(props.health.time).toLocaleString()}
            </time>
          </p>
          <button
            type="button"
            onClick={props.onRefresh}
            disabled={props.refreshing}
            className="min-h-9 rounded-md border border-slate-300 bg-white px-3 text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-wait disabled:opacity-60 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700"
          >
            {props.refreshing ? "Checking…" : "Check again"}
          </button>
        </div>
      )}

      {props.state === "error" && (
        <div className="px-4 pt-3 pb-4 sm:px-5">
          {props.error.detail && (
            <p className="rounded-md bg-rose-50 px-3 py-2 font-mono text-xs break-words text-rose-900 dark:bg-rose-950/60 dark:text-rose-200">
              {props.error.detail}
            </p>
          )}
          <button
            type="button"
            onClick={props.onRetry}
            disabled={props.retrying}
            className="mt-3 inline-flex min-h-10 items-center justify-center rounded-md bg-slate-900 px-4 text-sm font-semibold text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-wait disabled:opacity-70 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-white"
          >
            {props.retrying ? "Retrying…" : "Retry"}
          </button>
        </div>
      )}
    </section>
  );
}

function HealthTable({ health }: { health: THealthDto }) {
  const { database } = health;
  const { migrations } = database;
  return (
    <dl className="divide-y divide-slate-100 px-4 py-1 text-sm sm:px-5 dark:divide-slate-800">
      <Row term="Version">
        <span className="font-mono">{health.version}</span>
      </Row>
      <Row term="Database runtime">
        <span className="font-mono">{database.runtime}</span>
        <span className="text-slate-500 dark:text-slate-400"> ({RUNTIME_LABELS[database.runtime]})</span>
      </Row>
      <Row term="Database reachable">
        <Flag ok={database.reachable}>{database.reachable ? "yes" : "no"}</Flag>
      </Row>
      <Row term="Migrations">
        {migrations.applied} applied, {migrations.pending.length} pending
        {!migrations.current && migrations.pending.length === 0 && (
          <span className="text-amber-700 dark:text-amber-300"> (history not current)</span>
        )}
      </Row>
      {migrations.pending.length > 0 && (
        <Row term="Pending">
          <ul className="space-y-0.5 font-mono text-xs">
            {migrations.pending.map((name) => (
              <li key={name} className="break-all text-amber-800 dark:text-amber-200">
                {name}
              </li>
            ))}
          </ul>
        </Row>
      )}
    </dl>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-0.5 py-2.5 sm:grid-cols-[11rem_1fr] sm:gap-4">
      <dt className="text-slate-500 dark:text-slate-400">{term}</dt>
      <dd className="font-medium text-slate-900 dark:text-slate-100">{children}</dd>
    </div>
  );
}

function Flag({ ok, children }: { ok: boolean; children: ReactNode }) {
  return (
    <span className={ok ? "text-emerald-700 dark:text-emerald-300" : "text-rose-700 dark:text-rose-300"}>
      {children}
    </span>
  );
}
