// The interaction log's repository against a real database: begin/finish as the owner, sessions made to exist (docs/decisions/0002), the sweep, retention, keyset lists, hand-checked stats and deletes.
import { randomUUID } from "node:crypto";
import type { TAdminInteractionListItem } from "@lockstep/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAdmin } from "../../scoped.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/index.ts";
import {
  abortAbandonedAiInteractions,
  aiInteractionStats,
  aiLogRetentionDaysFromEnv,
  beginAiInteraction,
  deleteAiInteraction,
  finishAiInteraction,
  getAiInteractionDetails,
  getRecentAiInteractions,
  listAiInteractions,
  type AiInteractionListQuery,
  type NewAiInteraction,
  purgeAiInteractionsOlderThan,
} from "./index.ts";

let db: TestDatabase;
let alice: string;
let bob: string;

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await insertUser("alice");
  bob = await insertUser("bob");
});
afterAll(async () => {
  await db?.close();
});

async function insertUser(label: string): Promise<string> {
  const id = `${label}-${randomUUID()}`;
  await db.pool.query(`INSERT INTO users (id, name, email, updated_at) VALUES ($1, $2, $3, now())`, [
    id,
    label,
    `${id}@example.com`,
  ]);
  return id;
}

function newRow(overrides: Partial<NewAiInteraction> = {}): NewAiInteraction {
  return {
    id: randomUUID(),
    provider: { name: "repo-builtin", kind: "builtin", baseUrl: null },
    modelName: "builtin-chat",
    operation: "reply",
    promptText: "hello",
    promptHash: "h",
    request: { messages: [{ role: "user", content: "hello" }] },
    userId: alice,
    sessionId: null,
    ipAddress: "203.0.113.5",
    fileMetadata: undefined,
    dataSource: "web",
    metadata: { requestId: "r1" },
    ...overrides,
  };
}

async function rowOf(id: string) {
  const { rows } = await db.pool.query(
    `SELECT i.*, host(i.ip_address) AS ip, p.name AS provider_name, p.kind::text AS provider_kind, p.base_url
       FROM ai_interactions i JOIN providers p ON p.id = i.provider_id WHERE i.id = $1`,
    [id],
  );
  return rows[0] as Record<string, unknown> | undefined;
}

const finished = {
  status: "SUCCESS" as const,
  response: { text: "hi" },
  latencyMs: 120,
  timeToFirstTokenMs: 30,
  inputTokens: 5,
  outputTokens: 7,
  errorCode: null,
  errorMessage: null,
  metadata: { finishReason: "stop" },
  responses: [
    { content: "first", finishReason: "stop", metadata: undefined },
    { content: "second", finishReason: null, metadata: { n: 2 } },
  ],
};

describe("beginAiInteraction / finishAiInteraction", () => {
  it("writes a PENDING row with everything given, creating the provider once", async () => {
    const first = await beginAiInteraction(db, newRow());
    const second = await beginAiInteraction(db, newRow());
    expect(second.providerId).toBe(first.providerId);
    const row = await rowOf(first.id);
    expect(row).toMatchObject({
      status: "PENDING",
      model_name: "builtin-chat",
      operation: "REPLY",
      prompt_text: "hello",
      prompt_hash: "h",
      request: { messages: [{ role: "user", content: "hello" }] },
      user_id: alice,
      session_id: null,
      ip: "203.0.113.5",
      data_source: "WEB",
      metadata: { requestId: "r1" },
      provider_name: "repo-builtin",
      provider_kind: "BUILTIN",
    });
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM providers WHERE name = 'repo-builtin'`);
    expect(rows[0].n).toBe(1);
  });

  it("follows a provider's new kind and base URL", async () => {
    const provider = { name: "repo-openai", kind: "openai_compatible" as const, baseUrl: "http://a.test/v1" };
    const a = await beginAiInteraction(db, newRow({ provider }));
    const b = await beginAiInteraction(db, newRow({ provider: { ...provider, baseUrl: "http://b.test/v1" } }));
    expect(b.providerId).toBe(a.providerId);
    expect((await rowOf(b.id))?.base_url).toBe("http://b.test/v1");
  });

  it("creates a session that does not exist yet, idempotently, for its user (seed 002)", async () => {
    const sessionId = randomUUID();
    const first = await beginAiInteraction(db, newRow({ sessionId }));
    const second = await beginAiInteraction(db, newRow({ sessionId }));
    expect([first.sessionId, second.sessionId]).toEqual([sessionId, sessionId]);
    const { rows } = await db.pool.query(`SELECT user_id, type::text AS type FROM sessions WHERE id = $1`, [sessionId]);
    expect(rows).toEqual([{ user_id: alice, type: "TEXT" }]);
    expect((await rowOf(second.id))?.session_id).toBe(sessionId);
  });

  it("does not attach a call to another person's session, and records the claim", async () => {
    const sessionId = randomUUID();
    await beginAiInteraction(db, newRow({ sessionId, userId: bob }));
    const begun = await beginAiInteraction(db, newRow({ sessionId, userId: alice }));
    expect(begun).toMatchObject({ sessionId: null, sessionNotAttached: "other_user" });
    const row = await rowOf(begun.id);
    expect(row?.session_id).toBeNull();
    expect(row?.metadata).toEqual({
      requestId: "r1",
      sessionNotAttached: { claimedId: sessionId, reason: "other_user" },
    });
    const { rows } = await db.pool.query(`SELECT user_id FROM sessions WHERE id = $1`, [sessionId]);
    expect(rows).toEqual([{ user_id: bob }]);
  });

  it("never fails on a session id it cannot use: no user, not a UUID, or a user that is gone", async () => {
    const noUser = await beginAiInteraction(db, newRow({ sessionId: randomUUID(), userId: null }));
    expect(noUser).toMatchObject({ sessionId: null, userId: null, sessionNotAttached: "no_user" });
    const invalid = await beginAiInteraction(db, newRow({ sessionId: "not-a-uuid" }));
    expect(invalid).toMatchObject({ sessionId: null, sessionNotAttached: "invalid_id" });
    const gone = await beginAiInteraction(db, newRow({ sessionId: randomUUID(), userId: "deleted-user" }));
    expect(gone).toMatchObject({ userId: null, sessionId: null, sessionNotAttached: "no_user" });
    expect((await rowOf(gone.id))?.user_id).toBeNull();
  });

  it("writes the outcome and responses once; a second finish changes nothing", async () => {
    const { id } = await beginAiInteraction(db, newRow());
    expect(await finishAiInteraction(db, id, finished)).toBe(true);
    expect(await finishAiInteraction(db, id, { ...finished, status: "ERROR", errorCode: "late", responses: [] })).toBe(
      false,
    );
    const row = await rowOf(id);
    expect(row).toMatchObject({
      status: "SUCCESS",
      response: { text: "hi" },
      latency_ms: 120,
      time_to_first_token_ms: 30,
      input_tokens: 5,
      output_tokens: 7,
      error_code: null,
      metadata: { requestId: "r1", finishReason: "stop" },
    });
    const detail = await withAdmin(db, (tx) => getAiInteractionDetails(tx, id));
    expect(detail?.responses.map((r) => [r.position, r.content, r.finishReason, r.metadata])).toEqual([
      [0, "first", "stop", null],
      [1, "second", null, { n: 2 }],
    ]);
  });

  it("lets the real outcome replace the sweep's ABORTED guess", async () => {
    const { id } = await beginAiInteraction(db, newRow());
    await db.pool.query(`UPDATE ai_interactions SET status = 'ABORTED', error_code = 'process_ended' WHERE id = $1`, [
      id,
    ]);
    expect(await finishAiInteraction(db, id, { ...finished, responses: [] })).toBe(true);
    expect(await rowOf(id)).toMatchObject({ status: "SUCCESS", error_code: null });
  });
});

describe("abortAbandonedAiInteractions", () => {
  it("marks old PENDING rows ABORTED, or all but the ones still in flight", async () => {
    await db.pool.query(`UPDATE ai_interactions SET status = 'SUCCESS' WHERE status = 'PENDING'`);
    const old = await beginAiInteraction(db, newRow());
    const recent = await beginAiInteraction(db, newRow());
    const inFlight = await beginAiInteraction(db, newRow());
    const done = await beginAiInteraction(db, newRow());
    await finishAiInteraction(db, done.id, { ...finished, responses: [] });
    await db.pool.query(
      `UPDATE ai_interactions SET created_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`,
      [[old.id, done.id]],
    );

    expect(await abortAbandonedAiInteractions(db, { createdBefore: new Date(Date.now() - 10 * 60_000) })).toBe(1);
    expect(await rowOf(old.id)).toMatchObject({ status: "ABORTED", error_code: "process_ended" });
    expect((await rowOf(recent.id))?.status).toBe("PENDING");
    expect((await rowOf(done.id))?.status).toBe("SUCCESS");

    expect(await abortAbandonedAiInteractions(db, { exceptIds: [inFlight.id] })).toBe(1);
    expect((await rowOf(recent.id))?.status).toBe("ABORTED");
    expect((await rowOf(inFlight.id))?.status).toBe("PENDING");
    await expect(abortAbandonedAiInteractions(db, {})).rejects.toThrow(/needs/);
  });
});

describe("purgeAiInteractionsOlderThan", () => {
  it("deletes only rows older than the cutoff, in batches, with their responses", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { id } = await beginAiInteraction(db, newRow());
      await finishAiInteraction(db, id, finished);
      ids.push(id);
    }
    const [young, ...old] = ids as [string, ...string[]];
    await db.pool.query(
      `UPDATE ai_interactions SET created_at = now() - interval '91 days' WHERE id = ANY($1::uuid[])`,
      [old],
    );
    await db.pool.query(`UPDATE ai_interactions SET created_at = now() - interval '89 days' WHERE id = $1`, [young]);
    // A message citing an old interaction keeps its text; only the link goes.
    const sessionId = randomUUID();
    await db.pool.query(`INSERT INTO sessions (id, user_id, type, updated_at) VALUES ($1, $2, 'TEXT', now())`, [
      sessionId,
      alice,
    ]);
    await db.pool.query(
      `INSERT INTO messages (session_id, user_id, text, author, ai_interaction_id, updated_at) VALUES ($1, $2, 'kept', 'AI', $3, now())`,
      [sessionId, alice, old[0]],
    );

    expect(await purgeAiInteractionsOlderThan(db, { days: 90, batchSize: 2 })).toBe(4);
    const { rows } = await db.pool.query(`SELECT id FROM ai_interactions WHERE id = ANY($1::uuid[])`, [ids]);
    expect(rows.map((r) => r.id)).toEqual([young]);
    const responses = await db.pool.query(
      `SELECT interaction_id FROM ai_responses WHERE interaction_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(new Set(responses.rows.map((r) => r.interaction_id))).toEqual(new Set([young]));
    const message = await db.pool.query(`SELECT text, ai_interaction_id FROM messages WHERE session_id = $1`, [
      sessionId,
    ]);
    expect(message.rows).toEqual([{ text: "kept", ai_interaction_id: null }]);
    expect(await purgeAiInteractionsOlderThan(db, { days: 90 })).toBe(0);
  });

  it("reads AI_LOG_RETENTION_DAYS", () => {
    expect(aiLogRetentionDaysFromEnv({})).toBe(90);
    expect(aiLogRetentionDaysFromEnv({ AI_LOG_RETENTION_DAYS: " 30 " })).toBe(30);
    expect(() => aiLogRetentionDaysFromEnv({ AI_LOG_RETENTION_DAYS: "0" })).toThrow(RangeError);
    expect(() => aiLogRetentionDaysFromEnv({ AI_LOG_RETENTION_DAYS: "1.5" })).toThrow(RangeError);
  });
});

// ------------------------------------------------------------------ operators' reads

interface Fixture {
  provider: string;
  model: string;
  operation: string;
  status: string;
  at: string;
  latency?: number;
  ttft?: number;
  input?: number;
  output?: number;
  userId?: string | null;
  sessionId?: string | null;
  dataSource?: string;
}

async function providerId(name: string): Promise<string> {
  const { rows } = await db.pool.query(
    `INSERT INTO providers (name, kind, updated_at) VALUES ($1, 'OPENAI_COMPATIBLE', now())
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [name],
  );
  return rows[0].id as string;
}

async function insertFixture(f: Fixture): Promise<string> {
  const { rows } = await db.pool.query(
    `INSERT INTO ai_interactions (provider_id, model_name, operation, request, status, latency_ms, time_to_first_token_ms,
                                  input_tokens, output_tokens, user_id, session_id, data_source, created_at, updated_at, prompt_text)
     VALUES ($1, $2, $3::"AiOperation", '{}'::jsonb, $4::"AiInteractionStatus", $5, $6, $7, $8, $9, $10, $11::"DataSource", $12, now(), $13)
     RETURNING id`,
    [
      await providerId(f.provider),
      f.model,
      f.operation,
      f.status,
      f.latency ?? null,
      f.ttft ?? null,
      f.input ?? null,
      f.output ?? null,
      f.userId ?? null,
      f.sessionId ?? null,
      f.dataSource ?? "WEB",
      new Date(f.at),
      `prompt ${"x".repeat(300)}`,
    ],
  );
  return rows[0].id as string;
}

describe("aiInteractionStats", () => {
  const from = new Date("2026-03-01T00:00:00.000Z");
  const to = new Date("2026-03-01T03:00:00.000Z");

  beforeAll(async () => {
    const rows: Fixture[] = [
      {
        provider: "stats-a",
        model: "m1",
        operation: "REPLY",
        status: "SUCCESS",
        at: "2026-03-01T00:05:00Z",
        latency: 100,
        ttft: 10,
        input: 10,
        output: 20,
      },
      {
        provider: "stats-a",
        model: "m1",
        operation: "REPLY",
        status: "SUCCESS",
        at: "2026-03-01T00:10:00Z",
        latency: 200,
        ttft: 20,
        input: 5,
        output: 5,
      },
      {
        provider: "stats-b",
        model: "m2",
        operation: "EMBED",
        status: "ERROR",
        at: "2026-03-01T00:20:00Z",
        latency: 50,
      },
      { provider: "stats-a", model: "m1", operation: "SUGGEST", status: "PENDING", at: "2026-03-01T00:59:59.999Z" },
      {
        provider: "stats-b",
        model: "m2",
        operation: "REPLY",
        status: "SUCCESS",
        at: "2026-03-01T02:00:00.000Z",
        latency: 400,
        ttft: 40,
        input: 1,
        output: 2,
      },
      {
        provider: "stats-b",
        model: "m2",
        operation: "REPLY",
        status: "TIMEOUT",
        at: "2026-03-01T02:30:00Z",
        latency: 30_000,
      },
      {
        provider: "stats-a",
        model: "m1",
        operation: "OCR",
        status: "CANCELLED",
        at: "2026-03-01T02:31:00Z",
        latency: 5,
      },
      { provider: "stats-a", model: "m1", operation: "REPLY", status: "ABORTED", at: "2026-03-01T02:40:00Z" },
      // Outside [from, to): `to` is exclusive, `from` inclusive.
      {
        provider: "stats-a",
        model: "m1",
        operation: "REPLY",
        status: "SUCCESS",
        at: "2026-03-01T03:00:00.000Z",
        latency: 1,
      },
      {
        provider: "stats-a",
        model: "m1",
        operation: "REPLY",
        status: "SUCCESS",
        at: "2026-02-28T23:59:59.999Z",
        latency: 1,
      },
    ];
    for (const row of rows) await insertFixture(row);
  });

  const stats = (groupBy?: "provider" | "model" | "operation") =>
    withAdmin(db, (tx) => aiInteractionStats(tx, { from, to, bucket: "hour", groupBy }));

  it("computes totals against hand-worked numbers", async () => {
    const result = await stats();
    expect(result.totals).toEqual({
      count: 8,
      pending: 1,
      success: 3,
      error: 1,
      timeout: 1,
      cancelled: 1,
      aborted: 1,
      errors: 3,
      // (error + timeout + aborted) / (success + error + timeout + aborted) = 3 / 6
      errorRate: 0.5,
      // successful latencies 100, 200, 400: p95 = 200 + 0.9 * 200, p99 = 200 + 0.98 * 200
      latencyMs: { p50: 200, p95: 380, p99: 396 },
      timeToFirstTokenMs: { p50: 20, p95: 38 },
      inputTokens: 16,
      outputTokens: 27,
    });
    expect(result.groups).toEqual([]);
    expect(result).toMatchObject({
      from: from.getTime(),
      to: to.getTime(),
      bucket: "hour",
      bucketMs: 3_600_000,
      groupBy: null,
    });
  });

  it("fills every hour bucket, empty ones included", async () => {
    const { series } = await stats();
    expect(series.map((p) => [new Date(p.start).toISOString(), p.count])).toEqual([
      ["2026-03-01T00:00:00.000Z", 4],
      ["2026-03-01T01:00:00.000Z", 0],
      ["2026-03-01T02:00:00.000Z", 4],
    ]);
    const [h0, h1, h2] = series;
    expect(h0).toMatchObject({ pending: 1, success: 2, error: 1, inputTokens: 15, outputTokens: 25 });
    expect(h0?.errorRate).toBeCloseTo(1 / 3, 12);
    expect(h0?.latencyMs).toEqual({ p50: 150, p95: 195, p99: 199 });
    expect(h0?.timeToFirstTokenMs).toEqual({ p50: 15, p95: 19.5 });
    expect(h1).toMatchObject({
      count: 0,
      errorRate: null,
      latencyMs: { p50: null, p95: null, p99: null },
      inputTokens: 0,
    });
    expect(h2).toMatchObject({
      success: 1,
      timeout: 1,
      cancelled: 1,
      aborted: 1,
      latencyMs: { p50: 400, p95: 400, p99: 400 },
    });
    expect(h2?.errorRate).toBeCloseTo(2 / 3, 12);
  });

  it("breaks down by provider, busiest first, with each group's own buckets", async () => {
    const { groups } = await stats("provider");
    expect(groups.map((g) => [g.key, g.totals.count])).toEqual([
      ["stats-a", 5],
      ["stats-b", 3],
    ]);
    const [a, b] = groups;
    expect(a?.totals).toMatchObject({ success: 2, pending: 1, cancelled: 1, aborted: 1, latencyMs: { p50: 150 } });
    expect(a?.totals.errorRate).toBeCloseTo(1 / 3, 12);
    expect(a?.series.map((p) => [new Date(p.start).toISOString(), p.count])).toEqual([
      ["2026-03-01T00:00:00.000Z", 3],
      ["2026-03-01T02:00:00.000Z", 2],
    ]);
    expect(b?.totals).toMatchObject({ error: 1, success: 1, timeout: 1, latencyMs: { p50: 400 } });
    expect(b?.totals.errorRate).toBeCloseTo(2 / 3, 12);
  });

  it("breaks down by operation (wire names) and by model", async () => {
    const byOperation = await stats("operation");
    expect(byOperation.groups.map((g) => [g.key, g.totals.count])).toEqual([
      ["reply", 5],
      ["embed", 1],
      ["ocr", 1],
      ["suggest", 1],
    ]);
    const byModel = await stats("model");
    expect(byModel.groups.map((g) => [g.key, g.totals.count])).toEqual([
      ["m1", 5],
      ["m2", 3],
    ]);
    // The breakdown never changes the totals.
    expect(byModel.totals).toEqual((await stats()).totals);
  });

  it("day buckets start at UTC midnight", async () => {
    const result = await withAdmin(db, (tx) =>
      aiInteractionStats(tx, {
        from: new Date("2026-02-28T12:00:00Z"),
        to: new Date("2026-03-02T00:00:00Z"),
        bucket: "day",
      }),
    );
    expect(result.series.map((p) => [new Date(p.start).toISOString(), p.count])).toEqual([
      ["2026-02-28T00:00:00.000Z", 1],
      ["2026-03-01T00:00:00.000Z", 9],
    ]);
  });
});

describe("listAiInteractions", () => {
  const base = Date.parse("2026-04-01T00:00:00.000Z");
  let ids: string[] = [];
  let sessionId: string;

  beforeAll(async () => {
    sessionId = randomUUID();
    await db.pool.query(`INSERT INTO sessions (id, user_id, type, updated_at) VALUES ($1, $2, 'TEXT', now())`, [
      sessionId,
      bob,
    ]);
    ids = [];
    for (let i = 0; i < 23; i++) {
      ids.push(
        await insertFixture({
          provider: i % 2 ? "list-odd" : "list-even",
          model: i % 3 ? "list-m1" : "list-m2",
          operation: i % 4 ? "REPLY" : "EMBED",
          status: i % 5 ? "SUCCESS" : "ERROR",
          // groups of three share a created_at, so ties on the sort key are exercised
          at: new Date(base + Math.floor(i / 3) * 1000).toISOString(),
          // latencies repeat and some are missing, so the latency order has ties and nulls
          latency: i % 7 === 0 ? undefined : (i % 4) * 100,
          userId: i % 2 ? bob : alice,
          sessionId: i % 6 === 0 ? sessionId : null,
          dataSource: i % 8 === 0 ? "SYSTEM" : "WEB",
        }),
      );
    }
  });

  const window = { from: new Date(base), to: new Date(base + 3_600_000) };

  async function allPages(q: Omit<AiInteractionListQuery, "after">): Promise<TAdminInteractionListItem[][]> {
    const pages: TAdminInteractionListItem[][] = [];
    let after: AiInteractionListQuery["after"] = null;
    do {
      const page = await withAdmin(db, (tx) => listAiInteractions(tx, { ...q, after }));
      pages.push(page.items);
      after = page.next;
      if (pages.length > 50) throw new Error("pagination does not end");
    } while (after);
    return pages;
  }

  it("walks newest first with no gaps or duplicates across tied timestamps", async () => {
    const pages = await allPages({ ...window, sort: "created_at", limit: 5 });
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    const got = pages.flat();
    expect(new Set(got.map((i) => i.id)).size).toBe(23);
    const expected = [...got].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    expect(got.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    expect(got[0]).toMatchObject({ providerName: expect.stringMatching(/^list-/), promptPreview: expect.any(String) });
    expect(got[0]?.promptPreview?.length).toBe(200);
  });

  it("walks slowest first with nulls last, ties broken by id", async () => {
    const got = (await allPages({ ...window, sort: "latency", limit: 4 })).flat();
    expect(new Set(got.map((i) => i.id)).size).toBe(23);
    const rank = (i: TAdminInteractionListItem) => (i.latencyMs === null ? -1 : i.latencyMs);
    const expected = [...got].sort((a, b) => rank(b) - rank(a) || (a.id < b.id ? 1 : -1));
    expect(got.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    expect(got.at(-1)?.latencyMs).toBeNull();
  });

  it("filters by provider, model, status, operation, user, session and data source", async () => {
    const count = async (filters: Partial<AiInteractionListQuery>) =>
      (await allPages({ ...window, sort: "created_at", limit: 100, ...filters })).flat().length;
    const expectCount = (predicate: (i: number) => boolean) => ids.filter((_, i) => predicate(i)).length;
    expect(await count({ provider: "list-odd" })).toBe(expectCount((i) => i % 2 === 1));
    expect(await count({ model: "list-m2" })).toBe(expectCount((i) => i % 3 === 0));
    expect(await count({ status: "error" })).toBe(expectCount((i) => i % 5 === 0));
    expect(await count({ operation: "embed" })).toBe(expectCount((i) => i % 4 === 0));
    expect(await count({ userId: bob })).toBe(expectCount((i) => i % 2 === 1));
    expect(await count({ sessionId })).toBe(expectCount((i) => i % 6 === 0));
    expect(await count({ dataSource: "system" })).toBe(expectCount((i) => i % 8 === 0));
    expect(await count({ provider: "list-even", status: "error", operation: "embed" })).toBe(
      expectCount((i) => i % 2 === 0 && i % 5 === 0 && i % 4 === 0),
    );
    expect(await count({ provider: "no-such-provider" })).toBe(0);
    expect(await count({ from: new Date(base + 2000), to: new Date(base + 4000) })).toBe(6);
  });

  it("returns the newest interactions (seed 000's recent list)", async () => {
    const recent = await withAdmin(db, (tx) => getRecentAiInteractions(tx, { limit: 3, userId: bob }));
    expect(recent).toHaveLength(3);
    expect(recent.every((i) => i.userId === bob)).toBe(true);
  });
});

describe("getAiInteractionDetails / deleteAiInteraction", () => {
  it("deletes an interaction with its responses and reports what it deleted", async () => {
    const { id } = await beginAiInteraction(db, newRow());
    await finishAiInteraction(db, id, finished);
    const removed = await withAdmin(db, (tx) => deleteAiInteraction(tx, id));
    expect(removed?.responsesDeleted).toBe(2);
    expect(removed?.before).toMatchObject({
      id,
      status: "success",
      providerName: "repo-builtin",
      providerKind: "builtin",
    });
    expect(await rowOf(id)).toBeUndefined();
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ai_responses WHERE interaction_id = $1`, [id]);
    expect(rows[0].n).toBe(0);
    expect(await withAdmin(db, (tx) => deleteAiInteraction(tx, id))).toBeNull();
    expect(await withAdmin(db, (tx) => getAiInteractionDetails(tx, id))).toBeNull();
    expect(await withAdmin(db, (tx) => getAiInteractionDetails(tx, "not-a-uuid"))).toBeNull();
  });
});
