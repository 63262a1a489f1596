// The conversation controls over the real queue and a slow fake OpenAI-compatible model: one reply at a
// time per session, Stop (through the database flag the worker polls, so it reaches a reply running in
// any process) keeping the partial text and logging the call CANCELLED, Regenerate into versions, and
// Edit into a branch that stays reachable, with the chosen version the one later context uses; a retried
// Edit makes one version, and the version on screen cannot change under a reply being written.
import { SessionStreams } from "@lockstep/ai";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { type JobQueue, openJobQueue } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, errorOf, type TestPerson } from "../../test/testing/callers.ts";
import { queuedRuntime } from "../../test/testing/queued-runtime.ts";
import { createLocalStorage } from "../storage/index.ts";
import { prepareQueues, startSessionWorker } from "./worker.ts";

let db: TestDatabase;
let model: FakeOpenAiServer;
let queue: JobQueue;
const streams = new SessionStreams();
const LONG_REPLY = Array.from({ length: 80 }, (_, i) => `word${i}`).join(" ");
let replies = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  // Every answer names its turn, so versions can be told apart; a long one streams for seconds.
  model = await startFakeOpenAiServer({
    reply: (body) => {
      replies += 1;
      const last = body.messages?.at(-1)?.content;
      return typeof last === "string" && last.includes("long") ? LONG_REPLY : `Answer ${replies}.`;
    },
    chunkDelayMs: 30,
  });
  queue = await openJobQueue(db, { schedule: false });
  await prepareQueues(queue);
  await startSessionWorker({ db, ai: runtime(), queue, storage: createLocalStorage(os.tmpdir()), concurrency: 2 });
}, 120_000);

afterAll(async () => {
  await queue?.stop({ graceful: false });
  await streams.close();
  await model?.close();
  await db?.close();
});

function runtime() {
  return queuedRuntime({ db, model, queue, streams });
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const history = async (person: TestPerson, sessionId: string) =>
  (await person.caller.message.list({ sessionId })).items;
const answered = (person: TestPerson, sessionId: string, count: number) =>
  waitFor(
    () => history(person, sessionId),
    (items) => items.filter((m) => m.author === "ai").length >= count && items.every((m) => m.replyStatus === null),
  );

/** Resolves once the session's stream has carried a token of a reply (kept events are replayed first). */
async function firstTokenIn(sessionId: string, timeoutMs = 30_000): Promise<void> {
  const done = new AbortController();
  const timer = setTimeout(() => done.abort(), timeoutMs);
  try {
    for await (const { event } of streams.subscribe(sessionId, null, done.signal)) {
      if (event.kind === "token") return;
    }
    throw new Error(`no token streamed in session ${sessionId} within ${timeoutMs} ms`);
  } finally {
    clearTimeout(timer);
    done.abort();
  }
}

async function interactionsOf(sessionId: string) {
  const result = await db.pool.query<{ status: string; error_code: string | null }>(
    "SELECT status::text, error_code FROM ai_interactions WHERE session_id = $1 ORDER BY created_at",
    [sessionId],
  );
  return result.rows;
}

async function newSession() {
  const person = await createPerson(db, { ai: runtime() });
  // Named by the person, so it is not titled after its first reply: only reply calls are logged.
  const session = await person.caller.session.create({ type: "text", name: "Controls" });
  return { person, sessionId: session.id };
}

describe("one reply at a time", () => {
  it("refuses a second send while a reply is written, then accepts it once the reply is stored", async () => {
    const { person, sessionId } = await newSession();
    await person.caller.message.send({ sessionId, text: "a long question", reply: true });
    const second = await errorOf(person.caller.message.send({ sessionId, text: "and another", reply: true }));
    expect(second).toMatchObject({ code: "CONFLICT" });
    expect(second.message).toMatch(/still replying/);
    // Nothing of the refused send was stored.
    expect((await history(person, sessionId)).map((m) => m.text)).toEqual(["a long question"]);
    await answered(person, sessionId, 1);
    await person.caller.message.send({ sessionId, text: "and another", reply: true });
    const items = await answered(person, sessionId, 2);
    expect(items.map((m) => m.author)).toEqual(["user", "ai", "user", "ai"]);
    // Each message follows the one before it.
    expect(items.slice(1).map((m) => m.parentId)).toEqual(items.slice(0, -1).map((m) => m.id));
  });
});

describe("Stop", () => {
  it("aborts the model call, keeps the partial text as a stopped reply, and logs the call CANCELLED", async () => {
    const { person, sessionId } = await newSession();
    const sent = await person.caller.message.send({ sessionId, text: "tell me something long", reply: true });
    // Stopped once some of the reply has streamed (however slow the machine), long before all of it has.
    await firstTokenIn(sessionId);
    expect(await person.caller.message.stop({ sessionId })).toEqual({ stopping: true });
    const items = await answered(person, sessionId, 1);
    const reply = items.find((m) => m.author === "ai")!;
    expect(reply.stopped).toBe(true);
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.text.length).toBeLessThan(LONG_REPLY.length);
    expect(LONG_REPLY.startsWith(reply.text)).toBe(true);
    expect(items.find((m) => m.id === sent.id)!.replyStatus).toBeNull();
    expect(await interactionsOf(sessionId)).toEqual([{ status: "CANCELLED", error_code: "cancelled" }]);
    // Nothing runs now: stopping again is a no-op, and the person may send.
    expect(await person.caller.message.stop({ sessionId })).toEqual({ stopping: false });
    await person.caller.message.send({ sessionId, text: "ok", reply: true });
    await answered(person, sessionId, 2);
  });
});

describe("versions and branches", () => {
  it("regenerates a reply into a second version, and the chosen version is what later context reads", async () => {
    const { person, sessionId } = await newSession();
    await person.caller.message.send({ sessionId, text: "first", reply: true });
    const [, first] = await answered(person, sessionId, 1);
    const regenerating = await person.caller.message.regenerate({ messageId: first!.id });
    expect(regenerating.replyStatus).toBe("pending");
    const items = await answered(person, sessionId, 1);
    const second = items.at(-1)!;
    expect(second.id).not.toBe(first!.id);
    expect(second.versions).toEqual([first!.id, second.id]);
    expect(items.map((m) => m.author)).toEqual(["user", "ai"]);
    // Two logged calls, one per version.
    expect((await interactionsOf(sessionId)).map((row) => row.status)).toEqual(["SUCCESS", "SUCCESS"]);

    // Back to the first version: it is on screen, and the next reply's prompt carries it, not the second.
    await person.caller.message.selectVersion({ messageId: first!.id });
    expect((await history(person, sessionId)).map((m) => m.id).at(-1)).toBe(first!.id);
    model.reset();
    await person.caller.message.send({ sessionId, text: "next", reply: true });
    await answered(person, sessionId, 2);
    const prompt = JSON.stringify(model.requestsTo("chat").at(-1)!.body.messages);
    expect(prompt).toContain(first!.text);
    expect(prompt).not.toContain(second.text);
  });

  it("edits a message into a new version whose old branch stays reachable", async () => {
    const { person, sessionId } = await newSession();
    const original = await person.caller.message.send({ sessionId, text: "hello", reply: true });
    await answered(person, sessionId, 1);
    await person.caller.message.send({ sessionId, text: "how are you", reply: true });
    const before = await answered(person, sessionId, 2);
    expect(before).toHaveLength(4);

    const edited = await person.caller.message.edit({ messageId: original.id, text: "hi there" });
    expect(edited.versions).toEqual([original.id, edited.id]);
    const after = await answered(person, sessionId, 1);
    expect(after.map((m) => [m.author, m.text.startsWith("Answer") ? "answer" : m.text])).toEqual([
      ["user", "hi there"],
      ["ai", "answer"],
    ]);
    // The old branch, with both its turns, comes back whole.
    await person.caller.message.selectVersion({ messageId: original.id });
    expect((await history(person, sessionId)).map((m) => m.id)).toEqual(before.map((m) => m.id));
    await person.caller.message.selectVersion({ messageId: edited.id });
    expect((await history(person, sessionId)).map((m) => m.id)).toEqual(after.map((m) => m.id));
  });

  it("refuses to regenerate a person's message or to edit a coach reply, and changes nothing", async () => {
    const { person, sessionId } = await newSession();
    const mine = await person.caller.message.send({ sessionId, text: "hey", reply: true });
    const [, reply] = await answered(person, sessionId, 1);
    expect(await errorOf(person.caller.message.regenerate({ messageId: mine.id }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await errorOf(person.caller.message.edit({ messageId: reply!.id, text: "x" }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await history(person, sessionId)).map((m) => m.id)).toEqual([mine.id, reply!.id]);
  });

  it("a retried Edit with the same id makes one version and returns the same message, even when both arrive at once", async () => {
    const { person, sessionId } = await newSession();
    const original = await person.caller.message.send({ sessionId, text: "hello", reply: true });
    await answered(person, sessionId, 1);
    const id = randomUUID();
    const edit = () => person.caller.message.edit({ messageId: original.id, id, text: "hi there" });
    // The response to the first was lost, so the client sent it again at once: both answer the same.
    const [first, concurrent] = await Promise.all([edit(), edit()]);
    const again = await edit();
    const same = (m: typeof first) => ({ id: m.id, text: m.text, parentId: m.parentId, versions: m.versions });
    expect(first.id).toBe(id);
    expect(first.versions).toEqual([original.id, id]);
    expect(same(concurrent)).toEqual(same(first));
    expect(same(again)).toEqual(same(first));
    const after = await answered(person, sessionId, 1);
    expect(after.map((m) => m.id)[0]).toBe(id);
    // Retried once more after its reply landed: still the same version, and no second reply is written.
    expect(same(await edit())).toEqual(same(first));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rows = await db.pool.query<{ author: string; n: number }>(
      "SELECT author::text, count(*)::int AS n FROM messages WHERE session_id = $1 GROUP BY author ORDER BY author",
      [sessionId],
    );
    expect(rows.rows).toEqual([
      { author: "AI", n: 2 },
      { author: "USER", n: 2 },
    ]);
    expect((await interactionsOf(sessionId)).map((row) => row.status)).toEqual(["SUCCESS", "SUCCESS"]);
  });

  it("refuses an id already used by another message, or a retry that changes the text, and changes nothing", async () => {
    const { person, sessionId } = await newSession();
    const original = await person.caller.message.send({ sessionId, text: "hello", reply: true });
    await answered(person, sessionId, 1);
    const before = await history(person, sessionId);
    // The id of the message being edited is not a new version of it.
    expect(
      await errorOf(person.caller.message.edit({ messageId: original.id, id: original.id, text: "hi" })),
    ).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already used/) });
    const id = randomUUID();
    await person.caller.message.edit({ messageId: original.id, id, text: "hi there" });
    const edited = await answered(person, sessionId, 1);
    expect(
      await errorOf(person.caller.message.edit({ messageId: original.id, id, text: "something else" })),
    ).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already used/) });
    expect(await history(person, sessionId)).toEqual(edited);
    expect(edited.map((m) => m.id)).not.toEqual(before.map((m) => m.id));
  });

  it("refuses to switch versions while a reply is written, changing nothing, and switches once it is stored", async () => {
    const { person, sessionId } = await newSession();
    await person.caller.message.send({ sessionId, text: "first", reply: true });
    const [, first] = await answered(person, sessionId, 1);
    await person.caller.message.regenerate({ messageId: first!.id });
    const second = (await answered(person, sessionId, 1)).at(-1)!;
    await person.caller.message.send({ sessionId, text: "a long one now", reply: true });
    await waitFor(
      () => interactionsOf(sessionId),
      (rows) => rows.length === 3,
    );
    const during = await history(person, sessionId);
    // Switching would take the message being answered off screen, and its reply with it.
    for (const messageId of [first!.id, second.id]) {
      const refused = await errorOf(person.caller.message.selectVersion({ messageId }));
      expect(refused).toMatchObject({ code: "CONFLICT" });
      expect(refused.message).toMatch(/still replying.*try again/);
    }
    expect(await history(person, sessionId)).toEqual(during);
    const settled = await answered(person, sessionId, 2);
    expect(settled.map((m) => m.id).slice(0, 3)).toEqual(during.map((m) => m.id));
    expect(settled.map((m) => m.author)).toEqual(["user", "ai", "user", "ai"]);
    await person.caller.message.selectVersion({ messageId: first!.id });
    expect((await history(person, sessionId)).map((m) => m.id)).toEqual([settled[0]!.id, first!.id]);
    // The branch written during the refusal stays reachable behind the second version.
    await person.caller.message.selectVersion({ messageId: second.id });
    expect((await history(person, sessionId)).map((m) => m.id)).toEqual(settled.map((m) => m.id));
  });
});
