// A reply that finally fails stays failed on the person's message (message.list shows it, the session
// stream announces it), and message.retryReply asks again: once, however often it is pressed, and only
// for the person's own message whose reply failed. Real queue, real provider, a fake model that faults.
import { createInteractionLog, SessionStreams, type SessionStreamEnvelope } from "@lockstep/ai";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { type JobQueue, openJobQueue } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, errorOf, type TestPerson } from "../../test/testing/callers.ts";
import { queuedRuntime, sessionJobs } from "../../test/testing/queued-runtime.ts";
import { createLocalStorage } from "../storage/index.ts";
import { runSessionWork } from "./session-work.ts";
import { SESSION_WORK_QUEUE } from "./session-work-queue.ts";
import { prepareQueues, startSessionWorker } from "./worker.ts";

let db: TestDatabase;
let model: FakeOpenAiServer;
let queue: JobQueue;
const streams = new SessionStreams();
/** Model calls per reply (the AI core's own retries); a reply fails when this many calls fault. */
const MODEL_ATTEMPTS = 2;

beforeAll(async () => {
  db = await createTestDatabase();
  model = await startFakeOpenAiServer({ reply: "Glad you asked.", chunkDelayMs: 5 });
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
  return queuedRuntime({ db, model, queue, streams, modelAttempts: MODEL_ATTEMPTS });
}

// Sessions here are named by the person, so no title call after a reply can take a fault meant for a reply.
function failNextReply() {
  for (let i = 0; i < MODEL_ATTEMPTS; i++) model.enqueue({ kind: "status", status: 500, endpoint: "chat" });
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

async function history(person: TestPerson, sessionId: string) {
  return (await person.caller.message.list({ sessionId })).items;
}

/** Sends a message asking for a reply that the model fails, and waits until the failure is stored. */
async function sendFailingReply(person: TestPerson, sessionId: string, text: string) {
  failNextReply();
  const sent = await person.caller.message.send({ sessionId, text, reply: true });
  expect(sent.replyStatus).toBe("pending");
  const items = await waitFor(
    () => history(person, sessionId),
    (messages) => messages.find((message) => message.id === sent.id)?.replyStatus === "failed",
  );
  return { sent, items };
}

describe("a reply that finally fails", () => {
  it("is stored as failed on the person's message and announced; a retry with a healthy model answers it", async () => {
    const person = await createPerson(db, { ai: runtime() });
    const session = await person.caller.session.create({ type: "text", name: "Retries" });
    const events: SessionStreamEnvelope[] = [];
    const listening = new AbortController();
    const collecting = (async () => {
      for await (const envelope of streams.subscribe(session.id, null, listening.signal)) events.push(envelope);
    })();

    const { sent, items } = await sendFailingReply(person, session.id, "Should I text her back?");
    expect(items.map((message) => [message.author, message.replyStatus])).toEqual([["user", "failed"]]);
    expect(items[0]!.replyError).toMatch(/\S/);
    await waitFor(
      async () => events,
      (seen) => seen.some((envelope) => envelope.event.kind === "message"),
      5_000,
    );
    const announced = events.flatMap((envelope) => (envelope.event.kind === "message" ? [envelope.event.message] : []));
    expect(announced).toEqual([expect.objectContaining({ id: sent.id, replyStatus: "failed" })]);

    const retried = await person.caller.message.retryReply({ messageId: sent.id });
    expect(retried).toMatchObject({ id: sent.id, replyStatus: "pending", replyError: null });
    const answered = await waitFor(
      () => history(person, session.id),
      (messages) => messages.some((message) => message.author === "ai"),
    );
    listening.abort();
    await collecting;
    expect(answered.map((message) => [message.author, message.text, message.replyStatus])).toEqual([
      ["user", "Should I text her back?", null],
      ["ai", "Glad you asked.", null],
    ]);
    expect(answered[0]!.replyError).toBeNull();
    const jobs = await waitFor(
      () => jobsFor(session.id),
      (rows) => rows.every((row) => row.state === "completed"),
    );
    // The first job and the retry's own job (a new id: the message's id was spent on the first).
    expect(jobs).toHaveLength(2);
    expect(jobs[0]!.id).toBe(sent.id);
    expect(jobs[1]!.id).not.toBe(sent.id);
  });

  it("retried twice at once enqueues one job; the other retry is told the reply is already being written", async () => {
    const person = await createPerson(db, { ai: runtime() });
    const session = await person.caller.session.create({ type: "text", name: "Retries" });
    const { sent } = await sendFailingReply(person, session.id, "What now?");
    // Hold the retry's reply until both retries are in, so the loser sees PENDING, not an answer.
    model.enqueue({ kind: "ok", endpoint: "chat", delayMs: 500 });

    const outcomes = await Promise.allSettled([
      person.caller.message.retryReply({ messageId: sent.id }),
      person.caller.message.retryReply({ messageId: sent.id }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected")!;
    expect(rejected.reason).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/already being written/),
    });
    expect(await jobsFor(session.id)).toHaveLength(2);

    const answered = await waitFor(
      () => history(person, session.id),
      (messages) => messages.some((message) => message.author === "ai"),
    );
    expect(answered.map((message) => message.author)).toEqual(["user", "ai"]);
    expect(answered[0]!.replyStatus).toBeNull();
    // Answered now: a further retry has nothing to do.
    const again = await errorOf(person.caller.message.retryReply({ messageId: sent.id }));
    expect(again).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/not owed a reply/) });
    expect(await jobsFor(session.id)).toHaveLength(2);
  });

  it("can be retried only by the person whose message it is, and only on a person's message", async () => {
    const alice = await createPerson(db, { ai: runtime() });
    const bob = await createPerson(db, { ai: runtime() });
    const session = await alice.caller.session.create({ type: "text", name: "Retries" });
    const { sent } = await sendFailingReply(alice, session.id, "Is this too forward?");

    expect((await errorOf(bob.caller.message.retryReply({ messageId: sent.id }))).code).toBe("NOT_FOUND");
    expect((await errorOf(alice.caller.message.retryReply({ messageId: crypto.randomUUID() }))).code).toBe("NOT_FOUND");
    const unasked = await alice.caller.message.send({ sessionId: session.id, text: "no reply wanted" });
    expect(unasked.replyStatus).toBeNull();
    expect(await errorOf(alice.caller.message.retryReply({ messageId: unasked.id }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/not owed a reply/),
    });
    // Bob's attempt changed nothing: the message is still failed, with one job.
    const items = await history(alice, session.id);
    expect(items.find((message) => message.id === sent.id)?.replyStatus).toBe("failed");
    expect(await jobsFor(session.id)).toHaveLength(1);
  });
});

describe("a reply job that keeps failing for another reason", () => {
  // The runner alone, with a log that cannot begin a call: not the model's failure, so the queue retries.
  async function setup() {
    const person = await createPerson(db, { ai: runtime() });
    const session = await person.caller.session.create({ type: "text", name: "Retries" });
    // Sent without a job of its own: the runs below are its reply's attempts, owed from the start.
    const sent = await person.caller.message.send({ sessionId: session.id, text: "hello?" });
    await db.pool.query("UPDATE messages SET reply_status = 'PENDING' WHERE id = $1", [sent.id]);
    const broken = {
      ...runtime(),
      log: {
        ...createInteractionLog(db),
        begin: () => Promise.reject(new Error("the log is unreachable")),
      },
    };
    const job = (retryCount: number) => ({
      id: crypto.randomUUID(),
      name: SESSION_WORK_QUEUE,
      data: {
        kind: "reply",
        userId: person.id,
        sessionId: session.id,
        messageId: sent.id,
        requestId: "test",
        ip: null,
      },
      retryCount,
      retryLimit: 3,
    });
    const run = (retryCount: number) =>
      runSessionWork({ db, ai: broken, storage: createLocalStorage(os.tmpdir()) }, job(retryCount) as never);
    return { person, session, run };
  }

  it("stays pending while the queue has attempts left, and is failed on the last one", async () => {
    const { person, session, run } = await setup();
    await expect(run(1)).rejects.toThrow("the log is unreachable");
    expect((await history(person, session.id))[0]!.replyStatus).toBe("pending");
    await expect(run(3)).rejects.toThrow("the log is unreachable");
    const [message] = await history(person, session.id);
    expect(message).toMatchObject({ replyStatus: "failed", replyError: "The reply could not be completed." });
  });
});
