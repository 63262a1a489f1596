// The work a request accepts for a session (replies, screenshot reads, analyses), as durable jobs on one queue ordered
// per session: pg-boss's key_strict_fifo policy, keyed by the session id, runs one job of a session
// at a time and in the order they were sent, so two sends while a reply streams get their replies
// one after the other, never interleaved. A job's id is the id of what it answers (the person's
// message), so a retried request enqueues nothing new. A job whose process died is taken over when
// its heartbeat lapses; its next attempt closes the dead attempt's log row and carries on.
import type { JobQueue } from "@lockstep/db";
import { v5 as uuidv5 } from "uuid";
import { z } from "zod";

export const SESSION_WORK_QUEUE = "session-work";

/** Name-based (v5) ids (replies, memory jobs): a fixed namespace, so the same input always gets the same id. */
const REPLY_ID_NAMESPACE = "5d0c4b0e-8a53-4c1e-9f0a-6f1f3e0c2a71";

/** How the queue treats a session's jobs (applied on every start, so a change rolls out with a deploy). */
export const SESSION_WORK_QUEUE_OPTIONS = {
  policy: "key_strict_fifo",
  // Attempts lost with their process (heartbeat lapsed) or failed by something other than the model
  // (the database was briefly unreachable); the model call itself retries inside the AI core's policy.
  retryLimit: 3,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 30,
  // A worker refreshes its jobs' heartbeats every 5 s; a job silent for 10 s is lost with its process.
  heartbeatSeconds: 10,
  expireInSeconds: 15 * 60,
  notify: true,
} as const;

export const ZReplyJobSchema = z.object({
  kind: z.literal("reply"),
  userId: z.string(),
  sessionId: z.string(),
  /** The person's message being answered; also the job's id. */
  messageId: z.string(),
  requestId: z.string(),
  ip: z.string().nullable(),
  /**
   * A regenerated reply: the first version of the reply it stands beside, and what its reply id is
   * derived from (the message's own reply id is taken by the first version).
   */
  regenerate: z.object({ versionOf: z.string(), replyKey: z.string() }).optional(),
});
export type TReplyJob = z.infer<typeof ZReplyJobSchema>;

export const ZOcrJobSchema = z.object({
  kind: z.literal("ocr"),
  userId: z.string(),
  sessionId: z.string(),
  requestId: z.string(),
  ip: z.string().nullable(),
  /** The stored screenshot: the worker reads its bytes from storage by key. */
  file: z.object({
    key: z.string(),
    mime: z.string(),
    bytes: z.number(),
    width: z.number(),
    height: z.number(),
    sha256: z.string(),
  }),
});
export type TOcrJob = z.infer<typeof ZOcrJobSchema>;

/** Suggestions for the session: queued behind its replies, so it reads the conversation they finished. */
export const ZAnalysisJobSchema = z.object({
  kind: z.literal("analysis"),
  userId: z.string(),
  sessionId: z.string(),
  requestId: z.string(),
  ip: z.string().nullable(),
});
export type TAnalysisJob = z.infer<typeof ZAnalysisJobSchema>;

/** What the session's character should remember of a session that ended. */
export const ZMemoriesJobSchema = z.object({
  kind: z.literal("memories"),
  userId: z.string(),
  sessionId: z.string(),
  characterId: z.string(),
  requestId: z.string(),
  ip: z.string().nullable(),
});
export type TMemoriesJob = z.infer<typeof ZMemoriesJobSchema>;

export const ZSessionWorkJobSchema = z.discriminatedUnion("kind", [
  ZReplyJobSchema,
  ZOcrJobSchema,
  ZAnalysisJobSchema,
  ZMemoriesJobSchema,
]);

/** What a job that failed in a way the person must hear about completes with (it never holds its session's queue). */
export const ZJobFailureSchema = z.object({
  failed: z.literal(true),
  reason: z.enum(["not_found", "illegal_state", "provider_failed", "internal"]),
  message: z.string(),
});
export type TJobFailure = z.infer<typeof ZJobFailureSchema>;
export type TSessionWorkJob = z.infer<typeof ZSessionWorkJobSchema>;

/** The session-work workers of this process, per queue, so a job sent here wakes one at once. */
const localWorkers = new WeakMap<JobQueue, string[]>();

/** Called by a worker once it is taking session jobs from `queue`. */
export function registerLocalSessionWorker(queue: JobQueue, workerId: string): void {
  localWorkers.set(queue, [...(localWorkers.get(queue) ?? []), workerId]);
}

/**
 * Sends a session job and wakes this process's own worker, if it has one: without it the job waits
 * for the next poll (NOTIFY wakes workers on PostgreSQL, but the embedded database has none).
 */
async function sendSessionJob(
  queue: JobQueue,
  data: TSessionWorkJob,
  options: { id?: string; singletonKey: string },
): Promise<string | null> {
  const id = await queue.send(SESSION_WORK_QUEUE, data, options);
  if (id) for (const workerId of localWorkers.get(queue) ?? []) queue.notifyWorker(workerId);
  return id;
}

export async function createSessionWorkQueue(queue: JobQueue): Promise<void> {
  if (!(await queue.getQueue(SESSION_WORK_QUEUE))) {
    await queue.createQueue(SESSION_WORK_QUEUE, SESSION_WORK_QUEUE_OPTIONS);
    return;
  }
  // The policy and heartbeat are fixed at creation; the retry and expiry settings follow the code.
  const { retryLimit, retryDelay, retryBackoff, expireInSeconds, notify } = SESSION_WORK_QUEUE_OPTIONS;
  await queue.updateQueue(SESSION_WORK_QUEUE, { retryLimit, retryDelay, retryBackoff, expireInSeconds, notify });
}

/**
 * Enqueues the reply to `job.messageId`; null when it was already enqueued (a retried request). A
 * retry of a reply that failed passes a fresh `jobId` (the message's own id is spent on the first job);
 * it still stores its reply under the same reply id, and waits its turn behind the session's other jobs.
 */
export function enqueueReply(
  queue: JobQueue,
  job: Omit<TReplyJob, "kind">,
  jobId: string = job.messageId,
): Promise<string | null> {
  const data: TReplyJob = { kind: "reply", ...job };
  return sendSessionJob(queue, data, { id: jobId, singletonKey: job.sessionId });
}

/** Enqueues reading an uploaded screenshot (each accepted upload is read once; a new upload is a new job). */
export function enqueueOcr(queue: JobQueue, job: Omit<TOcrJob, "kind">): Promise<string | null> {
  const data: TOcrJob = { kind: "ocr", ...job };
  return sendSessionJob(queue, data, { singletonKey: job.sessionId });
}

/** Enqueues an analysis; its id is returned so the request can wait for the outcome. */
export async function enqueueAnalysis(queue: JobQueue, job: Omit<TAnalysisJob, "kind">): Promise<string> {
  const data: TAnalysisJob = { kind: "analysis", ...job };
  const id = await sendSessionJob(queue, data, { singletonKey: job.sessionId });
  if (!id) throw new Error("the queue refused a new analysis job");
  return id;
}

/** Enqueues memory extraction for an ended session: one job per session, however often it is ended. */
export function enqueueMemories(queue: JobQueue, job: Omit<TMemoriesJob, "kind">): Promise<string | null> {
  const data: TMemoriesJob = { kind: "memories", ...job };
  return sendSessionJob(queue, data, {
    id: uuidv5(`memories:${job.sessionId}`, REPLY_ID_NAMESPACE),
    singletonKey: job.sessionId,
  });
}

/** The id a reply is stored under: derived from the message it answers, so every attempt stores the same reply. */
export function replyIdFor(messageId: string): string {
  return uuidv5(`reply:${messageId}`, REPLY_ID_NAMESPACE);
}
