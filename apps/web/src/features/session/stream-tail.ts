// The reply being streamed, kept outside React state: tokens are gathered as they arrive and
// published at most once per animation frame, so a burst of tokens costs one render of the tail
// and nothing at all in the message history.

export interface TailEntry {
  messageId: string;
  text: string;
}

export interface TailSnapshot {
  /** Replies still streaming, in the order their first token arrived (normally zero or one). */
  entries: readonly TailEntry[];
  /** A reply that failed, in words; cleared by the next token or by dismiss(). */
  error: string | null;
}

export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

const browserFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

const EMPTY: TailSnapshot = { entries: [], error: null };

export class StreamTail {
  private snapshot: TailSnapshot = EMPTY;
  /** Text received since the last published frame, per message. */
  private pending = new Map<string, string>();
  /** Messages that are stored (or were given up): late or replayed tokens for them are ignored. */
  private finished = new Set<string>();
  /** Replies that failed: a retry streams under the same id, so they are reopened when one starts. */
  private failed = new Set<string>();
  private frame: number | null = null;
  private readonly listeners = new Set<() => void>();
  /** How many times the snapshot was published; lets tests and the benchmark see the coalescing. */
  publishCount = 0;

  constructor(private readonly frames: FrameScheduler = browserFrames) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): TailSnapshot => this.snapshot;

  /** Adds streamed text; it shows at the next animation frame together with any other tokens by then. */
  push(messageId: string, text: string): void {
    if (this.finished.has(messageId)) return;
    this.pending.set(messageId, (this.pending.get(messageId) ?? "") + text);
    this.frame ??= this.frames.request(() => {
      this.frame = null;
      this.flush();
    });
  }

  /** The reply is stored as a message (it now lives in the history): drop its streaming text at once. */
  finish(messageId: string): void {
    this.finished.add(messageId);
    this.pending.delete(messageId);
    if (this.snapshot.entries.some((entry) => entry.messageId === messageId)) {
      this.publish({
        ...this.snapshot,
        entries: this.snapshot.entries.filter((entry) => entry.messageId !== messageId),
      });
    }
  }

  /** Marks messages that are already in the history, so a replayed stream does not show them again. */
  markFinished(messageIds: Iterable<string>): void {
    for (const id of messageIds) this.finished.add(id);
  }

  fail(messageId: string | null, message: string): void {
    if (messageId) {
      this.finished.add(messageId);
      this.failed.add(messageId);
      this.pending.delete(messageId);
    }
    this.publish({ entries: this.snapshot.entries.filter((entry) => entry.messageId !== messageId), error: message });
  }

  /** A failed reply is being retried: its tokens show again (and the failure in words goes). */
  reopenFailed(): void {
    for (const id of this.failed) this.finished.delete(id);
    this.failed.clear();
    this.dismissError();
  }

  dismissError(): void {
    if (this.snapshot.error) this.publish({ ...this.snapshot, error: null });
  }

  /** Publishes everything pending now (also what the scheduled frame does). */
  flush(): void {
    if (this.frame !== null) {
      this.frames.cancel(this.frame);
      this.frame = null;
    }
    if (this.pending.size === 0) return;
    const entries = [...this.snapshot.entries];
    for (const [messageId, text] of this.pending) {
      const index = entries.findIndex((entry) => entry.messageId === messageId);
      if (index === -1) entries.push({ messageId, text });
      else entries[index] = { messageId, text: entries[index]!.text + text };
    }
    this.pending.clear();
    this.publish({ entries, error: null });
  }

  dispose(): void {
    if (this.frame !== null) this.frames.cancel(this.frame);
    this.frame = null;
    this.listeners.clear();
  }

  private publish(next: TailSnapshot): void {
    this.snapshot = next;
    this.publishCount += 1;
    for (const listener of this.listeners) listener();
  }
}
