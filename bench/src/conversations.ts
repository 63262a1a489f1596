// Conversations benchmark: 1,000,000 messages for one person across 10,000 sessions. Prints how a
// page deep in a list costs against the first page (keyset pagination should make them equal),
// and what session.list costs over HTTP and tRPC against the same SQL sent straight through pg; and
// session.search over all of that person's messages: its p95 (target under 50 ms on PostgreSQL) and
// the plan. Uses DATABASE_URL when set (PostgreSQL), the embedded PGlite otherwise.
import type { AddressInfo } from "node:net";
import { createAuth } from "@lockstep/api";
import { migrationsOnDisk } from "@lockstep/db";
import { createTestDatabase } from "@lockstep/db/testing";
import { buildApp } from "@lockstep/server/app";
import { messageTextSql, searchBench, VOCABULARY } from "./conversation-search.ts";
import { median, timeRuns } from "./timing.ts";

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
/** One long history (a tenth of all messages) so "90% depth" of a message list means something. */
const LONG_SESSION_MESSAGES = Math.floor(MESSAGES / 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PAGE = 20;

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const auth = createAuth({
    db,
    secret: "bench-secret-bench-secret-bench-secret",
    trustedOrigins: [],
    ipAttemptsPerMinute: 1000,
  });
  const app = await buildApp({
    db,
    auth,
    server: { version: "bench", expectedMigrations: await migrationsOnDisk() },
    bodyLimit: 1 << 20,
    logger: false,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    console.log(
      `runtime: ${db.runtime}; ${SESSIONS.toLocaleString()} sessions, ${MESSAGES.toLocaleString()} messages; ${RUNS} runs per figure (median)`,
    );

    // A real account and cookie, so the HTTP figure includes what every request pays: the session lookup.
    const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: "bench@example.com", password: "bench-password", name: "Bench" }),
    });
    const cookie = signUp.headers
      .getSetCookie()
      .map((entry) => entry.split(";")[0])
      .join("; ");
    const signUpBody = (await signUp.json()) as { user?: { id: string } };
    const userId = signUpBody.user?.id;
    if (!userId) throw new Error(`sign-up failed: ${signUp.status} ${JSON.stringify(signUpBody)}`);

    const started = Date.now();
    await seed(db.pool, userId);
    console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const { callerFor } = await import("@lockstep/api/testing");
    const caller = callerFor(db, {
      id: userId,
      email: "bench@example.com",
      name: "Bench",
      role: "user",
      authSessionId: null,
    });

    // Cursors at the first page and at 90% depth, found the way a client would: by paging.
    const longSession = await db.pool.query<{ id: string }>(
      "SELECT id FROM sessions WHERE user_id = $1 AND name = 'long history'",
      [userId],
    );
    const longSessionId = longSession.rows[0]?.id as string;
    const sessionCursor = await cursorAtDepth(
      (cursor, limit) => caller.session.list({ limit, cursor }),
      Math.floor(SESSIONS * 0.9),
    );
    const messageCursor = await cursorAtDepth(
      (cursor, limit) => caller.message.list({ sessionId: longSessionId, limit, cursor }),
      Math.floor(LONG_SESSION_MESSAGES * 0.9),
    );

    const sessionFirst = await timeRuns(RUNS, () => caller.session.list({ limit: PAGE }));
    const sessionDeep = await timeRuns(RUNS, () => caller.session.list({ limit: PAGE, cursor: sessionCursor }));
    const messageFirst = await timeRuns(RUNS, () => caller.message.list({ sessionId: longSessionId, limit: PAGE }));
    const messageDeep = await timeRuns(RUNS, () =>
      caller.message.list({ sessionId: longSessionId, limit: PAGE, cursor: messageCursor }),
    );

    const httpInput = encodeURIComponent(JSON.stringify({ limit: PAGE }));
    const overHttp = await timeRuns(RUNS, async () => {
      const response = await fetch(`${base}/trpc/session.list?input=${httpInput}`, { headers: { cookie } });
      if (!response.ok) throw new Error(`session.list over HTTP answered ${response.status}`);
      await response.json();
    });
    const straightSql = await timeRuns(RUNS, () =>
      db.pool.query(
        `SELECT id, type, status, name, character_id, engagement_id, episode_template_id, (screenshot_key IS NOT NULL) AS has_screenshot,
                error_reason, created_at, updated_at, last_activity, ended_at, deleted_at, is_active, is_pinned
           FROM sessions WHERE user_id = $1 AND deleted_at IS NULL ORDER BY last_activity DESC, id DESC LIMIT $2`,
        [userId, PAGE + 1],
      ),
    );

    const rows: [string, number, number][] = [
      ["message.list page at 90% depth / first page", median(messageDeep), median(messageFirst)],
      ["session.list page at 90% depth / first page", median(sessionDeep), median(sessionFirst)],
      ["session.list over HTTP + tRPC / same SQL through pg", median(overHttp), median(straightSql)],
    ];
    console.log("");
    for (const [label, numerator, denominator] of rows) {
      console.log(
        `${label.padEnd(54)} ${(numerator / denominator).toFixed(2)}   (${numerator.toFixed(2)} ms / ${denominator.toFixed(2)} ms)`,
      );
    }
    await searchBench(db, userId, caller, RUNS);
  } finally {
    await app.close();
    await db.close();
  }
}

/** Bulk load in SQL; the message-count trigger is paused because no session here has an engagement. */
async function seed(pool: import("pg").Pool, userId: string): Promise<void> {
  const perSession = Math.floor((MESSAGES - LONG_SESSION_MESSAGES) / (SESSIONS - 1));
  await pool.query("ALTER TABLE messages DISABLE TRIGGER message_count_trigger");
  // Building the search index once after the load is several times faster than keeping it current per row.
  const searchIndex = await pool.query<{ def: string }>(
    "SELECT pg_get_indexdef('messages_search_idx'::regclass) AS def",
  );
  await pool.query("DROP INDEX messages_search_idx");
  await pool.query("SELECT setseed(0.42)");
  try {
    await pool.query(
      `INSERT INTO sessions (user_id, type, name, last_activity, created_at, updated_at)
       SELECT $1, 'TEXT', CASE WHEN g = 1 THEN 'long history' ELSE 'chat ' || g END,
              now() - make_interval(secs => g * 37), now() - make_interval(secs => g * 41), now()
         FROM generate_series(1, $2) AS g`,
      [userId, SESSIONS],
    );
    await pool.query(
      `INSERT INTO messages (session_id, user_id, text, author, "timestamp", updated_at)
       SELECT s.id, $1, ${messageTextSql("$4::text[]", "g")}, CASE WHEN g % 2 = 0 THEN 'USER'::"MessageAuthor" ELSE 'CONTACT'::"MessageAuthor" END,
              s.last_activity - make_interval(secs => g), now()
         FROM sessions s CROSS JOIN LATERAL generate_series(1, CASE WHEN s.name = 'long history' THEN $2::int ELSE $3::int END) AS g
        WHERE s.user_id = $1`,
      [userId, LONG_SESSION_MESSAGES, perSession, VOCABULARY],
    );
  } finally {
    await pool.query("ALTER TABLE messages ENABLE TRIGGER message_count_trigger");
    const indexed = Date.now();
    await pool.query(searchIndex.rows[0]?.def as string);
    console.log(`search index built in ${((Date.now() - indexed) / 1000).toFixed(1)} s`);
  }
  await pool.query("ANALYZE sessions; ANALYZE messages;");
}

/** The cursor a client holds after paging `depth` rows in: the API's own, found by paging as a client does. */
async function cursorAtDepth(
  page: (cursor: string | null, limit: number) => Promise<{ items: unknown[]; nextCursor: string | null }>,
  depth: number,
): Promise<string> {
  let cursor: string | null = null;
  for (let seen = 0; seen < depth;) {
    const next: { items: unknown[]; nextCursor: string | null } = await page(cursor, Math.min(100, depth - seen));
    if (!next.nextCursor) throw new Error("not enough rows for that depth");
    seen += next.items.length;
    cursor = next.nextCursor;
  }
  return cursor as string;
}

await main();
