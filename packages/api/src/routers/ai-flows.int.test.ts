// Replies and analyses through the API on a real database, with a scripted provider: a reply
// streams token by token and is stored when complete; a reconnect continues the stream exactly;
// an analysis stores suggestions and ends COMPLETE, or ERROR with its reason, retryable.
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backgroundTasks } from "../services/ai-flows.ts";
import { createPerson, errorOf } from "../../test/testing/callers.ts";
import { fakeRuntime as makeFakeRuntime, persistCallRow } from "../../test/testing/fake-ai.ts";

let db: TestDatabase;
const fakeRuntime = (script: Parameters<typeof makeFakeRuntime>[0] = {}) =>
  makeFakeRuntime(script, persistCallRow(db.pool));
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

type StreamItem = { id: string; data: { kind: string; text?: string; message?: { id: string; text: string } } };

/** Reads tracked events ([id, data] envelopes) until `until` says stop; breaking ends the subscription. */
async function collect(
  iterable: AsyncIterable<unknown>,
  until: (item: StreamItem) => boolean,
  max = 1000,
): Promise<StreamItem[]> {
  const items: StreamItem[] = [];
  for await (const envelope of iterable as AsyncIterable<[string, StreamItem["data"]]>) {
    const item = { id: envelope[0], data: envelope[1] };
    items.push(item);
    if (until(item) || items.length >= max) break;
  }
  return items;
}

describe("message.send with reply", () => {
  it("streams the character's reply token by token, then stores it and logs one call", async () => {
    const { runtime, log } = fakeRuntime();
    const person = await createPerson(db, { ai: runtime });
    const session = await person.caller.session.create({ type: "text" });
    const stream = await person.caller.session.stream({ id: session.id });
    const events = collect(stream, (item) => item.data.kind === "message");

    const sent = await person.caller.message.send({
      sessionId: session.id,
      text: "They said their week was long",
      reply: true,
    });
    expect(sent.author).toBe("user");
    const received = await events;
    await backgroundTasks.settle(5000);

    const tokens = received
      .filter((item) => item.data.kind === "token")
      .map((item) => item.data.text)
      .join("");
    expect(tokens).toBe("Try asking about their weekend.");
    const stored = received.at(-1)?.data.message;
    expect(stored?.text).toBe("Try asking about their weekend.");
    const history = await person.caller.message.list({ sessionId: session.id });
    expect(history.items.map((m) => [m.author, m.text])).toEqual([
      ["user", "They said their week was long"],
      ["ai", "Try asking about their weekend."],
    ]);
    // The reply, then the short call that titles the session after its first exchange.
    expect(log.calls).toHaveLength(2);
    expect(log.calls[0]).toMatchObject({
      status: "success",
      firstToken: true,
      spec: { operation: "reply", context: { sessionId: session.id, userId: person.id } },
    });
    expect(log.calls[0]?.spec.promptText).toContain("They said their week was long");
    expect(log.calls[1]).toMatchObject({ status: "success", spec: { operation: "title" } });
    expect((await person.caller.session.get({ id: session.id })).name).toBe("Their long week");
  });

  it("lets a client that reconnects with its last event id end with exactly the full text", async () => {
    const words = Array.from({ length: 40 }, (_, index) => ` w${index}`);
    const { runtime } = fakeRuntime({ replyWords: words });
    const person = await createPerson(db, { ai: runtime });
    const session = await person.caller.session.create({ type: "text" });
    const firstStream = await person.caller.session.stream({ id: session.id });
    const firstPart = collect(firstStream, () => false, 15);
    await person.caller.message.send({ sessionId: session.id, text: "hello", reply: true });
    const seen = await firstPart;
    await backgroundTasks.settle(5000);

    const resumed = await collect(
      await person.caller.session.stream({ id: session.id, lastEventId: seen.at(-1)?.id }),
      (item) => item.data.kind === "message",
    );
    const text = [...seen, ...resumed]
      .filter((item) => item.data.kind === "token")
      .map((item) => item.data.text)
      .join("");
    expect(text).toBe(words.join(""));
  });

  it("logs a failed reply once, tells the stream, stores no AI message, and keeps the person's message", async () => {
    const { runtime, log } = fakeRuntime({ failReply: true });
    const person = await createPerson(db, { ai: runtime });
    const session = await person.caller.session.create({ type: "text" });
    await person.caller.message.send({ sessionId: session.id, text: "hi", reply: true });
    await backgroundTasks.settle(5000);
    expect(log.calls.map((call) => call.status)).toEqual(["error"]);
    const history = await person.caller.message.list({ sessionId: session.id });
    expect(history.items.map((m) => m.author)).toEqual(["user"]);
    const replay = await collect(
      await person.caller.session.stream({ id: session.id }),
      (item) => item.data.kind === "error",
    );
    expect(replay.at(-1)?.data.kind).toBe("error");
  });

  it("builds the prompt from the character, the person's memories with it, and the conversation", async () => {
    const { runtime, log } = fakeRuntime();
    const person = await createPerson(db, { ai: runtime });
    const character = await db.pool.query<{ id: string }>(
      `INSERT INTO characters (slug, name, description, system_prompt, updated_at)
       VALUES ('nora-' || md5(random()::text), 'Nora', 'A coach', 'You are Nora, a calm family coach.', now()) RETURNING id`,
    );
    const characterId = character.rows[0]?.id as string;
    await db.pool.query(
      `INSERT INTO memory_events (user_id, character_id, kind, content, importance) VALUES ($1, $2, 'PREFERENCE', 'Loves long walks by the sea', 3)`,
      [person.id, characterId],
    );
    const session = await person.caller.session.create({ type: "text", characterId });
    await person.caller.message.send({ sessionId: session.id, text: "My sister never calls back", reply: true });
    await backgroundTasks.settle(5000);
    const prompt = log.calls.find((call) => call.spec.operation === "reply")?.spec.promptText ?? "";
    expect(prompt).toContain("You are Nora, a calm family coach.");
    expect(prompt).toContain("Loves long walks by the sea");
    expect(prompt).toContain("My sister never calls back");
  });

  it("refuses a reply on a server without an AI runtime, storing nothing", async () => {
    const person = await createPerson(db);
    const session = await person.caller.session.create({ type: "text" });
    const error = await errorOf(person.caller.message.send({ sessionId: session.id, text: "hi", reply: true }));
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect((await person.caller.message.list({ sessionId: session.id })).items).toEqual([]);
  });
});

describe("session.analyze", () => {
  it("sets sentiments, stores suggestions with title, tag and analysis, and ends COMPLETE", async () => {
    const { runtime, log } = fakeRuntime();
    const person = await createPerson(db, { ai: runtime });
    const session = await person.caller.session.create({ type: "text" });
    await person.caller.message.send({ sessionId: session.id, text: "I am so tired of this week", author: "contact" });
    await person.caller.message.send({ sessionId: session.id, text: "I love that you told me", author: "user" });

    const result = await person.caller.session.analyze({ id: session.id });
    // Suggestions do not end the session: it waits for the person again.
    expect(result.session.status).toBe("pending_user_input");
    expect(result.suggestions.map((s) => [s.author, s.title, s.tag])).toEqual([
      ["ai", "Ask a question", "Curiosity"],
      ["ai", "Share something", "Comfort"],
    ]);
    expect(result.suggestions[0]?.analysis).toContain("open question");
    const history = await person.caller.message.list({ sessionId: session.id });
    expect(history.items.map((m) => [m.author, m.sentiment])).toEqual([
      ["contact", "negative"],
      ["user", "positive"],
      ["ai", null],
      ["ai", null],
    ]);
    expect(log.calls.map((call) => [call.spec.operation, call.status])).toEqual([["suggest", "success"]]);
    expect((await person.caller.session.get({ id: session.id })).status).toBe("pending_user_input");
  });

  it("moves to ERROR with the reason kept when the provider fails, and can be retried from there", async () => {
    const { runtime, provider, log } = fakeRuntime({ failSuggest: true });
    const person = await createPerson(db, { ai: runtime });
    const session = await person.caller.session.create({ type: "text" });
    await person.caller.message.send({ sessionId: session.id, text: "hey", author: "contact" });

    const failure = await errorOf(person.caller.session.analyze({ id: session.id }));
    expect(failure.code).toBe("SERVICE_UNAVAILABLE");
    const failed = await person.caller.session.get({ id: session.id });
    expect(failed).toMatchObject({ status: "error", errorReason: "The analysis failed. You can try again." });

    provider.script.failSuggest = false;
    const retried = await person.caller.session.analyze({ id: session.id });
    expect(retried.session).toMatchObject({ status: "pending_user_input", errorReason: null });
    expect(log.calls.map((call) => call.status)).toEqual(["error", "success"]);
  });

  it("refuses an analysis while one is in progress, naming the states", async () => {
    const { runtime } = fakeRuntime();
    const person = await createPerson(db, { ai: runtime });
    const session = await person.caller.session.create({ type: "text" });
    await db.pool.query(`UPDATE sessions SET status = 'ANALYSIS_IN_PROGRESS' WHERE id = $1`, [session.id]);
    const error = await errorOf(person.caller.session.analyze({ id: session.id }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("analysis_in_progress");
  });
});
