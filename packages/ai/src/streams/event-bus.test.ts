// The session event bus contract, run against both adapters: in-process always, Redis Streams when
// REDIS_URL is set (a real Redis, never a mock). Reconnecting with the last event id continues
// the stream with nothing lost and nothing repeated; on Redis, also through another process's bus.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { SessionEventBus, SessionEventBusOptions, SessionStreamEnvelope } from "./event-bus.ts";
import { RedisSessionEventBus } from "./redis-event-bus.ts";
import { SessionStreams } from "./session-streams.ts";

const redisUrl = process.env.REDIS_URL;

function token(text: string) {
  return { kind: "token" as const, messageId: "m1", text };
}

const textOf = (envelope: SessionStreamEnvelope) => (envelope.event as { text: string }).text;

async function take(iterator: AsyncGenerator<SessionStreamEnvelope>, count: number) {
  const taken: SessionStreamEnvelope[] = [];
  while (taken.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

/** Lets a subscription reach its live phase (its listener is attached once the first next() runs). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

interface Adapter {
  name: string;
  /** A bus of "another process": on Redis a separate connection pair, in-process the same bus. */
  open(options?: SessionEventBusOptions): SessionEventBus;
}

const opened: SessionEventBus[] = [];
afterAll(async () => {
  await Promise.all(opened.map((bus) => bus.close()));
});

const adapters: Adapter[] = [
  {
    name: "in-process",
    open: (options) => {
      const bus = new SessionStreams(options);
      opened.push(bus);
      return bus;
    },
  },
  {
    name: "Redis Streams",
    open: (options) => {
      const bus = RedisSessionEventBus.connect(redisUrl ?? "", options);
      opened.push(bus);
      return bus;
    },
  },
];

for (const adapter of adapters) {
  const skip = adapter.name === "Redis Streams" && !redisUrl;
  describe.skipIf(skip)(`session event bus: ${adapter.name}${skip ? " (skipped: REDIS_URL is not set)" : ""}`, () => {
    it("delivers live events to a subscriber in order", async () => {
      const bus = adapter.open();
      const session = randomUUID();
      const controller = new AbortController();
      const first = take(bus.subscribe(session, null, controller.signal), 3);
      await settle();
      for (const text of ["a", "b", "c"]) await bus.publish(session, token(text));
      expect((await first).map(textOf)).toEqual(["a", "b", "c"]);
      controller.abort();
    });

    it("resumes after the last event id a reconnecting client saw, with no gap and no repeat", async () => {
      const bus = adapter.open();
      const session = randomUUID();
      const words = Array.from({ length: 50 }, (_, index) => `w${index}`);
      const first = new AbortController();
      const reading = take(bus.subscribe(session, null, first.signal), 20);
      await settle();
      for (const word of words.slice(0, 30)) await bus.publish(session, token(word));
      const seen = await reading;
      first.abort(); // the network drops after 20 events
      for (const word of words.slice(30)) await bus.publish(session, token(word));

      const second = new AbortController();
      const resumed = await take(bus.subscribe(session, seen.at(-1)?.id, second.signal), 30);
      second.abort();
      expect([...seen, ...resumed].map(textOf)).toEqual(words);
    });

    it("misses nothing published while the backlog is being replayed", async () => {
      const bus = adapter.open();
      const session = randomUUID();
      const words = Array.from({ length: 200 }, (_, index) => `w${index}`);
      for (const word of words.slice(0, 100)) await bus.publish(session, token(word));
      const controller = new AbortController();
      const reading = take(bus.subscribe(session, null, controller.signal), 200);
      // Published concurrently with the subscription's backlog read, without waiting between them.
      await Promise.all(words.slice(100).map((word) => bus.publish(session, token(word))));
      const all = (await reading).map(textOf);
      controller.abort();
      expect(all.slice(0, 100)).toEqual(words.slice(0, 100));
      expect([...all].sort()).toEqual([...words].sort());
      expect(new Set(all).size).toBe(200);
    });

    it("replays everything kept for an id it does not know", async () => {
      const bus = adapter.open();
      const session = randomUUID();
      await bus.publish(session, token("x"));
      await bus.publish(session, token("y"));
      const controller = new AbortController();
      const replay = await take(bus.subscribe(session, "someone-else.99", controller.signal), 2);
      controller.abort();
      expect(replay.map(textOf)).toEqual(["x", "y"]);
    });

    it("keeps sessions apart and ends a subscription when its signal aborts", async () => {
      const bus = adapter.open();
      const controller = new AbortController();
      const subscription = bus.subscribe(randomUUID(), null, controller.signal);
      const next = subscription.next();
      await settle();
      await bus.publish(randomUUID(), token("not for this session"));
      controller.abort();
      expect((await next).done).toBe(true);
    });

    it("close() ends open subscriptions, so a server shutting down is not held open by them", async () => {
      const bus = adapter.open();
      const session = randomUUID();
      const next = bus.subscribe(session, null, new AbortController().signal).next();
      await settle();
      await bus.close();
      expect((await next).done).toBe(true);
      expect((await bus.subscribe(session, null, new AbortController().signal).next()).done).toBe(true);
    });
  });
}

describe.skipIf(!redisUrl)(
  `session event bus across processes${redisUrl ? "" : " (skipped: REDIS_URL is not set)"}`,
  () => {
    const redis = redisUrl ? new Redis(redisUrl) : null;
    afterAll(async () => {
      await redis?.quit();
    });

    it("a client that reconnects to another process continues with exactly the rest of the stream", async () => {
      const producer = RedisSessionEventBus.connect(redisUrl ?? "");
      const processA = RedisSessionEventBus.connect(redisUrl ?? "");
      const processB = RedisSessionEventBus.connect(redisUrl ?? "");
      opened.push(producer, processA, processB);
      const session = randomUUID();
      const words = Array.from({ length: 100 }, (_, index) => `w${index}`);

      const onA = new AbortController();
      const reading = take(processA.subscribe(session, null, onA.signal), 40);
      await settle();
      const producing = (async () => {
        for (const word of words) {
          await producer.publish(session, token(word));
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const seen = await reading;
      onA.abort(); // the connection to process A drops mid-stream
      const onB = new AbortController();
      const resumed = await take(processB.subscribe(session, seen.at(-1)?.id, onB.signal), 60);
      await producing;
      onB.abort();
      expect([...seen, ...resumed].map(textOf)).toEqual(words);
    });

    it("bounds each session's stream and lets it expire when the session goes quiet", async () => {
      const bus = RedisSessionEventBus.connect(redisUrl ?? "", { maxBufferedEvents: 50, idleMs: 30_000 });
      opened.push(bus);
      const session = randomUUID();
      for (let index = 0; index < 1_000; index++) await bus.publish(session, token(`t${index}`));
      const key = `lockstep:session-events:${session}`;
      // Trimming is approximate (whole macro nodes of about 100 entries), never unbounded.
      expect(await redis!.xlen(key)).toBeLessThanOrEqual(250);
      const ttl = await redis!.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30_000);
    });

    it("a subscription survives a dropped pub/sub connection without losing events", async () => {
      const bus = RedisSessionEventBus.connect(redisUrl ?? "");
      const producer = RedisSessionEventBus.connect(redisUrl ?? "");
      opened.push(bus, producer);
      const session = randomUUID();
      const controller = new AbortController();
      const reading = take(bus.subscribe(session, null, controller.signal), 20);
      await settle();
      for (let index = 0; index < 10; index++) await producer.publish(session, token(`before${index}`));
      // Kill every pub/sub client connection on the server: the bus's subscriber reconnects by itself.
      await redis!.client("KILL", "TYPE", "pubsub");
      for (let index = 0; index < 10; index++) await producer.publish(session, token(`after${index}`));
      const all = (await reading).map(textOf);
      controller.abort();
      expect(all).toEqual([
        ...Array.from({ length: 10 }, (_, index) => `before${index}`),
        ...Array.from({ length: 10 }, (_, index) => `after${index}`),
      ]);
    });
  },
);
