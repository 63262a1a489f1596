// AI log overhead benchmark: message sends that ask for a reply (the built-in provider streams
// it), per second, with every model call written to ai_interactions versus a log that writes
// nothing, in one run, alternating rounds so drift on this noisy machine hits both alike. Two
// figures: the throughput of several people sending at once (what the log costs the server), and
// one send at a time, each waiting for its reply (what the log's round trips add to one reply).
import { randomUUID } from "node:crypto";
import {
  type AiRuntime,
  createBuiltinProvider,
  createInteractionLog,
  embedMissingChunks,
  type InteractionLog,
  SessionStreams,
  sentimentOf,
} from "@lockstep/ai";
import { backgroundTasks } from "@lockstep/api";
import { callerFor } from "@lockstep/api/testing";
import { seedDatabase } from "@lockstep/db";
import { createTestDatabase } from "@lockstep/db/testing";
import { median } from "./timing.ts";

const SENDS_PER_ROUND = Number(process.env.BENCH_SENDS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
/** People sending at once in the throughput rounds, each in a session of their own. */
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);

/** Satisfies the contract and stores nothing: the baseline. */
const noLog: InteractionLog = {
  async begin() {
    return { id: randomUUID(), firstToken() {}, async succeed() {}, async fail() {} };
  },
  inFlight: () => 0,
  cancelInFlight: async () => 0,
};

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
    const placeholderId = placeholder.rows[0]?.id as string;
    noLog.begin = async () => ({ id: placeholderId, firstToken() {}, async succeed() {}, async fail() {} });

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
      await round(logged);
      await round(unlogged);
      const on: number[] = [];
      const off: number[] = [];
      for (let index = 0; index < ROUNDS; index++) {
        on.push(await round(logged));
        off.push(await round(unlogged));
      }
      return { on: median(on), off: median(off) };
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
  } finally {
    await db.close();
  }
}

await main();
