// Replies as durable jobs on the real queue (pg-boss on the test database, PGlite or PostgreSQL),
// with the real provider against a fake OpenAI-compatible model that streams slowly, and the real
// interaction log: a retried send is one job, a send while a reply streams is refused (one reply at a
// time), and replies come one after another, in order, never interleaved.
import { SessionStreams, type SessionStreamEnvelope } from "@lockstep/ai";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { type JobQueue, openJobQueue } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import os from "node:os";
import { createLocalStorage } from "../storage/index.ts";
import { createPerson, errorOf } from "../../test/testing/callers.ts";
import { insertCharacter } from "../../test/testing/characters.ts";
import { queuedRuntime, sessionJobs } from "../../test/testing/queued-runtime.ts";
import { SESSION_WORK_QUEUE } from "./session-work-queue.ts";
import { prepareQueues, startSessionWorker } from "./worker.ts";

let db: TestDatabase;
let model: FakeOpenAiServer;
let queue: JobQueue;
const streams = new SessionStreams();

beforeAll(async () => {
  db = await createTestDatabase();
  model = await startFakeOpenAiServer({
    reply: (body) =>
      body.response_format?.json_schema?.name === "memories"
        ? JSON.stringify({ memories: [{ kind: "preference", content: "Loves hiking", sourceIndex: 0 }] })
        : body.response_format?.json_schema?.name === "session_title"
          ? JSON.stringify({ title: "Plans" })
          : body.response_format
            ? JSON.stringify({
                suggestions: [
                  { title: "Keep it light", tag: "warm", text: "Sounds good!", analysis: "It matches their tone." },
                ],
              })
            : `Answer to: ${lastUserText(body)}`,
    chunkDelayMs: 15,
  });
  queue = await openJobQueue(db, { schedule: false });
  await prepareQueues(queue);
}, 120_000);

afterAll(async () => {
  await queue?.stop({ graceful: false });
  await streams.close();
  await model?.close();
  await db?.close();
});

function lastUserText(body: { messages?: { role: string; content: unknown }[] }): string {
  const users = (body.messages ?? []).filter((message) => message.role === "user");
  const content = users.at(-1)?.content;
  return typeof content === "string" ? (content.split("\n").at(-1) ?? "") : "";
}

function runtime() {
  return queuedRuntime({ db, model, queue, streams });
}

let workerStarted: Promise<void> | null = null;
/** One worker for the file, started by the first test that needs jobs to run (the first checks them queued). */
function ensureWorker(): Promise<void> {
  workerStarted ??= startSessionWorker({
    db,
    ai: runtime(),
    queue,
    storage: createLocalStorage(os.tmpdir()),
    concurrency: 4,
  });
  return workerStarted;
}

const jobsFor = (sessionId: string) => sessionJobs(db, SESSION_WORK_QUEUE, sessionId);

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("replies as durable jobs", () => {
  it("a send retried three times is one job and one reply", async () => {
    const ai = runtime();
    const person = await createPerson(db, { ai });
    const session = await person.caller.session.create({ type: "text" });
    const id = crypto.randomUUID();
    for (let attempt = 0; attempt < 3; attempt++) {
      await person.caller.message.send({ sessionId: session.id, id, text: "Are we still on?", reply: true });
    }
    expect(await jobsFor(session.id)).toEqual([{ id, state: "created" }]);

    await ensureWorker();
    const history = await waitFor(
      () => person.caller.message.list({ sessionId: session.id }),
      (page) => page.items.some((message) => message.author === "ai"),
    );
    expect(history.items.map((message) => message.author)).toEqual(["user", "ai"]);
    expect(
      await waitFor(
        () => jobsFor(session.id),
        (rows) => rows[0]?.state === "completed",
      ),
    ).toEqual([{ id, state: "completed" }]);
  });

  it("one reply at a time: a send while a reply streams is refused; sends after it get their replies in order", async () => {
    await ensureWorker();
    const ai = runtime();
    const person = await createPerson(db, { ai });
    const session = await person.caller.session.create({ type: "text" });
    const events: SessionStreamEnvelope[] = [];
    const listening = new AbortController();
    const collecting = (async () => {
      for await (const envelope of streams.subscribe(session.id, null, listening.signal)) events.push(envelope);
    })();

    const texts = ["first question", "second question", "third question"];
    for (const [index, text] of texts.entries()) {
      await person.caller.message.send({ sessionId: session.id, text, reply: true });
      if (index === 0) {
        const refused = await errorOf(
          person.caller.message.send({ sessionId: session.id, text: "too soon", reply: true }),
        );
        expect(refused.code).toBe("CONFLICT");
      }
      await waitFor(
        () => person.caller.message.list({ sessionId: session.id }),
        (page) => page.items.filter((message) => message.author === "ai").length === index + 1,
      );
    }
    const history = await waitFor(
      () => person.caller.message.list({ sessionId: session.id }),
      (page) => page.items.filter((message) => message.author === "ai").length === texts.length,
    );
    listening.abort();
    await collecting;

    const replies = history.items.filter((message) => message.author === "ai").map((message) => message.text);
    expect(replies).toEqual(texts.map((text) => `Answer to: ${text}`));
    // Tokens of one reply are never interleaved with another's: each reply's tokens form one run.
    const tokenOwners = events.flatMap((envelope) =>
      envelope.event.kind === "token" ? [envelope.event.messageId] : [],
    );
    const runs = tokenOwners.filter((owner, index) => owner !== tokenOwners[index - 1]);
    expect(runs).toHaveLength(texts.length);
    expect(new Set(runs).size).toBe(texts.length);
  });

  it("an analysis asked for while a reply streams waits for the reply to be stored", async () => {
    await ensureWorker();
    const ai = runtime();
    const person = await createPerson(db, { ai });
    const session = await person.caller.session.create({ type: "text" });
    await person.caller.message.send({ sessionId: session.id, text: "are we still on for friday?", reply: true });
    const analysis = await person.caller.session.analyze({ id: session.id });

    const history = await person.caller.message.list({ sessionId: session.id });
    const reply = history.items.find((message) => message.author === "ai" && message.title === null);
    expect(reply?.text).toBe("Answer to: are we still on for friday?");
    expect(analysis.suggestions.map((message) => message.title)).toEqual(["Keep it light"]);
    // Run in the request, the analysis would have stored its suggestions while the reply still streamed.
    for (const suggestion of analysis.suggestions) expect(suggestion.timestamp).toBeGreaterThan(reply!.timestamp);
  });

  it("a session's memories are one job however often it is ended, kept by the time ending answers", async () => {
    await ensureWorker();
    const ai = runtime();
    const person = await createPerson(db, { ai });
    const coach = await insertCharacter(db);
    const { session } = await person.caller.session.start({ characterId: coach.id });
    await person.caller.message.send({ sessionId: session.id, text: "I love hiking" });
    await person.caller.session.end({ id: session.id });
    // Ending answers once the memory job is done, as it did when extraction ran in the request.
    const memories = await person.caller.memory.list({ characterId: coach.id });
    await person.caller.session.end({ id: session.id });
    expect(memories.items.map((memory) => memory.content)).toEqual(["Loves hiking"]);
    const jobs = await db.pool.query<{ state: string }>(
      "SELECT state::text FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND data->>'kind' = 'memories'",
      [SESSION_WORK_QUEUE, session.id],
    );
    expect(jobs.rows).toHaveLength(1);
  });
});
