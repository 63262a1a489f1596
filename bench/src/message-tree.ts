// Message-tree backfill benchmark: 1,000,000 messages across 10,000 sessions written before the tree
// (no parent ids, the shape bench:conversations generates), linked by the batched, resumable backfill.
// Prints the time, the batches, and the counts and foreign-key checks before and after; then stops a
// run halfway and resumes it, and compares message.list's first and deep pages (its own query) on the linked tree.
// Uses DATABASE_URL when set (PostgreSQL), the embedded PGlite otherwise.
import { randomUUID } from "node:crypto";
import { backfillMessageTree, listMessages, readAsUser, treeCounts } from "@lockstep/db";
import { createTestDatabase } from "@lockstep/db/testing";
import { median } from "./timing.ts";

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);

async function main(): Promise<void> {
  const db = await createTestDatabase();
  try {
    const userId = randomUUID();
    const perSession = Math.floor(MESSAGES / SESSIONS);
    const seeded = Date.now();
    await db.pool.query(
      `INSERT INTO users (id, name, email, updated_at) VALUES ($1, 'Bench', 'bench@example.com', now())`,
      [userId],
    );
    await db.pool.query("ALTER TABLE messages DISABLE TRIGGER message_count_trigger");
    await db.pool.query(
      `INSERT INTO sessions (user_id, type, name, last_activity, created_at, updated_at)
       SELECT $1, 'TEXT', 'chat ' || g, now() - make_interval(secs => g * 37), now() - make_interval(secs => g * 41), now()
         FROM generate_series(1, $2) AS g`,
      [userId, SESSIONS],
    );
    await db.pool.query(
      `INSERT INTO messages (session_id, user_id, text, author, "timestamp", updated_at)
       SELECT s.id, $1, 'message ' || g, CASE WHEN g % 2 = 0 THEN 'USER'::"MessageAuthor" ELSE 'AI'::"MessageAuthor" END,
              s.last_activity - make_interval(secs => $2 - g), now()
         FROM sessions s CROSS JOIN LATERAL generate_series(1, $2::int) AS g`,
      [userId, perSession],
    );
    await db.pool.query("ALTER TABLE messages ENABLE TRIGGER message_count_trigger");
    await db.pool.query("ANALYZE sessions; ANALYZE messages;");
    console.log(
      `runtime: ${db.runtime}; ${SESSIONS.toLocaleString()} sessions, ${(perSession * SESSIONS).toLocaleString()} messages; ` +
        `seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s; batches of ${BATCH} sessions`,
    );

    // A run stopped halfway (the process died after some batches) and then resumed.
    const half = Math.ceil(SESSIONS / BATCH / 2);
    const stopAt = new Error("stopped halfway");
    const partial = await backfillMessageTree(db, {
      batchSessions: BATCH,
      onBatch: (batch) => {
        if (batch === half) throw stopAt;
      },
    }).catch((error: unknown) => (error === stopAt ? null : Promise.reject(error)));
    if (partial !== null) throw new Error("the partial run was expected to stop");
    const midway = await treeCounts(db.pool);
    console.log(`stopped after ${half} batches: ${JSON.stringify(midway)}`);
    const resumed = await backfillMessageTree(db, { batchSessions: BATCH });
    console.log(
      `resumed: ${resumed.batches} more batches, ${resumed.linked.toLocaleString()} linked in ${(resumed.ms / 1000).toFixed(1)} s`,
    );
    console.log(`after: ${JSON.stringify(resumed.after)}`);

    // The whole backfill again from scratch, on unlinked rows, for its full time.
    await db.pool.query("UPDATE messages SET parent_id = NULL");
    await db.pool.query("VACUUM ANALYZE messages");
    const full = await backfillMessageTree(db, { batchSessions: BATCH, restart: true });
    console.log(
      `full backfill: ${full.batches} batches, ${full.linked.toLocaleString()} messages linked in ${(full.ms / 1000).toFixed(1)} s ` +
        `(${Math.round(full.linked / (full.ms / 1000)).toLocaleString()} rows/s)`,
    );
    console.log(`before: ${JSON.stringify(full.before)}`);
    console.log(`after:  ${JSON.stringify(full.after)}`);
    const again = await backfillMessageTree(db, { batchSessions: BATCH, restart: true });
    console.log(`a second run links ${again.linked} messages (idempotent)`);

    // message.list's query shape (branch on screen, keyset) on the linked tree: first page vs deep.
    const session = (await db.pool.query<{ id: string }>("SELECT id FROM sessions ORDER BY id LIMIT 1")).rows[0]!.id;
    const deep = (
      await db.pool.query<{ timestamp: Date; id: string }>(
        `SELECT "timestamp", id FROM messages WHERE session_id = $1 ORDER BY "timestamp" DESC, id DESC OFFSET $2 LIMIT 1`,
        [session, Math.floor(perSession * 0.9)],
      )
    ).rows[0]!;
    // The repository function message.list runs, as the person (row-level security on).
    const page = (after: { timestamp: Date; id: string } | null) =>
      readAsUser(db, userId, (tx) =>
        listMessages(tx, {
          sessionId: session,
          direction: "older",
          after: after ? { time: after.timestamp, id: after.id } : undefined,
          limit: 51,
        }),
      );
    const time = async (run: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < 30; i++) {
        const start = performance.now();
        await run();
        samples.push(performance.now() - start);
      }
      return median(samples);
    };
    const first = await time(() => page(null));
    const deepPage = await time(() => page(deep));
    console.log(
      `message list page (${perSession} messages per session): first ${first.toFixed(2)} ms, 90% deep ${deepPage.toFixed(2)} ms, ratio ${(deepPage / first).toFixed(2)}`,
    );
  } finally {
    await db.close();
  }
}

await main();
