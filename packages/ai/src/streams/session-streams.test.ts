// Reconnecting with the last event id continues the stream with nothing lost and nothing repeated.
import { describe, expect, it } from "vitest";
import { SessionStreams } from "./session-streams.ts";

function token(text: string) {
  return { kind: "token" as const, messageId: "m1", text };
}

async function take(iterator: AsyncGenerator<{ id: string; event: unknown }>, count: number) {
  const taken: { id: string; event: unknown }[] = [];
  while (taken.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

describe("SessionStreams", () => {
  it("delivers live events to a subscriber in order", async () => {
    const streams = new SessionStreams();
    const controller = new AbortController();
    const subscription = streams.subscribe("s1", null, controller.signal);
    const first = take(subscription, 3);
    await new Promise((resolve) => setImmediate(resolve));
    for (const text of ["a", "b", "c"]) streams.publish("s1", token(text));
    expect((await first).map((e) => (e.event as { text: string }).text)).toEqual(["a", "b", "c"]);
    controller.abort();
  });

  it("resumes after the last event id a reconnecting client saw, with no gap and no repeat", async () => {
    const streams = new SessionStreams();
    const words = Array.from({ length: 50 }, (_, index) => `w${index}`);
    const first = new AbortController();
    const before = streams.subscribe("s1", null, first.signal);
    const reading = take(before, 20);
    await new Promise((resolve) => setImmediate(resolve));
    words.slice(0, 30).forEach((word) => streams.publish("s1", token(word)));
    const seen = await reading;
    first.abort(); // the network drops after 20 events
    words.slice(30).forEach((word) => streams.publish("s1", token(word)));

    const second = new AbortController();
    const resumed = await take(streams.subscribe("s1", seen.at(-1)?.id, second.signal), 30);
    second.abort();
    const all = [...seen, ...resumed].map((e) => (e.event as { text: string }).text);
    expect(all).toEqual(words);
  });

  it("replays everything buffered for an id it does not know (another process, or none)", async () => {
    const streams = new SessionStreams();
    streams.publish("s1", token("x"));
    streams.publish("s1", token("y"));
    const controller = new AbortController();
    const replay = await take(streams.subscribe("s1", "someone-else.99", controller.signal), 2);
    controller.abort();
    expect(replay.map((e) => (e.event as { text: string }).text)).toEqual(["x", "y"]);
  });

  it("keeps sessions apart and ends a subscription when its signal aborts", async () => {
    const streams = new SessionStreams();
    const controller = new AbortController();
    const subscription = streams.subscribe("s2", null, controller.signal);
    const next = subscription.next();
    streams.publish("s1", token("not for s2"));
    controller.abort();
    expect((await next).done).toBe(true);
  });
});

describe("SessionStreams.close", () => {
  it("ends open subscriptions, so a server shutting down is not held open by them", async () => {
    const streams = new SessionStreams();
    const subscription = streams.subscribe("s1", null, new AbortController().signal);
    const next = subscription.next();
    await new Promise((resolve) => setImmediate(resolve));
    streams.close();
    expect((await next).done).toBe(true);
    expect((await streams.subscribe("s1", null, new AbortController().signal).next()).done).toBe(true);
  });
});
