// The log's writes at their cost: once a provider is known, a call's PENDING row is one statement
// and its outcome another, with the same person and session rules as the careful path it falls
// back to (a session to create, a person gone, a malformed id), on both runtimes.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/index.ts";
import { beginAiInteraction, finishAiInteraction, type NewAiInteraction } from "./log-writes.ts";

let db: TestDatabase;
let alice: string;
let bob: string;

async function insertUser(name: string): Promise<string> {
  const id = randomUUID();
  await db.pool.query(`INSERT INTO users (id, name, email, updated_at) VALUES ($1, $2, $3, now())`, [
    id,
    name,
    `${id}@example.com`,
  ]);
  return id;
}

async function insertSession(userId: string): Promise<string> {
  const id = randomUUID();
  await db.pool.query(`INSERT INTO sessions (id, user_id, type, updated_at) VALUES ($1, $2, 'TEXT', now())`, [
    id,
    userId,
  ]);
  return id;
}

function call(overrides: Partial<NewAiInteraction> = {}): NewAiInteraction {
  return {
    id: randomUUID(),
    provider: { name: "log-writes-test", kind: "builtin", baseUrl: null },
    modelName: "test-model",
    operation: "reply",
    promptText: "hello",
    promptHash: "hash",
    request: { messages: ["hello"] },
    userId: alice,
    sessionId: null,
    ipAddress: "127.0.0.1",
    fileMetadata: undefined,
    dataSource: "web",
    metadata: { messageId: "m-1" },
    ...overrides,
  };
}

async function rowOf(id: string) {
  const { rows } = await db.pool.query<{
    status: string;
    user_id: string | null;
    session_id: string | null;
    metadata: Record<string, unknown> | null;
  }>(`SELECT status, user_id, session_id, metadata FROM ai_interactions WHERE id = $1`, [id]);
  return rows[0];
}

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await insertUser("Alice");
  bob = await insertUser("Bob");
  // The first call of a provider creates its row (the careful path); the rest know its id.
  await beginAiInteraction(db, call());
});

afterAll(async () => {
  await db?.close();
});

describe("a known provider's calls", () => {
  it("write the PENDING row in one statement, attached to the person's own session", async () => {
    const session = await insertSession(alice);
    const query = vi.spyOn(db.logPool, "query");
    const transaction = vi.spyOn(db.prisma, "$transaction");
    try {
      const begun = await beginAiInteraction(db, call({ sessionId: session, id: randomUUID() }));
      expect(query).toHaveBeenCalledTimes(1);
      expect(transaction).not.toHaveBeenCalled();
      expect(begun).toMatchObject({ userId: alice, sessionId: session, sessionNotAttached: null });
      expect(await rowOf(begun.id)).toMatchObject({ status: "PENDING", user_id: alice, session_id: session });
    } finally {
      query.mockRestore();
      transaction.mockRestore();
    }
  });

  it("leave someone else's session unattached and say so in the metadata", async () => {
    const bobs = await insertSession(bob);
    const begun = await beginAiInteraction(db, call({ sessionId: bobs }));
    expect(begun).toMatchObject({ userId: alice, sessionId: null, sessionNotAttached: "other_user" });
    expect((await rowOf(begun.id))?.metadata).toEqual({
      messageId: "m-1",
      sessionNotAttached: { claimedId: bobs, reason: "other_user" },
    });
  });

  it("create a session that does not exist yet, through the careful path", async () => {
    const fresh = randomUUID();
    const begun = await beginAiInteraction(db, call({ sessionId: fresh }));
    expect(begun).toMatchObject({ userId: alice, sessionId: fresh, sessionNotAttached: null });
    const { rows } = await db.pool.query(`SELECT user_id FROM sessions WHERE id = $1`, [fresh]);
    expect(rows).toEqual([{ user_id: alice }]);
  });

  it("log a call of a person who is gone without them, and a malformed session id as claimed", async () => {
    const gone = await beginAiInteraction(db, call({ userId: randomUUID(), sessionId: randomUUID() }));
    expect(gone).toMatchObject({ userId: null, sessionId: null, sessionNotAttached: "no_user" });
    const malformed = await beginAiInteraction(db, call({ sessionId: "not-a-uuid" }));
    expect(malformed).toMatchObject({ userId: alice, sessionId: null, sessionNotAttached: "invalid_id" });
    expect((await rowOf(malformed.id))?.status).toBe("PENDING");
  });

  it("finish in one statement with the responses, once: a late second outcome changes nothing", async () => {
    const begun = await beginAiInteraction(db, call());
    const query = vi.spyOn(db.logPool, "query");
    try {
      const finished = await finishAiInteraction(db, begun.id, {
        status: "SUCCESS",
        response: { text: "hi" },
        latencyMs: 12,
        timeToFirstTokenMs: 3,
        inputTokens: 5,
        outputTokens: 7,
        errorCode: null,
        errorMessage: null,
        metadata: { finished: true },
        responses: [
          { content: "first", finishReason: "stop", metadata: { n: 1 } },
          { content: "second", finishReason: null, metadata: undefined },
        ],
      });
      expect(finished).toBe(true);
      expect(query).toHaveBeenCalledTimes(1);
    } finally {
      query.mockRestore();
    }
    const late = await finishAiInteraction(db, begun.id, {
      status: "ERROR",
      response: undefined,
      latencyMs: 1,
      timeToFirstTokenMs: null,
      inputTokens: null,
      outputTokens: null,
      errorCode: "late",
      errorMessage: "too late",
      metadata: undefined,
      responses: [{ content: "late", finishReason: null, metadata: undefined }],
    });
    expect(late).toBe(false);
    const row = await db.pool.query(
      `SELECT status, latency_ms, output_tokens, metadata FROM ai_interactions WHERE id = $1`,
      [begun.id],
    );
    expect(row.rows[0]).toEqual({
      status: "SUCCESS",
      latency_ms: 12,
      output_tokens: 7,
      metadata: { messageId: "m-1", finished: true },
    });
    const responses = await db.pool.query(
      `SELECT position, content, finish_reason, metadata FROM ai_responses WHERE interaction_id = $1 ORDER BY position`,
      [begun.id],
    );
    expect(responses.rows).toEqual([
      { position: 0, content: "first", finish_reason: "stop", metadata: { n: 1 } },
      { position: 1, content: "second", finish_reason: null, metadata: null },
    ]);
  });
});

describe("a long prompt", () => {
  it("is stored with lz4 where the server has it, and with pglz where it has not", async () => {
    const { rows: settings } = await db.pool.query<{ lz4: boolean }>(
      `SELECT 'lz4' = ANY (enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    const expected = settings[0]?.lz4 ? "lz4" : "pglz";
    // Chat turns as a long session holds them: compressible, and well over the 2 KB at which values are compressed.
    const turns = Array.from({ length: 40 }, (_, n) => `[user]\nShe replied late, message ${n}. What should I say?`);
    const begun = await beginAiInteraction(
      db,
      call({ promptText: turns.join("\n\n"), request: { messages: turns }, id: randomUUID() }),
    );
    const { rows } = await db.pool.query<{ prompt: string | null; request: string | null; same: boolean }>(
      `SELECT pg_column_compression(prompt_text) AS prompt, pg_column_compression(request) AS request,
              prompt_text = $2 AS same
         FROM ai_interactions WHERE id = $1`,
      [begun.id, turns.join("\n\n")],
    );
    expect(rows[0]).toEqual({ prompt: expected, request: expected, same: true });
  });
});
