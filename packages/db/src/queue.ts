// The durable job queue (pg-boss) on the database the product already runs: on PostgreSQL through
// a small pool of its own (with LISTEN/NOTIFY, so idle workers wake as soon as a job is sent), on
// the embedded PGlite through the database's own one-connection pool. Every piece of work a request
// accepts and every schedule lives here, so a process can die at any moment without losing it.
import type { QueryResult } from "pg";
import { type Db, PgBoss } from "pg-boss";
import type { Database } from "./connection.ts";
import { JOB_QUEUE_SCHEMA } from "./queue-schema.ts";

export { JOB_QUEUE_SCHEMA } from "./queue-schema.ts";

export { PgBoss as JobQueue } from "pg-boss";
export type { Job, JobWithMetadata, Queue as QueueDefinition, SendOptions, WorkOptions } from "pg-boss";

export interface OpenJobQueueOptions {
  /** Run the cron pass (schedules) in this process; one process's pass is enough, but all may. */
  schedule?: boolean;
  /** Run maintenance (expiry of stalled jobs, retention) in this process. */
  supervise?: boolean;
  /** Told about errors of the queue's own background work (polling, maintenance). */
  onError?: (error: Error) => void;
}

/**
 * PGlite is one connection. Handed the instance itself (pg-boss's `fromPglite`), the queue's
 * statements would run inside whatever transaction a request has open on it, and be undone with
 * it; through the database's one-connection pool they wait their turn like every other statement.
 * (So nothing may enqueue while holding a transaction open: it would wait for itself.)
 */
function throughPool(db: Database): Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const result = (await db.pool.query(text, values)) as unknown as QueryResult | QueryResult[];
      // A multi-statement text (pg-boss's migrations, its locked blocks) answers one result per statement.
      return Array.isArray(result) ? { rows: result.flatMap((part) => part.rows ?? []) } : result;
    },
  };
}

/** Starts pg-boss on `db` (creating or migrating its `pgboss` schema on first use). */
export async function openJobQueue(db: Database, options: OpenJobQueueOptions = {}): Promise<PgBoss> {
  const common = {
    schema: JOB_QUEUE_SCHEMA,
    schedule: options.schedule ?? true,
    supervise: options.supervise ?? true,
    // How soon a job whose process died (its heartbeat lapsed) is given to another worker: every
    // 5 s the monitor looks, instead of pg-boss's default minute, so a lost reply restarts quickly.
    monitorIntervalSeconds: 5,
    superviseIntervalSeconds: 5,
    // Workers wake on NOTIFY when a job is sent rather than at their next poll.
    useListenNotify: true,
  };
  const boss = db.pglite
    ? new PgBoss({ ...common, db: throughPool(db), backend: "pglite", useListenNotify: false })
    : new PgBoss({
        ...common,
        connectionString: db.connectionString ?? undefined,
        max: 4,
        application_name: "lockstep-jobs",
      });
  boss.on("error", options.onError ?? ((error: Error) => console.error("[jobs]", error)));
  await boss.start();
  return boss;
}
