// The floor bench:http measures Lockstep against: a plain Fastify + pg server answering the same SQL
// as each Lockstep procedure (the repositories' own statements, run through a shim instead of
// Prisma), with no auth, no row-level security and no tRPC. Writes that Lockstep makes atomic run
// in a plain transaction here too; reads run as single statements. Started by bench/src/http.ts as
// its own process: `tsx src/http/raw-server.ts` with PORT and DATABASE_URL (or RAW_PGLITE_DIR).
import { randomUUID } from "node:crypto";
import {
  appliedMigrations,
  type Database,
  findMessage,
  findSession,
  insertMessageIfAbsent,
  listMessages,
  listSessions,
  openDatabase,
  openJobQueue,
  Prisma,
  type ScopedTx,
  sessionChanges,
  touchSession,
  updateSession,
} from "@lockstep/db";
import Fastify from "fastify";
import type pg from "pg";

/** The statement a repository builds, as the text and values pg takes. */
function statementOf(first: unknown, values: unknown[]): { text: string; values: unknown[] } {
  const sql = first instanceof Prisma.Sql ? first : Prisma.sql(first as TemplateStringsArray, ...values);
  return { text: sql.text, values: sql.values };
}

/** What the repositories call on a Prisma transaction, answered by one pg client or the pool. */
function sqlRunner(client: Pick<pg.Pool, "query">): ScopedTx {
  const runner = {
    $queryRaw: async (first: unknown, ...values: unknown[]) => (await client.query(statementOf(first, values))).rows,
    $executeRaw: async (first: unknown, ...values: unknown[]) =>
      (await client.query(statementOf(first, values))).rowCount ?? 0,
  };
  return runner as unknown as ScopedTx;
}

async function inTransaction<T>(pool: pg.Pool, work: (tx: ScopedTx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(sqlRunner(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

interface SendBody {
  userId: string;
  sessionId: string;
  text: string;
}

async function main(): Promise<void> {
  const poolMax = Number(process.env.DATABASE_POOL_MAX ?? 10);
  const db: Database = process.env.DATABASE_URL
    ? await openDatabase({ url: process.env.DATABASE_URL, poolMax })
    : await openDatabase({ pgliteDataDir: process.env.RAW_PGLITE_DIR ?? "" });
  const queue = await openJobQueue(db, { schedule: false, supervise: false });
  const pool = db.pool;
  const reads = sqlRunner(pool);
  const app = Fastify({ logger: false });

  app.get("/health", async () => ({ migrations: (await appliedMigrations(db)).length, time: Date.now() }));

  // auth.me's read (the session lookup is auth, which this arm has none of).
  app.get<{ Querystring: { userId: string } }>("/me", async (request) => {
    const { rows } = await pool.query(
      `SELECT id, email, name, image, role, disabled_at, created_at FROM users WHERE id = $1 LIMIT 1`,
      [request.query.userId],
    );
    return rows[0] ?? null;
  });

  app.get<{ Querystring: { userId: string } }>("/sessions", async (request) =>
    listSessions(reads, {
      userId: request.query.userId,
      orderBy: "last_activity",
      pinnedFirst: false,
      trash: false,
      limit: 21,
    }),
  );

  // message.list: the page, and the session's existence only when the page is empty.
  app.get<{ Querystring: { sessionId: string } }>("/messages", async (request, reply) => {
    const { sessionId } = request.query;
    const page = await listMessages(reads, { sessionId, direction: "older", limit: 51 });
    if (page.length === 0 && !(await findSession(reads, sessionId)))
      return reply.code(404).send({ error: "no session" });
    return page;
  });

  const sendMessage = (body: SendBody, awaitsReply: boolean) =>
    inTransaction(pool, async (tx) => {
      if (!(await findSession(tx, body.sessionId))) throw new Error("no session");
      const id = randomUUID();
      await insertMessageIfAbsent(tx, {
        id,
        sessionId: body.sessionId,
        userId: body.userId,
        text: body.text,
        author: "USER",
        awaitsReply,
      });
      await touchSession(tx, body.sessionId);
      return findMessage(tx, id);
    });

  app.post<{ Body: SendBody }>("/send", async (request) => sendMessage(request.body, false));

  // A send that asks for a reply also enqueues its durable job, as Lockstep does (nothing works it here).
  app.post<{ Body: SendBody }>("/send-reply", async (request) => {
    const message = await sendMessage(request.body, true);
    const messageId = (message as { id: string }).id;
    await queue.send(
      "session-work",
      {
        kind: "reply",
        userId: request.body.userId,
        sessionId: request.body.sessionId,
        messageId,
        requestId: "raw",
        ip: null,
      },
      { id: messageId, singletonKey: request.body.sessionId },
    );
    return message;
  });

  app.post<{ Body: { sessionId: string; pinned: boolean } }>("/pin", async (request) =>
    inTransaction(pool, (tx) =>
      updateSession(tx, request.body.sessionId, sessionChanges.setPinned(request.body.pinned)),
    ),
  );

  const shutdown = async () => {
    await app.close();
    await queue.stop({ graceful: false, close: true }).catch(() => undefined);
    await db.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
  await app.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
  console.log("raw server ready");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
