// Live session events: the bus interface and its two adapters, chosen once at start.
import type { Redis } from "ioredis";
import type { SessionEventBus, SessionEventBusOptions } from "./event-bus.ts";
import { RedisSessionEventBus } from "./redis-event-bus.ts";
import { SessionStreams } from "./session-streams.ts";

export * from "./event-bus.ts";
export { RedisSessionEventBus } from "./redis-event-bus.ts";
export { SessionStreams } from "./session-streams.ts";

/** Redis Streams when Redis is configured (several processes share the events), this process's memory otherwise. */
export function createSessionEventBus(
  redis: Redis | null | undefined,
  options: SessionEventBusOptions = {},
): SessionEventBus {
  return redis ? new RedisSessionEventBus(redis, options) : new SessionStreams(options);
}
