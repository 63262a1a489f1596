// Model faults end to end: the fake OpenAI-compatible server (real protocol over HTTP) behind the
// real provider and resilience layer, with the real interaction log on a real database. For each
// fault the caller gets a clear outcome, retries stay within the policy, and the log holds exactly
// one row for the call, with the right status and error.
import { createInteractionLog, createOpenAiProvider, SessionStreams, withResilience } from "@lockstep/ai";
import { type FakeFault, type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backgroundTasks } from "../services/ai-flows.ts";
import { createPerson, errorOf } from "../../test/testing/callers.ts";

// Timeouts generous enough for a loaded CI machine: only the hang case may reach them.
const POLICY = {
  firstTokenTimeoutMs: 3_000,
  totalTimeoutMs: 10_000,
  maxAttempts: 3,
  baseDelayMs: 10,
  maxDelayMs: 50,
  breakerThreshold: 50,
  halfOpenAfterMs: 1000,
};

let db: TestDatabase;
let server: FakeOpenAiServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startFakeOpenAiServer({ reply: "Ask what made the week long, then listen." });
});
afterAll(async () => {
  await server.close();
  await db.close();
});

async function personWithModel() {
  const provider = withResilience(
    createOpenAiProvider({
      baseURL: server.baseURL,
      apiKey: "test",
      chatModel: "fake-chat",
      embeddingModel: "fake-embed",
    }),
    POLICY,
  );
  const runtime = { provider, log: createInteractionLog(db), streams: new SessionStreams(), retrieve: async () => [] };
  return { ...(await createPerson(db, { ai: runtime })), streams: runtime.streams };
}

async function rowsFor(sessionId: string) {
  const result = await db.pool.query<{
    status: string;
    error_code: string | null;
    operation: string;
    latency_ms: number | null;
  }>("SELECT status::text, error_code, operation::text, latency_ms FROM ai_interactions WHERE session_id = $1", [
    sessionId,
  ]);
  return result.rows;
}

async function replyWith(...faults: FakeFault[]) {
  server.reset();
  server.enqueue(...faults);
  const person = await personWithModel();
  // Named by the person, so it is not titled after the reply: the reply is the only model call.
  const session = await person.caller.session.create({ type: "text", name: "Faults" });
  await person.caller.message.send({ sessionId: session.id, text: "Their week was long", reply: true });
  await backgroundTasks.settle(60_000);
  const history = await person.caller.message.list({ sessionId: session.id });
  return {
    rows: await rowsFor(session.id),
    attempts: server.requestsTo("chat").length,
    aiMessages: history.items.filter((m) => m.author === "ai"),
  };
}

describe("model faults, logged once each", () => {
  it("a clean streamed reply: one SUCCESS row, one attempt", async () => {
    const outcome = await replyWith();
    expect(outcome.rows).toMatchObject([{ status: "SUCCESS", error_code: null, operation: "REPLY" }]);
    expect(outcome.attempts).toBe(1);
    expect(outcome.aiMessages.map((m) => m.text)).toEqual(["Ask what made the week long, then listen."]);
  });

  it("429 then 500 then success: retried within the policy, still one SUCCESS row", async () => {
    const outcome = await replyWith({ kind: "status", status: 429, retryAfterMs: 20 }, { kind: "status", status: 500 });
    expect(outcome.attempts).toBe(3);
    expect(outcome.rows).toMatchObject([{ status: "SUCCESS" }]);
    expect(outcome.aiMessages).toHaveLength(1);
  });

  it("500 on every attempt: gives up after the policy's attempts, one ERROR row", async () => {
    const outcome = await replyWith(
      { kind: "status", status: 500 },
      { kind: "status", status: 500 },
      { kind: "status", status: 500 },
    );
    expect(outcome.attempts).toBe(3);
    expect(outcome.rows).toMatchObject([{ status: "ERROR", error_code: "upstream_error" }]);
    expect(outcome.aiMessages).toEqual([]);
  });

  it("a hang: the first-token timeout ends it, one TIMEOUT row", async () => {
    const outcome = await replyWith({ kind: "hang" });
    expect(outcome.rows).toMatchObject([{ status: "TIMEOUT", error_code: "timeout" }]);
    expect(outcome.aiMessages).toEqual([]);
  });

  it("a stream cut midway after tokens: not retried (no repeated tokens), one ERROR row", async () => {
    const outcome = await replyWith({ kind: "cut", afterChunks: 3 });
    expect(outcome.attempts).toBe(1);
    expect(outcome.rows).toHaveLength(1);
    expect(outcome.rows[0]?.status).toBe("ERROR");
    expect(outcome.aiMessages).toEqual([]);
  });

  it("a reply the model finished but the database would not store: one SUCCESS row, no message, the person told", async () => {
    const unstorable = "This reply reaches the database and is refused there.";
    // A real refusal from the database, for this reply's text only.
    await db.pool.query(`CREATE FUNCTION refuse_reply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await db.pool.query(`CREATE TRIGGER refuse_reply BEFORE INSERT ON messages FOR EACH ROW
      WHEN (NEW.text = '${unstorable}') EXECUTE FUNCTION refuse_reply()`);
    try {
      server.reset();
      server.enqueue({ kind: "reply", content: unstorable });
      const person = await personWithModel();
      const session = await person.caller.session.create({ type: "text", name: "Unstorable" });
      const told: string[] = [];
      const publish = person.streams.publish.bind(person.streams);
      person.streams.publish = async (sessionId, event) => {
        if (event.kind === "error") told.push(event.message);
        return publish(sessionId, event);
      };
      await person.caller.message.send({ sessionId: session.id, text: "Their week was long", reply: true });
      await backgroundTasks.settle(60_000);
      // The model did answer and the tokens were spent: that is what the log records.
      expect(await rowsFor(session.id)).toMatchObject([{ status: "SUCCESS", error_code: null, operation: "REPLY" }]);
      const history = await person.caller.message.list({ sessionId: session.id });
      expect(history.items.filter((m) => m.author === "ai")).toEqual([]);
      expect(told).toEqual(["The coach could not answer just now. Try again."]);
    } finally {
      await db.pool.query("DROP TRIGGER refuse_reply ON messages; DROP FUNCTION refuse_reply()");
    }
  });

  it("an analysis whose model answers malformed JSON: one ERROR row, the session in ERROR with its reason", async () => {
    server.reset();
    server.enqueue({ kind: "malformed" });
    const person = await personWithModel();
    const session = await person.caller.session.create({ type: "text" });
    await person.caller.message.send({ sessionId: session.id, text: "hey", author: "contact" });
    const error = await errorOf(person.caller.session.analyze({ id: session.id }));
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(await rowsFor(session.id)).toMatchObject([{ status: "ERROR", operation: "SUGGEST" }]);
    expect((await person.caller.session.get({ id: session.id })).status).toBe("error");
  });
});
