// The operators' view of the durable job queue: a job's state in wire words, what a job shows (picked fields, never its data as stored), and the list, counts, retry and cancel calls.
import { z } from "zod";
import { ZEpochMsSchema } from "./codecs.ts";
import { ZUuidSchema } from "./conversations.ts";
import { pageOf, ZPageInputSchema } from "./pagination.ts";

/** A job's state on the wire; `queued` waits for a first run, `retrying` for another after a failed attempt. */
export const JOB_STATES = ["queued", "retrying", "running", "completed", "failed", "cancelled"] as const;
export const ZJobStateSchema = z.enum(JOB_STATES, {
  error: `state must be one of ${JOB_STATES.join(", ")}`,
});
export type TJobState = z.infer<typeof ZJobStateSchema>;

/** The queue's own state names (pg-boss), one to one with the wire states. */
export const QUEUE_JOB_STATES = ["created", "retry", "active", "completed", "failed", "cancelled"] as const;
export type TQueueJobState = (typeof QUEUE_JOB_STATES)[number];

const TO_WIRE: Record<TQueueJobState, TJobState> = {
  created: "queued",
  retry: "retrying",
  active: "running",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
};
const TO_QUEUE = Object.fromEntries(Object.entries(TO_WIRE).map(([queue, wire]) => [wire, queue])) as Record<
  TJobState,
  TQueueJobState
>;

/** The one mapping between the queue's state names and the wire's. */
export const JobState = {
  fromQueue: (state: TQueueJobState): TJobState => TO_WIRE[state],
  toQueue: (state: TJobState): TQueueJobState => TO_QUEUE[state],
} as const;

/** States an operator may retry a job from, and cancel it from. */
export const RETRYABLE_JOB_STATES: readonly TJobState[] = ["failed", "cancelled"];
export const CANCELLABLE_JOB_STATES: readonly TJobState[] = ["queued", "retrying", "running"];

export const JOB_QUEUE_NAME_MAX = 100;
export const JOB_ERROR_MAX = 2000;

export const ZJobQueueNameSchema = z
  .string({ error: "queue must be a string" })
  .min(1, { error: "queue must not be empty" })
  .max(JOB_QUEUE_NAME_MAX, { error: `queue must be at most ${JOB_QUEUE_NAME_MAX} characters` })
  .regex(/^[A-Za-z0-9_.\-/]+$/, { error: "queue may hold only letters, digits, _ . - and /" });

export const ZJobDtoSchema = z.object({
  id: z.string().min(1),
  queue: z.string().min(1),
  state: ZJobStateSchema,
  /** `data.kind` of the job when it names one (reply, ocr, analysis…). */
  kind: z.string().nullable(),
  sessionId: z.string().nullable(),
  userId: z.string().nullable(),
  /** Attempts retried so far (pg-boss's retryCount), against retryLimit. */
  attempts: z.number().int().nonnegative(),
  retryLimit: z.number().int().nonnegative(),
  createdAt: ZEpochMsSchema,
  startedAt: ZEpochMsSchema.nullable(),
  completedAt: ZEpochMsSchema.nullable(),
  /** What the job failed with (its output's message), cut to JOB_ERROR_MAX; null unless it failed. */
  error: z.string().nullable(),
  singletonKey: z.string().nullable(),
});
export type TJobDto = z.infer<typeof ZJobDtoSchema>;

export const ZJobListInputSchema = ZPageInputSchema.extend({
  state: ZJobStateSchema.optional(),
  queue: ZJobQueueNameSchema.optional(),
});
export type TJobListInput = z.infer<typeof ZJobListInputSchema>;

/** Newest first (created_at desc, id desc). */
export const ZJobListPageSchema = pageOf(ZJobDtoSchema);
export type TJobListPage = z.infer<typeof ZJobListPageSchema>;

const ZJobCountSchema = z.number().int().nonnegative();
export const ZJobStateCountsSchema = z.object({
  queued: ZJobCountSchema,
  retrying: ZJobCountSchema,
  running: ZJobCountSchema,
  completed: ZJobCountSchema,
  failed: ZJobCountSchema,
  cancelled: ZJobCountSchema,
});
export type TJobStateCounts = z.infer<typeof ZJobStateCountsSchema>;

/** Jobs per state, for every queue and in all; `available` is false when this server runs no queue. */
export const ZJobCountsSchema = z.object({
  available: z.boolean(),
  total: ZJobStateCountsSchema,
  queues: z.array(z.object({ queue: z.string().min(1), counts: ZJobStateCountsSchema })),
});
export type TJobCounts = z.infer<typeof ZJobCountsSchema>;

export const ZJobActionInputSchema = z.object({ queue: ZJobQueueNameSchema, id: ZUuidSchema });
export type TJobActionInput = z.infer<typeof ZJobActionInputSchema>;
export const ZJobRetryInputSchema = ZJobActionInputSchema;
export type TJobRetryInput = TJobActionInput;
export const ZJobCancelInputSchema = ZJobActionInputSchema;
export type TJobCancelInput = TJobActionInput;
