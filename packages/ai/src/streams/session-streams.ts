// The in-process session event bus (used when no Redis is configured): a numbered buffer per
// session that lets a client reconnect with its last event id and continue without a lost or
// repeated token. One process holds the buffers; the persisted messages are the durable truth, so a
// client that was away longer than the buffer keeps reads them with message.list.
import { randomUUID } from "node:crypto";
import { EventEmitter, on } from "node:events";
import type {
  SessionEventBus,
  SessionEventBusOptions,
  SessionStreamEnvelope,
  SessionStreamEvent,
} from "./event-bus.ts";

interface Buffer {
  events: SessionStreamEnvelope[];
  lastActivity: number;
}

export class SessionStreams implements SessionEventBus {
  private readonly bootId = randomUUID().slice(0, 8);
  private sequence = 0;
  private readonly buffers = new Map<string, Buffer>();
  private readonly emitter = new EventEmitter();
  /** Aborted by close(): ends every open subscription, so a shutting-down server is not held open by streams. */
  private readonly closing = new AbortController();
  private readonly maxBufferedEvents: number;
  private readonly idleMs: number;

  constructor(options: SessionEventBusOptions = {}) {
    this.maxBufferedEvents = options.maxBufferedEvents ?? 20_000;
    this.idleMs = options.idleMs ?? 10 * 60_000;
    // Every open subscription listens on the emitter; many tabs on many sessions are normal.
    this.emitter.setMaxListeners(0);
  }

  publish(sessionId: string, event: SessionStreamEvent): Promise<SessionStreamEnvelope> {
    return Promise.resolve(this.append(sessionId, event));
  }

  private append(sessionId: string, event: SessionStreamEvent): SessionStreamEnvelope {
    this.sequence += 1;
    const envelope = { id: `${this.bootId}.${this.sequence}`, event };
    const buffer = this.buffers.get(sessionId) ?? { events: [], lastActivity: 0 };
    buffer.events.push(envelope);
    if (buffer.events.length > this.maxBufferedEvents)
      buffer.events.splice(0, buffer.events.length - this.maxBufferedEvents);
    buffer.lastActivity = Date.now();
    this.buffers.set(sessionId, buffer);
    this.emitter.emit(sessionId, envelope);
    this.dropIdle();
    return envelope;
  }

  // Live events that arrive while the backlog is being replayed are queued by the listener, so
  // nothing falls between the two.
  async *subscribe(
    sessionId: string,
    lastEventId: string | null | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<SessionStreamEnvelope> {
    if (this.closing.signal.aborted) return;
    const live = on(this.emitter, sessionId, { signal: AbortSignal.any([signal, this.closing.signal]) });
    const after = this.sequenceOf(lastEventId);
    let delivered = after;
    for (const envelope of this.buffers.get(sessionId)?.events ?? []) {
      const sequence = this.sequenceOf(envelope.id);
      if (sequence > delivered) {
        delivered = sequence;
        yield envelope;
      }
    }
    try {
      for await (const [envelope] of live as AsyncIterable<[SessionStreamEnvelope]>) {
        const sequence = this.sequenceOf(envelope.id);
        if (sequence <= delivered) continue;
        delivered = sequence;
        yield envelope;
      }
    } catch (error) {
      if ((error as { name?: string }).name !== "AbortError") throw error;
    }
  }

  close(): Promise<void> {
    this.closing.abort();
    return Promise.resolve();
  }

  /** The sequence number of an id from this process; 0 for anything else (replay everything). */
  private sequenceOf(id: string | null | undefined): number {
    if (!id) return 0;
    const [boot, sequence] = id.split(".");
    if (boot !== this.bootId) return 0;
    const parsed = Number(sequence);
    return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : 0;
  }

  private dropIdle(): void {
    const cutoff = Date.now() - this.idleMs;
    for (const [sessionId, buffer] of this.buffers) {
      if (buffer.lastActivity < cutoff && this.emitter.listenerCount(sessionId) === 0) this.buffers.delete(sessionId);
    }
  }
}
