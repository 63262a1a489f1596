// Links the messages written before conversations became a tree into one line per session (each
// message's parent is the one before it in time). Runs as the owner, in keyset batches of sessions,
// each batch one short transaction that also records how far it got, so a stopped run resumes where it
// was; row counts and the parent foreign key are checked before and after.
import type pg from "pg";
import type { Database } from "./connection.ts";

export interface TreeCounts {
  messages: number;
  sessionsWithMessages: number;
  /** Messages with no parent that are not a later version of a turn: one per session once linked. */
  unlinked: number;
  /** Parents that do not exist, or lie in another session: always 0. */
  badParents: number;
}

export interface BackfillReport {
  before: TreeCounts;
  after: TreeCounts;
  batches: number;
  linked: number;
  resumedFrom: string | null;
  ms: number;
}

const PROGRESS_TABLE = "message_tree_backfill";

export async function treeCounts(pool: pg.Pool): Promise<TreeCounts> {
  const { rows } = await pool.query<{ messages: string; sessions: string; unlinked: string; bad: string }>(`
    SELECT (SELECT count(*) FROM messages) AS messages,
           (SELECT count(DISTINCT session_id) FROM messages) AS sessions,
           (SELECT count(*) FROM messages WHERE parent_id IS NULL AND version_of IS NULL) AS unlinked,
           (SELECT count(*) FROM messages m LEFT JOIN messages p ON p.id = m.parent_id
             WHERE m.parent_id IS NOT NULL AND (p.id IS NULL OR p.session_id <> m.session_id)) AS bad`);
  const row = rows[0]!;
  return {
    messages: Number(row.messages),
    sessionsWithMessages: Number(row.sessions),
    unlinked: Number(row.unlinked),
    badParents: Number(row.bad),
  };
}

/**
 * Runs the backfill (or resumes it). `restart` forgets the recorded progress. Throws, having changed
 * nothing more, when a check fails: bad parents before it starts, or counts that do not add up after.
 */
export async function backfillMessageTree(
  db: Database,
  options: { batchSessions?: number; restart?: boolean; onBatch?: (batch: number, linked: number) => void } = {},
): Promise<BackfillReport> {
  const started = Date.now();
  const batchSessions = options.batchSessions ?? 500;
  const pool = db.pool;
  await pool.query(`CREATE TABLE IF NOT EXISTS ${PROGRESS_TABLE} (
    id int PRIMARY KEY CHECK (id = 1), last_session_id uuid, batches int NOT NULL DEFAULT 0,
    linked bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz)`);
  if (options.restart) await pool.query(`DELETE FROM ${PROGRESS_TABLE}`);
  await pool.query(`INSERT INTO ${PROGRESS_TABLE} (id) VALUES (1) ON CONFLICT (id) DO NOTHING`);

  const before = await treeCounts(pool);
  if (before.badParents > 0)
    throw new Error(`${before.badParents} messages have a missing or foreign parent; fix those first`);
  const progress = await pool.query<{ last_session_id: string | null }>(
    `SELECT last_session_id FROM ${PROGRESS_TABLE} WHERE id = 1`,
  );
  const resumedFrom = progress.rows[0]?.last_session_id ?? null;
  let last = resumedFrom;
  let batches = 0;
  let linked = 0;
  for (;;) {
    // One statement per batch: the links and the progress they make commit together or not at all.
    const { rows } = await pool.query<{ last: string | null; linked: string; sessions: string }>(
      `WITH batch AS (
         SELECT id FROM sessions WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2
       ), linked AS (
         UPDATE messages m SET parent_id = ordered.previous
           FROM (SELECT id, lag(id) OVER (PARTITION BY session_id ORDER BY "timestamp", id) AS previous
                   FROM messages WHERE session_id IN (SELECT id FROM batch)) ordered
          WHERE m.id = ordered.id AND m.session_id IN (SELECT id FROM batch)
            AND m.parent_id IS NULL AND m.version_of IS NULL AND ordered.previous IS NOT NULL
         RETURNING 1
       ), last AS (SELECT id FROM batch ORDER BY id DESC LIMIT 1),
       progress AS (
         UPDATE ${PROGRESS_TABLE}
            SET last_session_id = COALESCE((SELECT id FROM last), last_session_id),
                batches = batches + CASE WHEN EXISTS (SELECT 1 FROM batch) THEN 1 ELSE 0 END,
                linked = linked + (SELECT count(*) FROM linked), updated_at = now(),
                finished_at = CASE WHEN EXISTS (SELECT 1 FROM batch) THEN NULL ELSE now() END
          WHERE id = 1
       )
       SELECT (SELECT id FROM last) AS last, (SELECT count(*) FROM linked) AS linked,
              (SELECT count(*) FROM batch) AS sessions`,
      [last, batchSessions],
    );
    const row = rows[0]!;
    if (Number(row.sessions) === 0 || !row.last) break;
    last = row.last;
    batches += 1;
    linked += Number(row.linked);
    options.onBatch?.(batches, linked);
  }

  const after = await treeCounts(pool);
  const problems: string[] = [];
  if (after.messages !== before.messages)
    problems.push(`message count changed: ${before.messages} -> ${after.messages}`);
  if (after.badParents > 0) problems.push(`${after.badParents} messages have a missing or foreign parent`);
  if (after.unlinked !== after.sessionsWithMessages)
    problems.push(`${after.unlinked} messages without a parent for ${after.sessionsWithMessages} conversations`);
  if (problems.length) throw new Error(`backfill checks failed: ${problems.join("; ")}`);
  return { before, after, batches, linked, resumedFrom, ms: Date.now() - started };
}
