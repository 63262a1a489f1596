// admin.jobs.* through createCaller against a real queue (pg-boss on the test database, PGlite or PostgreSQL): jobs listed by state and queue with only picked fields, counts per state, a failed job retried and a queued one cancelled (each audited), refusals for the wrong state, bad input, plain users and a server without a queue.
import { randomUUID } from "node:crypto";
import type { TJobDto } from "@lockstep/contracts";
import { type JobQueue, openJobQueue } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditRows } from "../../../test/fixtures.ts";
import { fakeRuntime } from "../../../test/testing/fake-ai.ts";
import { callerFor, errorOf, insertUser, type TestUser } from "../../../test/testing/callers.ts";
import { SESSION_WORK_QUEUE } from "../../jobs/session-work-queue.ts";
import { prepareQueues } from "../../jobs/worker.ts";

/** A queue of this test's own with no retries, so one failed attempt fails the job for good. */
const FLAKY = "admin-jobs-test";

let db: TestDatabase;
let queue: JobQueue;
let admin: TestUser;
let bob: TestUser;
const sessionId = randomUUID();
let replyId: string;
let failedId: string;

function adminCaller(user: TestUser = admin) {
  const { runtime } = fakeRuntime();
  return callerFor(db, user, { ai: { ...runtime, jobs: queue } });
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const trpc = error as { code: string; message: string; cause?: { issues?: { path: PropertyKey[] }[] } };
    return {
      code: trpc.code,
      message: trpc.message,
      fields: (trpc.cause?.issues ?? []).map((issue) => issue.path.map(String).join(".")),
    };
  }
  throw new Error("expected the call to fail");
}

async function allJobs(input: { state?: TJobDto["state"]; queue?: string } = {}): Promise<TJobDto[]> {
  const items: TJobDto[] = [];
  let cursor: string | null = null;
  do {
    const page = await adminCaller().admin.jobs.list({ ...input, cursor, limit: 2 });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  db = await createTestDatabase();
  queue = await openJobQueue(db, { schedule: false, supervise: false });
  await prepareQueues(queue);
  await queue.createQueue(FLAKY, { retryLimit: 0 });
  admin = await insertUser(db, { role: "admin" });
  bob = await insertUser(db);
  const messageId = randomUUID();
  replyId = (await queue.send(
    SESSION_WORK_QUEUE,
    { kind: "reply", userId: bob.id, sessionId, messageId, requestId: "req-1", ip: "10.9.8.7" },
    { id: messageId, singletonKey: sessionId },
  ))!;
  // A worker that throws on a queue with no retries: the job fails for good, its error as output.
  failedId = (await queue.send(FLAKY, { kind: "probe", ip: "10.9.8.7" }))!;
  const [fetched] = await queue.fetch(FLAKY);
  expect(fetched?.id).toBe(failedId);
  await queue.fail(FLAKY, failedId, { message: "the probe blew up", stack: "at secret.ts:1" });
  for (let i = 0; i < 3; i += 1) await queue.send(FLAKY, { kind: "filler" });
}, 120_000);

afterAll(async () => {
  await queue?.stop({ graceful: false });
  await db?.close();
});

describe("admin.jobs.list and counts", () => {
  it("lists a queued reply with picked fields only, and a failed job with its error", async () => {
    const jobs = await allJobs();
    expect(jobs.map((job) => job.createdAt)).toEqual([...jobs.map((job) => job.createdAt)].sort((a, b) => b - a));
    const reply = jobs.find((job) => job.id === replyId);
    expect(reply).toMatchObject({
      queue: SESSION_WORK_QUEUE,
      state: "queued",
      kind: "reply",
      sessionId,
      userId: bob.id,
      attempts: 0,
      retryLimit: 3,
      startedAt: null,
      completedAt: null,
      error: null,
      singletonKey: sessionId,
    });
    expect(Object.keys(reply!).sort()).toEqual(
      [
        "attempts",
        "completedAt",
        "createdAt",
        "error",
        "id",
        "kind",
        "queue",
        "retryLimit",
        "sessionId",
        "singletonKey",
        "startedAt",
        "state",
        "userId",
      ].sort(),
    );
    expect(JSON.stringify(jobs)).not.toContain("10.9.8.7");
    const failed = jobs.find((job) => job.id === failedId);
    expect(failed).toMatchObject({ queue: FLAKY, state: "failed", kind: "probe", error: "the probe blew up" });
    expect(failed!.startedAt).not.toBeNull();
    expect(failed!.completedAt).not.toBeNull();
    expect(JSON.stringify(failed)).not.toContain("secret.ts");
  });

  it("filters by state and queue, in keyset pages", async () => {
    expect((await allJobs({ state: "failed" })).map((job) => job.id)).toEqual([failedId]);
    expect((await allJobs({ queue: SESSION_WORK_QUEUE })).map((job) => job.id)).toEqual([replyId]);
    const queued = await allJobs({ queue: FLAKY, state: "queued" });
    expect(queued).toHaveLength(3);
    expect(new Set(queued.map((job) => job.id)).size).toBe(3);
  });

  it("counts jobs per queue and state", async () => {
    const counts = await adminCaller().admin.jobs.counts();
    expect(counts.available).toBe(true);
    expect(counts.queues.find((q) => q.queue === FLAKY)?.counts).toMatchObject({ queued: 3, failed: 1, running: 0 });
    expect(counts.queues.find((q) => q.queue === SESSION_WORK_QUEUE)?.counts).toMatchObject({ queued: 1 });
    expect(counts.total.queued).toBe(4);
    expect(counts.total.failed).toBe(1);
  });
});

describe("admin.jobs.retry and cancel", () => {
  it("retries a failed job (back in line for another attempt), audited with before and after", async () => {
    const job = await adminCaller().admin.jobs.retry({ queue: FLAKY, id: failedId });
    expect(job).toMatchObject({ id: failedId, state: "retrying", error: null, completedAt: null });
    const [audit] = await auditRows(db, { action: "admin.jobs.retry", entityId: failedId });
    expect(audit).toMatchObject({ actor_id: admin.id, entity_type: "job" });
    expect(audit!.before).toMatchObject({ state: "failed", queue: FLAKY });
    expect(audit!.after).toMatchObject({ state: "retrying" });
    // A worker takes it again.
    const [again] = await queue.fetch(FLAKY);
    expect(again?.id).toBe(failedId);
  });

  it("cancels a queued job, then retries the cancelled one back to queued; each audited", async () => {
    const caller = adminCaller();
    const cancelled = await caller.admin.jobs.cancel({ queue: SESSION_WORK_QUEUE, id: replyId });
    expect(cancelled).toMatchObject({ id: replyId, state: "cancelled" });
    expect(cancelled.completedAt).not.toBeNull();
    const [audit] = await auditRows(db, { action: "admin.jobs.cancel", entityId: replyId });
    expect(audit).toMatchObject({ actor_id: admin.id, before: { state: "queued" }, after: { state: "cancelled" } });
    expect(await caller.admin.jobs.retry({ queue: SESSION_WORK_QUEUE, id: replyId })).toMatchObject({
      state: "queued",
    });
    expect(await auditRows(db, { action: "admin.jobs.retry", entityId: replyId })).toHaveLength(1);
  });

  it("cancels a running job, so what its worker settles with is no longer recorded", async () => {
    const id = (await queue.send(FLAKY, { kind: "slow" }, { priority: 10 }))!;
    const [running] = await queue.fetch(FLAKY);
    expect(running?.id).toBe(id);
    expect((await allJobs({ state: "running" })).map((job) => job.id)).toContain(id);
    expect(await adminCaller().admin.jobs.cancel({ queue: FLAKY, id })).toMatchObject({ state: "cancelled" });
    await queue.complete(FLAKY, running!, { done: true });
    expect((await allJobs({ state: "cancelled", queue: FLAKY })).map((job) => job.id)).toContain(id);
  });

  it("is CONFLICT naming the state for a job in the wrong state, and changes nothing", async () => {
    const caller = adminCaller();
    const retry = await failure(caller.admin.jobs.retry({ queue: SESSION_WORK_QUEUE, id: replyId }));
    expect(retry.code).toBe("CONFLICT");
    expect(retry.message).toContain("queued");
    const doneId = (await queue.send(FLAKY, { kind: "done" }))!;
    await queue.deleteJob(FLAKY, doneId);
    const finished = (await queue.send(SESSION_WORK_QUEUE, { kind: "analysis" }, { singletonKey: randomUUID() }))!;
    await queue.cancel(SESSION_WORK_QUEUE, finished);
    const cancel = await failure(caller.admin.jobs.cancel({ queue: SESSION_WORK_QUEUE, id: finished }));
    expect(cancel.code).toBe("CONFLICT");
    expect(cancel.message).toContain("cancelled");
    expect(await auditRows(db, { entityId: finished })).toEqual([]);
    expect((await failure(caller.admin.jobs.cancel({ queue: FLAKY, id: doneId }))).code).toBe("NOT_FOUND");
  });

  it("refuses bad input with BAD_REQUEST naming the field", async () => {
    const caller = adminCaller();
    for (const [call, field] of [
      [caller.admin.jobs.retry({ queue: FLAKY, id: "not-a-uuid" }), "id"],
      [caller.admin.jobs.cancel({ queue: "bad queue!", id: randomUUID() }), "queue"],
      [caller.admin.jobs.list({ state: "created" as never }), "state"],
      [caller.admin.jobs.list({ limit: 0 }), "limit"],
    ] as const) {
      const error = await failure(call);
      expect(error.code, field).toBe("BAD_REQUEST");
      expect(error.fields, field).toEqual([field]);
    }
    expect((await failure(caller.admin.jobs.list({ cursor: "bm9wZQ" }))).code).toBe("BAD_REQUEST");
  });

  it("is FORBIDDEN for a plain user, who changes nothing and leaves no audit row", async () => {
    const caller = adminCaller(bob);
    expect((await errorOf(caller.admin.jobs.list({}))).code).toBe("FORBIDDEN");
    expect((await errorOf(caller.admin.jobs.counts())).code).toBe("FORBIDDEN");
    expect((await errorOf(caller.admin.jobs.cancel({ queue: FLAKY, id: failedId }))).code).toBe("FORBIDDEN");
    expect((await errorOf(caller.admin.jobs.retry({ queue: FLAKY, id: failedId }))).code).toBe("FORBIDDEN");
    expect(await auditRows(db, { actorId: bob.id })).toEqual([]);
  });

  it("answers a server without a queue: an empty list, counts marked unavailable, UPSTREAM_UNAVAILABLE to change", async () => {
    const caller = callerFor(db, admin);
    expect(await caller.admin.jobs.list({})).toEqual({ items: [], nextCursor: null });
    expect(await caller.admin.jobs.counts()).toMatchObject({ available: false, queues: [] });
    expect((await errorOf(caller.admin.jobs.retry({ queue: FLAKY, id: failedId }))).code).toBe("SERVICE_UNAVAILABLE");
  });
});

describe("a session job that finished with its failure", () => {
  it("shows as failed with its error, and retrying it queues a copy behind its session's other jobs", async () => {
    const otherSession = randomUUID();
    const id = (await queue.send(
      SESSION_WORK_QUEUE,
      { kind: "analysis", userId: bob.id, sessionId: otherSession, requestId: "req-2", ip: "10.9.8.7" },
      { singletonKey: otherSession },
    ))!;
    // What the worker's last attempt does instead of failing the job (so the session is not held back).
    const fetched = await queue.fetch(SESSION_WORK_QUEUE, { batchSize: 10 });
    expect(fetched.map((job) => job.id)).toContain(id);
    await queue.complete(SESSION_WORK_QUEUE, id, { failed: true, reason: "internal", message: "the model gave up" });

    const failed = (await allJobs({ state: "failed", queue: SESSION_WORK_QUEUE })).find((job) => job.id === id);
    expect(failed).toMatchObject({
      state: "failed",
      kind: "analysis",
      sessionId: otherSession,
      error: "the model gave up",
    });

    const copy = await adminCaller().admin.jobs.retry({ queue: SESSION_WORK_QUEUE, id });
    expect(copy).toMatchObject({ state: "queued", kind: "analysis", sessionId: otherSession });
    expect(copy.id).not.toBe(id);
    expect(await auditRows(db, { action: "admin.jobs.retry", entityId: id })).toHaveLength(1);
  });
});
