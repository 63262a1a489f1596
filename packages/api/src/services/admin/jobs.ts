// Operators' job-queue use cases: list the durable jobs with their state, count them per queue and state, retry a
// failed or cancelled job and cancel one still to run or running; retries and cancels are audited.
import {
  CANCELLABLE_JOB_STATES,
  JOB_ERROR_MAX,
  JOB_STATES,
  JobState,
  RETRYABLE_JOB_STATES,
  type TJobActionInput,
  type TJobCounts,
  type TJobDto,
  type TJobListInput,
  type TJobListPage,
  type TJobState,
  type TJobStateCounts,
  type TQueueJobState,
} from "@lockstep/contracts";
import { JOB_QUEUE_SCHEMA, type JobQueue } from "@lockstep/db";
import { AppError } from "../../errors.ts";
import type { AdminScope } from "../../scopes.ts";
import { cursorCodec, ZTimeIdKeySchema } from "../cursors.ts";

const ENTITY = "job";
const SCHEMA = JOB_QUEUE_SCHEMA;

const jobsCursor = cursorCodec("admin.jobs.list", ZTimeIdKeySchema);

/**
 * A job's state as operators see it. A session job's last failed attempt completes with
 * `{ failed: true }` rather than ending `failed` (which would hold back its session's later jobs),
 * so that is shown as failed too.
 */
const FINISHED_WITH_FAILURE = `(state = 'completed' AND output->>'failed' = 'true')`;
const SHOWN_STATE = `(CASE WHEN ${FINISHED_WITH_FAILURE} THEN 'failed' ELSE state::text END)`;

interface JobRow {
  id: string;
  name: string;
  state: TQueueJobState;
  finished_with_failure: boolean;
  kind: string | null;
  session_id: string | null;
  user_id: string | null;
  retry_count: number;
  retry_limit: number;
  created_ms: number | string;
  started_ms: number | string | null;
  completed_ms: number | string | null;
  error: string | null;
  singleton_key: string | null;
}

// Only the fields an operator needs leave the database: a job's data also holds request metadata (the
// person's IP, request id), so it is picked apart in SQL rather than read whole. Times are truncated to
// milliseconds, the resolution of the wire and of the cursor, so a page boundary never splits a microsecond tie.
const JOB_COLUMNS = `
  id::text AS id,
  name,
  ${SHOWN_STATE} AS state,
  ${FINISHED_WITH_FAILURE} AS finished_with_failure,
  data->>'kind' AS kind,
  data->>'sessionId' AS session_id,
  data->>'userId' AS user_id,
  retry_count,
  retry_limit,
  floor(extract(epoch FROM created_on) * 1000)::float8 AS created_ms,
  floor(extract(epoch FROM started_on) * 1000)::float8 AS started_ms,
  floor(extract(epoch FROM completed_on) * 1000)::float8 AS completed_ms,
  CASE WHEN state = 'failed' OR ${FINISHED_WITH_FAILURE} THEN left(output->>'message', ${JOB_ERROR_MAX}) END AS error,
  singleton_key`;

function msOf(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function toDto(row: JobRow): TJobDto {
  return {
    id: row.id,
    queue: row.name,
    state: JobState.fromQueue(row.state),
    kind: row.kind,
    sessionId: row.session_id,
    userId: row.user_id,
    attempts: row.retry_count,
    retryLimit: row.retry_limit,
    createdAt: msOf(row.created_ms) ?? 0,
    startedAt: msOf(row.started_ms),
    completedAt: msOf(row.completed_ms),
    error: row.error,
    singletonKey: row.singleton_key,
  };
}

function noQueue(): AppError {
  return new AppError("UPSTREAM_UNAVAILABLE", "This server runs no job queue.");
}

/** How many jobs a queue command changed (pg-boss's typings leave its response's fields out). */
function affected(response: unknown): number {
  return Number((response as { affected?: number } | null)?.affected ?? 0);
}

async function rowsOf<T>(queue: JobQueue, sql: string, values: unknown[]): Promise<T[]> {
  const result = await queue.getDb().executeSql(sql, values);
  return result.rows as T[];
}

/** Newest first. Not audited: it shows ids and states, no one's content, and the page polls it every few seconds. */
export async function listJobs(queue: JobQueue | undefined, input: TJobListInput): Promise<TJobListPage> {
  const after = jobsCursor.decode(input.cursor);
  if (!queue) return { items: [], nextCursor: null };
  const created = `date_trunc('milliseconds', created_on)`;
  const rows = await rowsOf<JobRow>(
    queue,
    `SELECT ${JOB_COLUMNS}
       FROM ${SCHEMA}.job
      WHERE ($1::text IS NULL OR name = $1)
        AND ($2::text IS NULL OR ${SHOWN_STATE} = $2)
        AND ($3::timestamptz IS NULL OR (${created}, id) < ($3::timestamptz, $4::uuid))
      ORDER BY ${created} DESC, id DESC
      LIMIT $5`,
    [
      input.queue ?? null,
      input.state ? JobState.toQueue(input.state) : null,
      after ? new Date(after.t).toISOString() : null,
      after?.id ?? null,
      input.limit + 1,
    ],
  );
  const items = rows.slice(0, input.limit).map(toDto);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > input.limit && last ? jobsCursor.encode({ t: last.createdAt, id: last.id }) : null,
  };
}

function emptyCounts(): TJobStateCounts {
  return Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as TJobStateCounts;
}

/** Jobs per queue and state (every queue listed, even an empty one). Not audited, as the list. */
export async function countJobs(queue: JobQueue | undefined): Promise<TJobCounts> {
  const total = emptyCounts();
  if (!queue) return { available: false, total, queues: [] };
  const [queues, rows] = await Promise.all([
    queue.getQueues(),
    rowsOf<{ name: string; state: TQueueJobState; n: number | string }>(
      queue,
      `SELECT name, ${SHOWN_STATE} AS state, count(*) AS n FROM ${SCHEMA}.job GROUP BY 1, 2`,
      [],
    ),
  ]);
  const byQueue = new Map<string, TJobStateCounts>(queues.map((q) => [q.name, emptyCounts()]));
  for (const row of rows) {
    const state = JobState.fromQueue(row.state);
    const counts = byQueue.get(row.name) ?? emptyCounts();
    byQueue.set(row.name, counts);
    counts[state] += Number(row.n);
    total[state] += Number(row.n);
  }
  return {
    available: true,
    total,
    queues: [...byQueue.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, counts]) => ({ queue: name, counts })),
  };
}

async function findJob(queue: JobQueue, input: TJobActionInput): Promise<TJobDto> {
  const [row] = await rowsOf<JobRow>(
    queue,
    `SELECT ${JOB_COLUMNS} FROM ${SCHEMA}.job WHERE name = $1 AND id = $2::uuid`,
    [input.queue, input.id],
  );
  if (!row) throw new AppError("NOT_FOUND", `No job "${input.id}" in queue "${input.queue}".`, { ...input });
  return toDto(row);
}

function refused(action: "retry" | "cancel", job: TJobDto, allowed: readonly TJobState[]): AppError {
  return new AppError(
    "CONFLICT",
    `Cannot ${action} a ${job.state} job; only ${allowed.join(" or ")} jobs can be ${action === "retry" ? "retried" : "cancelled"}.`,
    { id: job.id, state: job.state, allowed: [...allowed] },
  );
}

/** What the audit row keeps of a job: where it stood, not its data. */
function auditView(job: TJobDto) {
  return { id: job.id, queue: job.queue, state: job.state, kind: job.kind, attempts: job.attempts };
}

// The queue's own connection makes the change, then the audit row is written: the queue's tables are not the
// admin scope's (and on PGlite one connection cannot hold two transactions), so the two are not one atomic write.
// The queue's statements are conditional on the state, so a job that moved since the check is reported, not changed.
async function act(
  scope: AdminScope,
  queue: JobQueue | undefined,
  input: TJobActionInput,
  action: "retry" | "cancel",
  allowed: readonly TJobState[],
  run: (queue: JobQueue, before: TJobDto) => Promise<number>,
): Promise<TJobDto> {
  if (!queue) throw noQueue();
  const before = await findJob(queue, input);
  if (!allowed.includes(before.state)) throw refused(action, before, allowed);
  const changed = await run(queue, before);
  const after = await findJob(queue, input);
  if (changed === 0) throw refused(action, after, allowed);
  return scope.change({ action: `admin.jobs.${action}`, entityType: ENTITY, entityId: input.id }, () =>
    Promise.resolve({ result: after, before: auditView(before), after: auditView(after) }),
  );
}

/**
 * A failed job goes back to `retrying` (one more attempt allowed), a cancelled one back to `queued`.
 * A session job that finished with its failure is done for the queue, so a copy of it is queued
 * instead (behind its session's other jobs); the answer is that new job.
 */
export async function retryJob(
  scope: AdminScope,
  queue: JobQueue | undefined,
  input: TJobActionInput,
): Promise<TJobDto> {
  if (queue) {
    const [finished] = await rowsOf<{ data: object; singleton_key: string | null }>(
      queue,
      `SELECT data, singleton_key FROM ${SCHEMA}.job WHERE name = $1 AND id = $2::uuid AND ${FINISHED_WITH_FAILURE}`,
      [input.queue, input.id],
    );
    if (finished) {
      const before = await findJob(queue, input);
      const copyId = await queue.send(input.queue, finished.data, {
        ...(finished.singleton_key ? { singletonKey: finished.singleton_key } : {}),
      });
      if (!copyId) throw new AppError("CONFLICT", "The queue did not take a copy of the job; try again.", { ...input });
      const after = await findJob(queue, { queue: input.queue, id: copyId });
      return scope.change({ action: "admin.jobs.retry", entityType: ENTITY, entityId: input.id }, () =>
        Promise.resolve({ result: after, before: auditView(before), after: auditView(after) }),
      );
    }
  }
  return act(scope, queue, input, "retry", RETRYABLE_JOB_STATES, async (q, before) => {
    return affected(
      before.state === "cancelled" ? await q.resume(input.queue, input.id) : await q.retry(input.queue, input.id),
    );
  });
}

/** A running job is marked cancelled too; its worker is not stopped, but what it settles with is no longer recorded. */
export function cancelJob(scope: AdminScope, queue: JobQueue | undefined, input: TJobActionInput): Promise<TJobDto> {
  return act(scope, queue, input, "cancel", CANCELLABLE_JOB_STATES, async (q) => {
    return affected(await q.cancel(input.queue, input.id));
  });
}
