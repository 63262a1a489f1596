// The one interface for live session events (streamed tokens, finished messages, status moves),
// so the API and the AI flows do not care whether the events live in this process or in Redis.
import type { TMessageDto, TSessionStatus } from "@lockstep/contracts";

export type SessionStreamEvent =
  | { kind: "token"; messageId: string; text: string }
  | { kind: "message"; message: TMessageDto }
  | { kind: "status"; status: TSessionStatus; errorReason: string | null }
  | { kind: "error"; messageId: string | null; message: string; retryable: boolean };

export interface SessionStreamEnvelope {
  /** Opaque and ordered within its session: the SSE event id a reconnecting client sends back. */
  id: string;
  event: SessionStreamEvent;
}

export interface SessionEventBus {
  /** Appends an event to the session's stream and wakes its subscribers; resolves once it is stored. */
  publish(sessionId: string, event: SessionStreamEvent): Promise<SessionStreamEnvelope>;
  /**
   * The session's events after `lastEventId` (everything still kept when it is unknown or absent),
   * then live ones until `signal` aborts or the bus closes; never a gap, never a repeat.
   */
  subscribe(
    sessionId: string,
    lastEventId: string | null | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<SessionStreamEnvelope>;
  /** Ends every open subscription (clients reconnect elsewhere with their last event id) and releases connections. */
  close(): Promise<void>;
}

export interface SessionEventBusOptions {
  /** Events kept per session for reconnects. */
  maxBufferedEvents?: number;
  /** A session's events are dropped after this long without a new one. */
  idleMs?: number;
}

/**
 * Publishes and ignores a failure: live events are a convenience on top of the stored messages,
 * so an outage of the bus (Redis down) never fails the reply or analysis that produced them.
 */
export async function announce(bus: SessionEventBus, sessionId: string, event: SessionStreamEvent): Promise<void> {
  try {
    await bus.publish(sessionId, event);
  } catch {
    // The client sees the stored result on its next read.
  }
}
