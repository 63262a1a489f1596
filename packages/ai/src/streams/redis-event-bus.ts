// The session event bus on Redis 7 Streams, for more than one server process: each event is
// XADDed to the session's stream (its entry id is the SSE event id) and announced on a pub/sub
// channel. A subscriber listens on the channel first, then replays the stream after the client's
// last event id, and drops live events it already replayed; so a client that reconnects to any
// process continues with no lost and no repeated token. Streams are trimmed to a bound and expire
// when a session goes quiet: the stored messages stay the truth.
import { EventEmitter, on } from "node:events";
import { Redis } from "ioredis";
import type {
  SessionEventBus,
  SessionEventBusOptions,
  SessionStreamEnvelope,
  SessionStreamEvent,
} from "./event-bus.ts";

const KEY_PREFIX = "lockstep:session-events:";
/** Emitted on every channel when the subscriber connection came back: live events may have been missed. */
const RESYNC = Symbol("resync");

// One round trip, atomically: append (trimmed), refresh the expiry, announce with the new id.
const PUBLISH_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', KEYS[2], id .. ' ' .. ARGV[2])
return id
`;

const streamKey = (sessionId: string) => `${KEY_PREFIX}${sessionId}`;
const channelOf = (sessionId: string) => `${KEY_PREFIX}${sessionId}:live`;

/** A Redis stream entry id (`<ms>-<seq>`) as numbers, or null for anything else. */
function parseEntryId(id: string | null | undefined): [number, number] | null {
  const match = /^(\d{1,16})-(\d{1,16})$/.exec(id ?? "");
  if (!match) return null;
  return [Number(match[1]), Number(match[2])];
}

function isAfter(id: string, delivered: [number, number] | null): boolean {
  if (!delivered) return true;
  const parsed = parseEntryId(id);
  if (!parsed) return false;
  return parsed[0] > delivered[0] || (parsed[0] === delivered[0] && parsed[1] > delivered[1]);
}

function decodeEvent(json: string): SessionStreamEvent {
  return JSON.parse(json) as SessionStreamEvent;
}

export class RedisSessionEventBus implements SessionEventBus {
  private readonly subscriber: Redis;
  private readonly emitter = new EventEmitter();
  private readonly channels = new Map<string, number>();
  private readonly closing = new AbortController();
  private readonly maxBufferedEvents: number;
  private readonly idleMs: number;
  private everReady = false;

  /**
   * Publishes and reads through `redis` (closed with the bus only when `ownsConnection`); a second
   * connection, for pub/sub, is made from it and always closed with the bus.
   */
  constructor(
    private readonly redis: Redis,
    options: SessionEventBusOptions = {},
    private readonly ownsConnection = false,
  ) {
    this.maxBufferedEvents = options.maxBufferedEvents ?? 20_000;
    this.idleMs = options.idleMs ?? 10 * 60_000;
    this.emitter.setMaxListeners(0);
    this.subscriber = redis.duplicate();
    this.subscriber.on("message", (channel: string, payload: string) => this.emitter.emit(channel, payload));
    this.subscriber.on("ready", () => {
      // ioredis re-subscribes by itself after a reconnect; what was published meanwhile is only in the streams.
      if (this.everReady) for (const channel of this.channels.keys()) this.emitter.emit(channel, RESYNC);
      this.everReady = true;
    });
    // Connection errors are retried by ioredis; a publish during an outage rejects to its caller.
    this.subscriber.on("error", () => {});
    if (ownsConnection) this.redis.on("error", () => {});
  }

  static connect(url: string, options: SessionEventBusOptions = {}): RedisSessionEventBus {
    return new RedisSessionEventBus(new Redis(url, { maxRetriesPerRequest: 3 }), options, true);
  }

  async publish(sessionId: string, event: SessionStreamEvent): Promise<SessionStreamEnvelope> {
    const id = (await this.redis.eval(
      PUBLISH_SCRIPT,
      2,
      streamKey(sessionId),
      channelOf(sessionId),
      this.maxBufferedEvents,
      JSON.stringify(event),
      this.idleMs,
    )) as string;
    return { id, event };
  }

  async *subscribe(
    sessionId: string,
    lastEventId: string | null | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<SessionStreamEnvelope> {
    if (this.closing.signal.aborted) return;
    const channel = channelOf(sessionId);
    // Listening starts here (events.on queues from the call), before the backlog is read.
    const live = on(this.emitter, channel, { signal: AbortSignal.any([signal, this.closing.signal]) });
    await this.retain(channel);
    try {
      let delivered = parseEntryId(lastEventId);
      let deliveredId = delivered ? (lastEventId as string) : null;
      const replay = async function* (this: RedisSessionEventBus) {
        const entries = await this.redis.xrange(streamKey(sessionId), deliveredId ? `(${deliveredId}` : "-", "+");
        for (const [id, fields] of entries) {
          if (!isAfter(id, delivered)) continue;
          delivered = parseEntryId(id);
          deliveredId = id;
          yield { id, event: decodeEvent(fields[1] ?? "null") };
        }
      }.bind(this);

      yield* replay();
      for await (const [payload] of live as AsyncIterable<[string | typeof RESYNC]>) {
        if (payload === RESYNC) {
          yield* replay();
          continue;
        }
        const space = payload.indexOf(" ");
        const id = payload.slice(0, space);
        if (!isAfter(id, delivered)) continue;
        delivered = parseEntryId(id);
        deliveredId = id;
        yield { id, event: decodeEvent(payload.slice(space + 1)) };
      }
    } catch (error) {
      if ((error as { name?: string }).name !== "AbortError") throw error;
    } finally {
      await this.release(channel);
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([this.subscriber.quit(), ...(this.ownsConnection ? [this.redis.quit()] : [])]);
  }

  private async retain(channel: string): Promise<void> {
    const count = this.channels.get(channel) ?? 0;
    this.channels.set(channel, count + 1);
    // SUBSCRIBE is idempotent: a second subscription still waits until the channel is live.
    await this.subscriber.subscribe(channel);
  }

  private async release(channel: string): Promise<void> {
    const count = (this.channels.get(channel) ?? 1) - 1;
    if (count > 0) {
      this.channels.set(channel, count);
      return;
    }
    this.channels.delete(channel);
    if (this.closing.signal.aborted) return;
    await this.subscriber.unsubscribe(channel).catch(() => undefined);
  }
}
