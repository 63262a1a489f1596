// The streaming tail publishes at most once per animation frame, whatever the number of tokens, and
// drops a reply's text once it is stored (also when a replayed stream brings old tokens again), and
// streams a retried reply again after its first attempt failed.
import { describe, expect, it } from "vitest";
import { applyStreamEvent } from "./session-stream.ts";
import { type FrameScheduler, StreamTail } from "./stream-tail.ts";
import { messageDto } from "../../../test/test-api.tsx";

/** Frames that run only when the test says so. */
function manualFrames() {
  const queue = new Map<number, () => void>();
  let next = 1;
  const frames: FrameScheduler = {
    request: (callback) => {
      queue.set(next, callback);
      return next++;
    },
    cancel: (handle) => void queue.delete(handle),
  };
  const tick = () => {
    const callbacks = [...queue.values()];
    queue.clear();
    callbacks.forEach((callback) => callback());
  };
  return { frames, tick, pending: () => queue.size };
}

describe("StreamTail", () => {
  it("coalesces many tokens into one publish per frame", () => {
    const { frames, tick, pending } = manualFrames();
    const tail = new StreamTail(frames);
    let renders = 0;
    tail.subscribe(() => renders++);
    for (let i = 0; i < 100; i++) tail.push("m1", `w${i} `);
    expect(pending()).toBe(1);
    expect(renders).toBe(0);
    expect(tail.getSnapshot().entries).toEqual([]);
    tick();
    expect(renders).toBe(1);
    expect(tail.getSnapshot().entries[0]?.text).toBe(Array.from({ length: 100 }, (_, i) => `w${i} `).join(""));
    tail.push("m1", "more");
    tail.push("m1", "!");
    tick();
    expect(renders).toBe(2);
    expect(tail.getSnapshot().entries[0]?.text.endsWith("more!")).toBe(true);
  });

  it("keeps the snapshot object between publishes (no render without a change)", () => {
    const { frames, tick } = manualFrames();
    const tail = new StreamTail(frames);
    tail.push("m1", "a");
    tick();
    const first = tail.getSnapshot();
    tick();
    expect(tail.getSnapshot()).toBe(first);
  });

  it("drops the text when the message is stored, and ignores tokens that arrive for it later", () => {
    const { frames, tick } = manualFrames();
    const tail = new StreamTail(frames);
    const stored: string[] = [];
    const handlers = { onMessage: (m: { id: string }) => stored.push(m.id), onStatus: () => {} };
    applyStreamEvent({ kind: "token", messageId: "m1", text: "Hi " }, tail, handlers);
    tick();
    expect(tail.getSnapshot().entries).toHaveLength(1);
    applyStreamEvent(
      { kind: "message", message: messageDto({ id: "m1", author: "ai", text: "Hi there" }) },
      tail,
      handlers,
    );
    expect(stored).toEqual(["m1"]);
    expect(tail.getSnapshot().entries).toEqual([]);
    applyStreamEvent({ kind: "token", messageId: "m1", text: "again" }, tail, handlers);
    tick();
    expect(tail.getSnapshot().entries).toEqual([]);
  });

  it("shows nothing for a replayed reply that is already in the history", () => {
    const { frames, tick } = manualFrames();
    const tail = new StreamTail(frames);
    tail.markFinished(["old"]);
    tail.push("old", "replayed");
    tick();
    expect(tail.getSnapshot().entries).toEqual([]);
  });

  it("reports a failed reply in words and clears it on dismiss", () => {
    const { frames, tick } = manualFrames();
    const tail = new StreamTail(frames);
    tail.push("m2", "half");
    tick();
    applyStreamEvent(
      { kind: "error", messageId: "m2", message: "The coach could not answer just now.", retryable: true },
      tail,
      {
        onMessage: () => {},
        onStatus: () => {},
      },
    );
    expect(tail.getSnapshot()).toEqual({ entries: [], error: "The coach could not answer just now." });
    tail.dismissError();
    expect(tail.getSnapshot().error).toBeNull();
  });

  it("hands a failed reply over to its message, and shows a retried reply's tokens again", () => {
    const { frames, tick } = manualFrames();
    const tail = new StreamTail(frames);
    const handlers = { onMessage: () => {}, onStatus: () => {} };
    applyStreamEvent(
      { kind: "error", messageId: "r1", message: "The coach could not answer.", retryable: true },
      tail,
      handlers,
    );
    const failed = messageDto({ id: "m1", replyStatus: "failed", replyError: "The model call failed." });
    applyStreamEvent({ kind: "message", message: failed }, tail, handlers);
    expect(tail.getSnapshot().error).toBeNull();
    // Tokens for the failed reply are dropped until a retry reopens it; the retry streams under the same id.
    tail.push("r1", "ignored");
    tick();
    expect(tail.getSnapshot().entries).toEqual([]);
    tail.reopenFailed();
    tail.push("r1", "Try asking");
    tick();
    expect(tail.getSnapshot().entries).toEqual([{ messageId: "r1", text: "Try asking" }]);
  });

  it("passes status moves on", () => {
    const tail = new StreamTail(manualFrames().frames);
    const seen: unknown[] = [];
    applyStreamEvent({ kind: "status", status: "verifying_ocr", errorReason: null }, tail, {
      onMessage: () => {},
      onStatus: (status, reason) => seen.push([status, reason]),
    });
    expect(seen).toEqual([["verifying_ocr", null]]);
  });
});
