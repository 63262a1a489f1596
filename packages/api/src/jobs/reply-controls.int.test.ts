// The conversation controls over the real queue and a slow fake OpenAI-compatible model: one reply at a
// time per session, Stop (through the database flag the worker polls, so it reaches a reply running in
// any process) keeping the partial text and logging the call CANCELLED, Regenerate into versions, and
// Edit into a branch that stays reachable, with the chosen version the one later context uses.
import { SessionStreams } from "@lockstep/ai";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { type JobQueue, openJobQueue } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
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
    await waitFor(
      () => interactionsOf(sessionId),
      (rows) => rows.length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
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
});
