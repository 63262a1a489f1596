// AI log overhead benchmark: message sends that ask for a reply (the built-in provider streams
// it), per second, with every model call written to ai_interactions versus a log that writes
// nothing, in one run, alternating rounds so drift on this noisy machine hits both alike. Two
// figures: the throughput of several people sending at once (what the log costs the server), and
// one send at a time, each waiting for its reply (what the log's round trips add to one reply).
// Two more arms say where the cost lies: the real log building and masking every row but writing
// none (its own CPU), and a bare durable record of each call (a PENDING row committed before the
// call and its outcome after, in a table with nothing but a key: what "never lose a call" costs).
import { randomUUID } from "node:crypto";
import {
  type AiRuntime,
  createBuiltinProvider,
  createInteractionLog,
  embedMissingChunks,
  type InteractionLog,
  type InteractionStore,
  SessionStreams,
  sentimentOf,
} from "@lockstep/ai";
import { backgroundTasks } from "@lockstep/api";
import { callerFor } from "@lockstep/api/testing";
import { type Database, seedDatabase } from "@lockstep/db";
import { createTestDatabase } from "@lockstep/db/testing";
import { median } from "./timing.ts";

const SENDS_PER_ROUND = Number(process.env.BENCH_SENDS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
/** People sending at once in the throughput rounds, each in a session of their own. */
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);

/** The one ai_interactions row every AI message of the arms that store none points at (its foreign key needs one). */
let placeholderId = "";

/** Satisfies the contract and stores nothing: the baseline. */
const noLog: InteractionLog = {
  async begin() {
    return { id: placeholderId, firstToken() {}, async succeed() {}, async fail() {} };
  },
  inFlight: () => 0,
  cancelInFlight: async () => 0,
};

/** A store for the real log that writes nothing: what is left is the log's own work on each row. */
const writesNothing: InteractionStore = { begin: async (_db, row) => ({ id: row.id }), finish: async () => true };

/** The real log, its handles answering to the placeholder row (the rows it built were never written). */
function buildingOnly(log: InteractionLog): InteractionLog {
  return {
    ...log,
    async begin(spec) {
      const handle = await log.begin(spec);
      return {
        id: placeholderId,
        firstToken: () => handle.firstToken(),
        succeed: (outcome) => handle.succeed(outcome),
        fail: (error) => handle.fail(error),
      };
    },
  };
}

/** A durable record of each call and nothing more: a PENDING row committed before it, its outcome after. */
function bareRecord(db: Database): InteractionLog {
  const finish = (id: string, status: string) =>
    db.logPool.query({
      name: "bench_bare_finish",
      text: "UPDATE bench_bare_calls SET status = $2, updated_at = now() WHERE id = $1",
      values: [id, status],
    });
  return {
    async begin() {
      const id = randomUUID();
      await db.logPool.query({
        name: "bench_bare_begin",
        text: "INSERT INTO bench_bare_calls (id, status) VALUES ($1, 'PENDING')",
        values: [id],
      });
      return {
        id: placeholderId,
        firstToken() {},
        succeed: async () => void (await finish(id, "SUCCESS")),
        fail: async () => void (await finish(id, "ERROR")),
      };
    },
    inFlight: () => 0,
    cancelInFlight: async () => 0,
  };
}

/** Who waits for the next stored AI reply in a session. */
const replyWaiters = new Map<string, () => void>();

/** Resolves when the session's next AI reply has been stored and published. */
function nextReply(sessionId: string): Promise<void> {
  return new Promise((resolve) => replyWaiters.set(sessionId, resolve));
}

/** The in-process session streams, telling `nextReply` about each stored AI reply. */
function replyWatchingStreams(): SessionStreams {
  const streams = new SessionStreams();
  const publish = streams.publish.bind(streams);
  streams.publish = async (sessionId, event) => {
    const envelope = await publish(sessionId, event);
    if (event.kind === "message" && event.message.author === "ai") {
      replyWaiters.get(sessionId)?.();
      replyWaiters.delete(sessionId);
    }
    return envelope;
  };
  return streams;
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  try {
    await seedDatabase(db);
    const provider = createBuiltinProvider();
    await embedMissingChunks(db, provider);
    const { createKnowledgeRetriever } = await import("@lockstep/ai");
    const runtimeWith = (log: InteractionLog): AiRuntime => ({
      provider,
      log,
      streams: replyWatchingStreams(),
      retrieve: (query, options) =>
        createKnowledgeRetriever(
          db,
          provider,
          options.context ? { log, context: options.context } : undefined,
        )(query, options),
      sentimentOf,
    });
    const logged = runtimeWith(createInteractionLog(db));
    const unlogged = runtimeWith(noLog);
    const built = runtimeWith(buildingOnly(createInteractionLog(db, { store: writesNothing })));
    await db.logPool.query(
      "CREATE TABLE bench_bare_calls (id uuid PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())",
    );
    const bare = runtimeWith(bareRecord(db));
    const userId = "bench-user";
    await db.pool.query(
      `INSERT INTO users (id, name, email, updated_at) VALUES ($1, 'Bench', 'bench@example.com', now())`,
      [userId],
    );
    const user = { id: userId, email: "bench@example.com", name: "Bench", role: "user" as const, authSessionId: null };

    // Without a log, AI messages point at interactions that do not exist; give them one row to point at.
    const placeholder = await db.pool.query<{ id: string }>(
      `WITH p AS (INSERT INTO providers (name, kind, updated_at) VALUES ('bench-placeholder', 'BUILTIN', now()) RETURNING id)
       INSERT INTO ai_interactions (provider_id, model_name, operation, request, status, updated_at)
       SELECT p.id, 'none', 'REPLY', '{}', 'SUCCESS', now() FROM p RETURNING id`,
    );
    placeholderId = placeholder.rows[0]?.id as string;

    const caller = (runtime: AiRuntime) => callerFor(db, user, { ai: runtime });
    const text = (index: number) => `She replied late, message ${index}. What should I say?`;

    /** One send at a time, each waiting for its reply. */
    async function oneByOne(runtime: AiRuntime): Promise<number> {
      const person = caller(runtime);
      const session = await person.session.create({ type: "text" });
      const start = performance.now();
      for (let index = 0; index < SENDS_PER_ROUND; index++) {
        await person.message.send({ sessionId: session.id, text: text(index), reply: true });
        await backgroundTasks.settle(30_000);
      }
      return SENDS_PER_ROUND / ((performance.now() - start) / 1000);
    }

    /** SENDERS people at once, each sending in turn (a session has one reply at a time, so each next
     * send waits for the reply to the last); done when every reply is stored. */
    async function together(runtime: AiRuntime): Promise<number> {
      const person = caller(runtime);
      const sessions = await Promise.all(
        Array.from({ length: SENDERS }, () => person.session.create({ type: "text" })),
      );
      const each = Math.ceil(SENDS_PER_ROUND / SENDERS);
      const start = performance.now();
      await Promise.all(
        sessions.map(async (session) => {
          for (let index = 0; index < each; index++) {
            const replied = nextReply(session.id);
            await person.message.send({ sessionId: session.id, text: text(index), reply: true });
            await replied;
          }
        }),
      );
      await backgroundTasks.settle(60_000);
      return (each * SENDERS) / ((performance.now() - start) / 1000);
    }

    const measure = async (round: (runtime: AiRuntime) => Promise<number>) => {
      const arms = { on: logged, off: unlogged, built, bare };
      const rates = { on: [] as number[], off: [] as number[], built: [] as number[], bare: [] as number[] };
      for (const runtime of Object.values(arms)) await round(runtime);
      for (let index = 0; index < ROUNDS; index++) {
        for (const [arm, runtime] of Object.entries(arms)) rates[arm as keyof typeof arms].push(await round(runtime));
      }
      return { on: median(rates.on), off: median(rates.off), built: median(rates.built), bare: median(rates.bare) };
    };
    const concurrent = await measure(together);
    const sequential = await measure(oneByOne);
    const rows = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ai_interactions WHERE provider_id <> (SELECT id FROM providers WHERE name = 'bench-placeholder')",
    );
    console.log(
      `runtime: ${db.runtime}; ${ROUNDS} alternating rounds per arm of ${SENDS_PER_ROUND} sends, each with a streamed built-in reply; ${rows.rows[0]?.n ?? 0} interactions logged`,
    );
    console.log(
      `${SENDERS} people sending at once: ${concurrent.on.toFixed(1)} sends/s with the AI log on, ${concurrent.off.toFixed(1)} with it off`,
    );
    console.log(
      `one send at a time, waiting for its reply: ${sequential.on.toFixed(1)} sends/s on, ${sequential.off.toFixed(1)} off (on / off ${(sequential.on / sequential.off).toFixed(3)})`,
    );
    console.log(`on / off (people sending at once): ${(concurrent.on / concurrent.off).toFixed(3)}`);
    const share = (arm: "built" | "bare") =>
      `${(concurrent[arm] / concurrent.off).toFixed(3)} at once, ${(sequential[arm] / sequential.off).toFixed(3)} one at a time`;
    console.log(`where the cost lies (each arm / off):`);
    console.log(`  the log building and masking every row, writing none: ${share("built")}`);
    console.log(`  a bare durable record (PENDING row before each call, outcome after): ${share("bare")}`);
  } finally {
    await db.close();
  }
}

await main();
