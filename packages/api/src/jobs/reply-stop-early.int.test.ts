// Stop pressed before the reply's job has started (it waits its turn on the queue): when the job runs it
// makes no model call and writes no reply, the person's message is owed nothing, and the session takes
// the next send. The worker is started only after Stop, so the order is certain rather than raced.
import { SessionStreams } from "@lockstep/ai";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { type JobQueue, openJobQueue } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson } from "../../test/testing/callers.ts";
import { queuedRuntime, sessionJobs } from "../../test/testing/queued-runtime.ts";
import { createLocalStorage } from "../storage/index.ts";
import { SESSION_WORK_QUEUE } from "./session-work-queue.ts";
import { prepareQueues, startSessionWorker } from "./worker.ts";

let db: TestDatabase;
let model: FakeOpenAiServer;
let queue: JobQueue;
const streams = new SessionStreams();

beforeAll(async () => {
  db = await createTestDatabase();
  model = await startFakeOpenAiServer({ reply: () => "An answer that streams.", chunkDelayMs: 30 });
  queue = await openJobQueue(db, { schedule: false });
  await prepareQueues(queue);
}, 120_000);

afterAll(async () => {
  await queue?.stop({ graceful: false });
  await streams.close();
  await model?.close();
  await db?.close();
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("Stop before the reply has started", () => {
  it("makes no call and writes no reply, and the person can send again", async () => {
    const ai = queuedRuntime({ db, model, queue, streams });
    const person = await createPerson(db, { ai });
    const session = await person.caller.session.create({ type: "text", name: "Early stop" });
    const sent = await person.caller.message.send({ sessionId: session.id, text: "are you there?", reply: true });
    expect(sent.replyStatus).toBe("pending");
    expect((await sessionJobs(db, SESSION_WORK_QUEUE, session.id)).map((job) => job.state)).toEqual(["created"]);
    expect(await person.caller.message.stop({ sessionId: session.id })).toEqual({ stopping: true });

    const events: string[] = [];
    const listening = new AbortController();
    const heard = (async () => {
      for await (const envelope of streams.subscribe(session.id, null, listening.signal))
        events.push(envelope.event.kind);
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await startSessionWorker({ db, ai, queue, storage: createLocalStorage(os.tmpdir()), concurrency: 1 });
    await waitFor(
      () => sessionJobs(db, SESSION_WORK_QUEUE, session.id),
      (jobs) => jobs.every((job) => job.state === "completed"),
    );
    listening.abort();
    await heard;

    const items = (await person.caller.message.list({ sessionId: session.id })).items;
    expect(items.map((m) => [m.author, m.replyStatus])).toEqual([["user", null]]);
    expect(model.requestsTo("chat")).toHaveLength(0);
    const logged = await db.pool.query("SELECT 1 FROM ai_interactions WHERE session_id = $1", [session.id]);
    expect(logged.rowCount).toBe(0);
    // An open chat hears that the reply stopped and sees the message owed nothing.
    expect(events).toEqual(["error", "message"]);

    // The stop does not carry over: the next send is answered in full.
    await person.caller.message.send({ sessionId: session.id, text: "hello?", reply: true });
    const answered = await waitFor(
      async () => (await person.caller.message.list({ sessionId: session.id })).items,
      (list) => list.some((m) => m.author === "ai") && list.every((m) => m.replyStatus === null),
    );
    expect(answered.map((m) => [m.author, m.text])).toEqual([
      ["user", "are you there?"],
      ["user", "hello?"],
      ["ai", "An answer that streams."],
    ]);
    expect(answered.find((m) => m.author === "ai")!.stopped).toBe(false);
    // Its job titles the session after storing the reply; let it finish before the database closes.
    await waitFor(
      () => sessionJobs(db, SESSION_WORK_QUEUE, session.id),
      (jobs) => jobs.length === 2 && jobs.every((job) => job.state === "completed"),
    );
  });
});
