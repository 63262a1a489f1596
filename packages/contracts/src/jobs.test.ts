// The job states: one wire word per queue state and back, and the retry and cancel sets covering every state once.
import { describe, expect, it } from "vitest";
import {
  CANCELLABLE_JOB_STATES,
  JOB_STATES,
  JobState,
  QUEUE_JOB_STATES,
  RETRYABLE_JOB_STATES,
  ZJobActionInputSchema,
  ZJobListInputSchema,
} from "./jobs.ts";

describe("job states", () => {
  it("maps every queue state to its own wire state and back", () => {
    const wire = QUEUE_JOB_STATES.map((state) => JobState.fromQueue(state));
    expect([...wire].sort()).toEqual([...JOB_STATES].sort());
    for (const state of QUEUE_JOB_STATES) expect(JobState.toQueue(JobState.fromQueue(state))).toBe(state);
    expect(JobState.fromQueue("created")).toBe("queued");
    expect(JobState.fromQueue("active")).toBe("running");
    expect(JobState.fromQueue("retry")).toBe("retrying");
  });

  it("never lets one state be both retried and cancelled", () => {
    expect(RETRYABLE_JOB_STATES.filter((state) => CANCELLABLE_JOB_STATES.includes(state))).toEqual([]);
    expect(CANCELLABLE_JOB_STATES).not.toContain("completed");
    expect(RETRYABLE_JOB_STATES).not.toContain("completed");
  });

  it("refuses the queue's own state names and malformed queues and ids, naming the field", () => {
    const state = ZJobListInputSchema.safeParse({ state: "created" });
    expect(state.error?.issues[0]?.path).toEqual(["state"]);
    const queue = ZJobActionInputSchema.safeParse({ queue: "two words", id: "9b2f7d4e-1c3a-4e5b-8f6d-0a1b2c3d4e5f" });
    expect(queue.error?.issues[0]?.path).toEqual(["queue"]);
    const id = ZJobActionInputSchema.safeParse({ queue: "session-work", id: "42" });
    expect(id.error?.issues[0]?.path).toEqual(["id"]);
  });
});
