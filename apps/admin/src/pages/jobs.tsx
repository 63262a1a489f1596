// The durable job queue: counts per state, jobs newest first by state and queue (refreshed every few seconds while
// the page is in view), and Retry / Cancel with a confirmation for jobs that allow them.
import {
  CANCELLABLE_JOB_STATES,
  JOB_STATES,
  RETRYABLE_JOB_STATES,
  type TJobDto,
  type TJobState,
  ZJobQueueNameSchema,
  ZJobStateSchema,
} from "@lockstep/contracts";
import { useTRPC } from "@lockstep/ui/trpc";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { type ColumnDef, tableFeatures, useTable } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, ConfirmAction, Empty, Loading, LoadMore, PageHeader, SelectField } from "../components/ui.tsx";
import { formatCount, formatDateTime } from "../lib/format.ts";
import { jobsRoute } from "../router.tsx";

/** How often the counts and the loaded pages are read again; paused by the browser while the tab is hidden. */
const REFRESH_MS = 5_000;
const PAGE_SIZE = 50;

const STATE_LABELS: Record<TJobState, string> = {
  queued: "Queued",
  retrying: "Retrying",
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};
const STATE_TONES = {
  queued: "info",
  retrying: "warn",
  running: "info",
  completed: "ok",
  failed: "bad",
  cancelled: "neutral",
} as const satisfies Record<TJobState, string>;

interface JobSearch {
  state?: TJobState;
  queue?: string;
}

function parseJobSearch(raw: Record<string, unknown>): JobSearch {
  const state = ZJobStateSchema.safeParse(raw.state);
  const queue = ZJobQueueNameSchema.safeParse(raw.queue);
  return { state: state.success ? state.data : undefined, queue: queue.success ? queue.data : undefined };
}

export function JobsPage() {
  const search = parseJobSearch(jobsRoute.useSearch());
  const navigate = useNavigate({ from: "/jobs" });
  const apply = (patch: JobSearch) => void navigate({ search: (current) => ({ ...current, ...patch }) });
  const trpc = useTRPC();
  const counts = useQuery(trpc.admin.jobs.counts.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const totals = counts.data?.total;

  return (
    <>
      <PageHeader
        title="Jobs"
        description="The durable work queue: replies, screenshot reads and analyses waiting, running, done or failed. Retry a failed job or cancel one that has not finished."
        actions={
          <p className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400" role="status">
            <span
              aria-hidden="true"
              className={`size-2 rounded-full ${counts.isFetching ? "animate-pulse bg-indigo-500" : "bg-emerald-500"}`}
            />
            Refreshes every {REFRESH_MS / 1000} s
          </p>
        }
      />
      {counts.isError && (
        <div className="mb-4">
          <ErrorNotice error={counts.error} title="Cannot count jobs" onRetry={() => void counts.refetch()} />
        </div>
      )}
      {counts.data && !counts.data.available ? (
        <Card>
          <Empty>This server runs no job queue, so there are no jobs to show.</Empty>
        </Card>
      ) : (
        <>
          <ul aria-label="Jobs per state" className="mb-4 grid grid-cols-3 gap-2 sm:gap-3 xl:grid-cols-6">
            {JOB_STATES.map((state) => (
              <li
                key={state}
                data-job-count={state}
                className="rounded-xl border border-slate-200 bg-white px-3 py-2 shadow-sm sm:px-4 sm:py-3 dark:border-slate-800 dark:bg-slate-900"
              >
                <p className="truncate text-[11px] font-medium text-slate-500 uppercase sm:text-xs dark:text-slate-400">
                  {STATE_LABELS[state]}
                </p>
                <p
                  className={`mt-1 text-xl font-semibold tabular-nums sm:text-2xl ${state === "failed" && totals?.failed ? "text-rose-700 dark:text-rose-300" : ""}`}
                >
                  {totals ? formatCount(totals[state]) : "–"}
                </p>
              </li>
            ))}
          </ul>
          <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
            <div role="tablist" aria-label="Job state" className="flex flex-wrap gap-1">
              {[undefined, ...JOB_STATES].map((state) => {
                const selected = search.state === state;
                const count = state ? totals?.[state] : undefined;
                return (
                  <button
                    key={state ?? "all"}
                    type="button"
                    role="tab"
                    aria-selected={selected}
                    onClick={() => apply({ state })}
                    className={`rounded-md px-3 py-1.5 text-sm font-medium ${selected ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"}`}
                  >
                    {state ? STATE_LABELS[state] : "All"}
                    {count !== undefined && <span className="ml-1 tabular-nums opacity-75">{formatCount(count)}</span>}
                  </button>
                );
              })}
            </div>
            <div className="w-full sm:w-64">
              <SelectField
                label="Queue"
                anyLabel="Every queue"
                options={(counts.data?.queues ?? []).map((q) => ({ value: q.queue, label: q.queue }))}
                value={search.queue ?? ""}
                onChange={(event) => apply({ queue: event.target.value || undefined })}
              />
            </div>
          </div>
          <JobTable search={search} />
        </>
      )}
    </>
  );
}

const features = tableFeatures({});

function JobTable({ search }: { search: JobSearch }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const list = useInfiniteQuery(
    trpc.admin.jobs.list.infiniteQueryOptions(
      { ...search, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: REFRESH_MS },
    ),
  );
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.jobs.pathKey() });
  const retry = useMutation(
    trpc.admin.jobs.retry.mutationOptions({
      onSuccess: (job) => {
        setDone(`Job ${job.id.slice(0, 8)} retried: it is ${job.state} now.`);
        refresh();
      },
    }),
  );
  const cancel = useMutation(
    trpc.admin.jobs.cancel.mutationOptions({
      onSuccess: (job) => {
        setDone(`Job ${job.id.slice(0, 8)} cancelled.`);
        refresh();
      },
    }),
  );
  const busyId =
    (retry.isPending ? retry.variables?.id : undefined) ?? (cancel.isPending ? cancel.variables?.id : undefined);
  const actionError = retry.error ?? cancel.error;

  const columns = useMemo<ColumnDef<typeof features, TJobDto>[]>(
    () => [
      {
        id: "state",
        header: "State",
        cell: ({ row }) => <Badge tone={STATE_TONES[row.original.state]}>{STATE_LABELS[row.original.state]}</Badge>,
      },
      {
        id: "job",
        header: "Queue / kind",
        cell: ({ row }) => (
          <span className="block min-w-0">
            <span className="block font-medium">{row.original.kind ?? "–"}</span>
            <span className="block text-xs text-slate-500 dark:text-slate-400">{row.original.queue}</span>
            <span className="block font-mono text-[11px] text-slate-600 dark:text-slate-400" title={row.original.id}>
              {row.original.id.slice(0, 8)}
            </span>
          </span>
        ),
      },
      {
        id: "session",
        header: "Session",
        cell: ({ row }) =>
          row.original.sessionId ? (
            <Link
              to="/sessions/$id"
              params={{ id: row.original.sessionId }}
              className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300"
              title={row.original.sessionId}
            >
              {row.original.sessionId.slice(0, 8)}
              <span className="sr-only"> (open session)</span>
            </Link>
          ) : (
            "–"
          ),
      },
      {
        id: "attempts",
        header: "Retries",
        cell: ({ row }) => (
          <span className="tabular-nums" title="Retries so far / retries allowed">
            {row.original.attempts} / {row.original.retryLimit}
          </span>
        ),
      },
      {
        id: "times",
        header: "Times",
        cell: ({ row }) => (
          <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs leading-5 whitespace-nowrap">
            <dt className="text-slate-500 dark:text-slate-400">Created</dt>
            <dd>{formatDateTime(row.original.createdAt)}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Started</dt>
            <dd>{row.original.startedAt ? formatDateTime(row.original.startedAt) : "–"}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Finished</dt>
            <dd>{row.original.completedAt ? formatDateTime(row.original.completedAt) : "–"}</dd>
          </dl>
        ),
      },
      {
        id: "error",
        header: "Error",
        cell: ({ row }) =>
          row.original.error ? (
            <span
              className="line-clamp-3 text-xs break-words text-rose-700 dark:text-rose-300"
              title={row.original.error}
            >
              {row.original.error}
            </span>
          ) : (
            <span className="text-slate-400">–</span>
          ),
      },
      {
        id: "actions",
        header: "Actions",
        cell: ({ row }) => {
          const job = row.original;
          const input = { queue: job.queue, id: job.id };
          if (RETRYABLE_JOB_STATES.includes(job.state))
            return (
              <ConfirmAction
                key="retry"
                variant="secondary"
                label="Retry"
                confirmLabel="Yes, retry"
                busy={busyId === job.id}
                consequence={`Run this ${job.kind ?? "job"} again${job.state === "failed" ? ", with one more attempt allowed" : ""}.`}
                onConfirm={() => retry.mutate(input)}
              />
            );
          if (CANCELLABLE_JOB_STATES.includes(job.state))
            return (
              <ConfirmAction
                key="cancel"
                label="Cancel"
                confirmLabel="Yes, cancel job"
                busy={busyId === job.id}
                consequence={
                  job.state === "running"
                    ? "Stop recording this job: whatever its worker finishes with is dropped."
                    : "This job will not run. It can be retried later."
                }
                onConfirm={() => cancel.mutate(input)}
              />
            );
          return null;
        },
      },
    ],
    [busyId, retry, cancel],
  );
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  // Rows keyed by job id, so a refresh that brings new jobs leaves an open confirmation on its own job.
  const table = useTable({ features, columns, data: rows, getRowId: (job) => job.id });

  return (
    <Card>
      {done && (
        <p role="status" className="mb-3 text-sm text-emerald-700 dark:text-emerald-300">
          {done}
        </p>
      )}
      {actionError && (
        <div className="mb-3">
          <ErrorNotice error={actionError} title="The job was not changed" />
        </div>
      )}
      {list.isPending ? (
        <Loading label="Loading jobs…" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="Cannot list jobs" onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <Empty>{search.state ? `No ${search.state} jobs.` : "No jobs."}</Empty>
      ) : (
        <>
          {/* Phones: one card per job, each cell under its column's name. */}
          <ul aria-label="Jobs" className="divide-y divide-slate-100 md:hidden dark:divide-slate-800">
            {table.getRowModel().rows.map((row) => (
              <li key={row.id} data-job-card={row.original.id} className="py-3">
                <dl className="grid grid-cols-[5.5rem_1fr] gap-x-3 gap-y-2 text-sm">
                  {row.getAllCells().map((cell) => (
                    <div key={cell.id} className="contents">
                      <dt className="text-xs font-semibold text-slate-500 uppercase dark:text-slate-400">
                        {String(cell.column.columnDef.header)}
                      </dt>
                      <dd className="min-w-0">
                        <table.FlexRender cell={cell} />
                      </dd>
                    </div>
                  ))}
                </dl>
              </li>
            ))}
          </ul>
          <div className="hidden overflow-x-auto md:block">
            <table className="w-full min-w-[48rem] text-left text-sm" aria-label="Jobs">
              <thead className="text-xs text-slate-500 uppercase dark:text-slate-400">
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => (
                      <th key={header.id} scope="col" className="py-2 pr-3 font-semibold">
                        <table.FlexRender header={header} />
                      </th>
                    ))}
                  </tr>
                ))}
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {table.getRowModel().rows.map((row) => (
                  <tr key={row.id} data-job-id={row.original.id} data-job-state={row.original.state}>
                    {row.getAllCells().map((cell) => (
                      <td
                        key={cell.id}
                        className={`py-2 pr-3 align-top ${cell.column.id === "error" ? "max-w-[18rem]" : ""} ${cell.column.id === "actions" ? "w-56" : ""}`}
                      >
                        <table.FlexRender cell={cell} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <LoadMore pages={list} />
    </Card>
  );
}
