// admin.interactions.* through createCaller against a real database: filtered keyset pages without gaps or duplicates, details with responses, stats checked by hand, audited deletes, and who may call any of it.
import { randomUUID } from "node:crypto";
import type { TAdminInteractionListInput, TAdminInteractionListItem } from "@lockstep/contracts";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, callerFor, insertUser, type TestUser } from "../../../test/testing/callers.ts";
import { auditRows } from "../../../test/fixtures.ts";

let db: TestDatabase;
let admin: TestUser;
let person: TestUser;
let alice: TestUser;
let sessionId: string;

const BASE = Date.parse("2026-05-01T00:00:00.000Z");
/** 18 interactions, three per second (ties on created_at), spread over providers, models, statuses and operations. */
const N = 18;
let ids: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await insertUser(db, { name: "Log Operator", role: "admin" });
  person = await insertUser(db, { name: "Plain Person" });
  alice = await insertUser(db, { name: "Alice" });
  sessionId = randomUUID();
  await db.pool.query(`INSERT INTO sessions (id, user_id, type, updated_at) VALUES ($1, $2, 'TEXT', now())`, [
    sessionId,
    alice.id,
  ]);
  ids = [];
  for (let i = 0; i < N; i++) {
    ids.push(
      await insertInteraction({
        provider: i % 3 === 0 ? "api-openai" : "api-builtin",
        model: i % 2 ? "gpt-a" : "gpt-b",
        operation: i % 4 === 0 ? "SUGGEST" : "REPLY",
        status: i % 5 === 0 ? "ERROR" : "SUCCESS",
        at: BASE + Math.floor(i / 3) * 1000,
        latency: i % 6 === 5 ? null : 100 + (i % 4) * 50,
        userId: i % 2 ? alice.id : null,
        sessionId: i % 4 === 1 ? sessionId : null,
        dataSource: i % 7 === 0 ? "SYSTEM" : "WEB",
      }),
    );
  }
});
afterAll(async () => {
  await db?.close();
});

interface Row {
  provider: string;
  model: string;
  operation: string;
  status: string;
  at: number;
  latency?: number | null;
  ttft?: number | null;
  input?: number | null;
  output?: number | null;
  userId?: string | null;
  sessionId?: string | null;
  dataSource?: string;
  responses?: string[];
}

async function insertInteraction(row: Row): Promise<string> {
  const provider = await db.pool.query<{ id: string }>(
    `INSERT INTO providers (name, kind, updated_at) VALUES ($1, 'OPENAI_COMPATIBLE', now())
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [row.provider],
  );
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO ai_interactions (provider_id, model_name, operation, prompt_text, prompt_hash, request, response, status, latency_ms,
                                  time_to_first_token_ms, input_tokens, output_tokens, user_id, session_id, ip_address, data_source,
                                  metadata, created_at, updated_at)
     VALUES ($1, $2, $3::"AiOperation", 'a [email] prompt', 'hash', '{"messages": []}', '{"text": "ok"}', $4::"AiInteractionStatus", $5,
             $6, $7, $8, $9, $10, '192.0.2.1', $11::"DataSource", '{"k": 1}', $12, now())
     RETURNING id`,
    [
      provider.rows[0]!.id,
      row.model,
      row.operation,
      row.status,
      row.latency ?? null,
      row.ttft ?? null,
      row.input ?? null,
      row.output ?? null,
      row.userId ?? null,
      row.sessionId ?? null,
      row.dataSource ?? "WEB",
      new Date(row.at),
    ],
  );
  const id = rows[0]!.id;
  for (const [position, content] of (row.responses ?? []).entries()) {
    await db.pool.query(
      `INSERT INTO ai_responses (interaction_id, position, content, finish_reason) VALUES ($1, $2, $3, 'stop')`,
      [id, position, content],
    );
  }
  return id;
}

const window = { from: BASE, to: BASE + 60_000 };

async function allPages(
  input: Omit<TAdminInteractionListInput, "cursor" | "sort"> & { sort?: "created_at" | "latency" },
) {
  const caller = callerFor(db, admin);
  const pages: TAdminInteractionListItem[][] = [];
  let cursor: string | null = null;
  do {
    const page = await caller.admin.interactions.list({ ...input, cursor });
    pages.push(page.items);
    cursor = page.nextCursor;
    if (pages.length > 50) throw new Error("pagination does not end");
  } while (cursor);
  return pages;
}

describe("admin.interactions.list", () => {
  it("walks newest first in pages with no gaps and no duplicates across tied timestamps", async () => {
    const pages = await allPages({ ...window, limit: 4 });
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 2]);
    const items = pages.flat();
    expect(new Set(items.map((i) => i.id))).toEqual(new Set(ids));
    const expected = [...items].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    expect(items.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    expect(items[0]).toMatchObject({
      promptPreview: "a [email] prompt",
      ipAddress: "192.0.2.1",
      providerName: expect.stringMatching(/^api-/),
    });
    expect(items[0]).not.toHaveProperty("request");
  });

  it("walks slowest first, calls without a latency last", async () => {
    const items = (await allPages({ ...window, sort: "latency", limit: 5 })).flat();
    expect(items).toHaveLength(N);
    const rank = (i: TAdminInteractionListItem) => i.latencyMs ?? -1;
    for (let k = 1; k < items.length; k++) {
      const [prev, cur] = [items[k - 1]!, items[k]!];
      expect(rank(prev) > rank(cur) || (rank(prev) === rank(cur) && prev.id > cur.id)).toBe(true);
    }
    expect(items.slice(-3).map((i) => i.latencyMs)).toEqual([null, null, null]);
  });

  it("applies each filter, alone and together", async () => {
    const count = async (filters: Partial<TAdminInteractionListInput>) =>
      (await allPages({ ...window, limit: 100, ...filters })).flat();
    const expected = (predicate: (i: number) => boolean) => ids.filter((_, i) => predicate(i)).sort();
    const idsOf = (items: TAdminInteractionListItem[]) => items.map((i) => i.id).sort();
    expect(idsOf(await count({ provider: "api-openai" }))).toEqual(expected((i) => i % 3 === 0));
    expect(idsOf(await count({ model: "gpt-a" }))).toEqual(expected((i) => i % 2 === 1));
    expect(idsOf(await count({ status: "error" }))).toEqual(expected((i) => i % 5 === 0));
    expect(idsOf(await count({ operation: "suggest" }))).toEqual(expected((i) => i % 4 === 0));
    expect(idsOf(await count({ userId: alice.id }))).toEqual(expected((i) => i % 2 === 1));
    expect(idsOf(await count({ sessionId }))).toEqual(expected((i) => i % 4 === 1));
    expect(idsOf(await count({ dataSource: "system" }))).toEqual(expected((i) => i % 7 === 0));
    expect(idsOf(await count({ provider: "api-builtin", model: "gpt-a", status: "success" }))).toEqual(
      expected((i) => i % 3 !== 0 && i % 2 === 1 && i % 5 !== 0),
    );
    expect(idsOf(await count({ from: BASE + 1000, to: BASE + 3000 }))).toEqual(expected((i) => i >= 3 && i < 9));
    expect(await count({ from: BASE + 60_000, to: BASE + 120_000 })).toEqual([]);
  });

  it("refuses a bad or foreign cursor and a backwards range as bad requests", async () => {
    const caller = callerFor(db, admin);
    expect((await errorOf(caller.admin.interactions.list({ cursor: "not_a_cursor", limit: 5 }))).code).toBe(
      "BAD_REQUEST",
    );
    const newest = await caller.admin.interactions.list({ ...window, limit: 2 });
    const wrongOrder = await errorOf(
      caller.admin.interactions.list({ ...window, sort: "latency", cursor: newest.nextCursor, limit: 2 }),
    );
    expect(wrongOrder.code).toBe("BAD_REQUEST");
    expect((await errorOf(caller.admin.interactions.list({ from: 2000, to: 1000, limit: 5 }))).code).toBe(
      "BAD_REQUEST",
    );
    expect((await errorOf(caller.admin.interactions.list({ sessionId: "not-a-uuid", limit: 5 }))).code).toBe(
      "BAD_REQUEST",
    );
    // PostgreSQL text cannot hold NUL: a filter with one is refused, not sent to the database.
    expect((await errorOf(caller.admin.interactions.list({ model: "gpt\u0000", limit: 5 }))).code).toBe("BAD_REQUEST");
  });

  it("is audited", async () => {
    await callerFor(db, admin).admin.interactions.list({ limit: 1 });
    expect((await auditRows(db, { action: "admin.interactions.list", actorId: admin.id })).length).toBeGreaterThan(0);
  });
});

describe("admin.interactions.get", () => {
  it("returns one interaction with its responses in order", async () => {
    const id = await insertInteraction({
      provider: "api-openai",
      model: "gpt-a",
      operation: "REPLY",
      status: "SUCCESS",
      at: BASE - 86_400_000,
      latency: 321,
      responses: ["first", "second"],
    });
    await db.pool.query(`UPDATE ai_interactions SET input_tokens = 120, cached_input_tokens = 100 WHERE id = $1`, [id]);
    const detail = await callerFor(db, admin).admin.interactions.get({ id });
    expect(detail).toMatchObject({
      id,
      inputTokens: 120,
      cachedInputTokens: 100,
      providerName: "api-openai",
      providerKind: "openai_compatible",
      modelName: "gpt-a",
      operation: "reply",
      status: "success",
      promptText: "a [email] prompt",
      request: { messages: [] },
      response: { text: "ok" },
      metadata: { k: 1 },
      latencyMs: 321,
      dataSource: "web",
      createdAt: BASE - 86_400_000,
    });
    expect(detail.responses.map((r) => [r.position, r.content, r.finishReason])).toEqual([
      [0, "first", "stop"],
      [1, "second", "stop"],
    ]);
    expect(await auditRows(db, { action: "admin.interactions.get", entityId: id })).toHaveLength(1);
  });

  it("is NOT_FOUND for an unknown id (and audited), BAD_REQUEST for a malformed one", async () => {
    const unknown = randomUUID();
    const error = await errorOf(callerFor(db, admin).admin.interactions.get({ id: unknown }));
    expect(error.code).toBe("NOT_FOUND");
    expect(await auditRows(db, { action: "admin.interactions.get", entityId: unknown })).toHaveLength(1);
    expect((await errorOf(callerFor(db, admin).admin.interactions.get({ id: "nope" }))).code).toBe("BAD_REQUEST");
  });
});

describe("admin.interactions.stats", () => {
  // Its own day, so the list fixtures above do not count.
  const DAY = Date.parse("2026-06-01T00:00:00.000Z");

  beforeAll(async () => {
    const rows: Row[] = [
      {
        provider: "stats-x",
        model: "mx",
        operation: "REPLY",
        status: "SUCCESS",
        at: DAY + 60_000,
        latency: 100,
        ttft: 10,
        input: 3,
        output: 4,
      },
      {
        provider: "stats-x",
        model: "mx",
        operation: "REPLY",
        status: "SUCCESS",
        at: DAY + 120_000,
        latency: 300,
        ttft: 30,
        input: 2,
        output: 6,
      },
      {
        provider: "stats-y",
        model: "my",
        operation: "EMBED",
        status: "ERROR",
        at: DAY + 3_600_000 + 5,
        latency: 20,
        input: 9,
      },
      {
        provider: "stats-y",
        model: "my",
        operation: "REPLY",
        status: "SUCCESS",
        at: DAY + 3_600_000 + 10,
        latency: 200,
        ttft: 50,
        input: 1,
        output: 1,
      },
      { provider: "stats-x", model: "mx", operation: "REPLY", status: "CANCELLED", at: DAY + 3_600_000 + 20 },
    ];
    for (const row of rows) await insertInteraction(row);
  });

  it("matches a hand-computed small data set, overall, per hour and per provider", async () => {
    const stats = await callerFor(db, admin).admin.interactions.stats({
      from: DAY,
      to: DAY + 3 * 3_600_000,
      bucket: "hour",
      groupBy: "provider",
    });
    expect(stats.totals).toEqual({
      count: 5,
      pending: 0,
      success: 3,
      error: 1,
      timeout: 0,
      cancelled: 1,
      aborted: 0,
      errors: 1,
      errorRate: 0.25, // 1 error among 4 calls with an outcome
      latencyMs: { p50: 200, p95: 290, p99: 298 }, // 100, 200, 300
      timeToFirstTokenMs: { p50: 30, p95: 48 }, // 10, 30, 50
      inputTokens: 15,
      outputTokens: 11,
    });
    expect(stats.series.map((p) => [p.start - DAY, p.count, p.success, p.error, p.errorRate])).toEqual([
      [0, 2, 2, 0, 0],
      [3_600_000, 3, 1, 1, 0.5],
      [7_200_000, 0, 0, 0, null],
    ]);
    expect(stats.series[0]?.latencyMs).toEqual({ p50: 200, p95: 290, p99: 298 });
    expect(stats.groups.map((g) => [g.key, g.totals.count, g.totals.errorRate, g.series.length])).toEqual([
      ["stats-x", 3, 0, 2],
      ["stats-y", 2, 0.5, 1],
    ]);
    expect(await auditRows(db, { action: "admin.interactions.stats", actorId: admin.id })).toHaveLength(1);
  });

  it("refuses a backwards range or one with too many buckets", async () => {
    const caller = callerFor(db, admin);
    expect((await errorOf(caller.admin.interactions.stats({ from: DAY, to: DAY, bucket: "hour" }))).code).toBe(
      "BAD_REQUEST",
    );
    expect(
      (await errorOf(caller.admin.interactions.stats({ from: DAY, to: DAY + 30 * 86_400_000, bucket: "minute" }))).code,
    ).toBe("BAD_REQUEST");
  });
});

describe("admin.interactions.delete", () => {
  it("deletes the interaction and its responses, with an audit row holding what was deleted", async () => {
    const id = await insertInteraction({
      provider: "api-openai",
      model: "gpt-a",
      operation: "REPLY",
      status: "SUCCESS",
      at: BASE - 5,
      responses: ["x", "y", "z"],
    });
    const result = await callerFor(db, admin).admin.interactions.delete({ id });
    expect(result).toEqual({ id, responsesDeleted: 3 });
    const left = await db.pool.query(
      `SELECT (SELECT count(*) FROM ai_interactions WHERE id = $1)::int AS i, (SELECT count(*) FROM ai_responses WHERE interaction_id = $1)::int AS r`,
      [id],
    );
    expect(left.rows[0]).toEqual({ i: 0, r: 0 });
    const [audit] = await auditRows(db, { action: "admin.interactions.delete", entityId: id });
    expect(audit).toMatchObject({ actor_id: admin.id, entity_type: "ai_interaction", after: null });
    expect(audit?.before).toMatchObject({
      id,
      status: "success",
      responses: [{ content: "x" }, { content: "y" }, { content: "z" }],
    });
    const again = await errorOf(callerFor(db, admin).admin.interactions.delete({ id }));
    expect(again.code).toBe("NOT_FOUND");
    expect(await auditRows(db, { action: "admin.interactions.delete", entityId: id })).toHaveLength(1);
  });
});

describe("who may call admin.interactions.*", () => {
  const someId = randomUUID();
  const calls = {
    list: (c: ReturnType<typeof callerFor>) => c.admin.interactions.list({ limit: 5 }),
    get: (c: ReturnType<typeof callerFor>) => c.admin.interactions.get({ id: someId }),
    stats: (c: ReturnType<typeof callerFor>) => c.admin.interactions.stats({ from: 0, to: 3_600_000, bucket: "hour" }),
    delete: (c: ReturnType<typeof callerFor>) => c.admin.interactions.delete({ id: someId }),
  };

  it.each(Object.keys(calls) as (keyof typeof calls)[])(
    "%s: FORBIDDEN for a plain user, UNAUTHORIZED for a stranger",
    async (name) => {
      expect((await errorOf(calls[name](callerFor(db, person)))).code).toBe("FORBIDDEN");
      expect((await errorOf(calls[name](callerFor(db, null)))).code).toBe("UNAUTHORIZED");
    },
  );

  it("leaves no audit row for a refused caller", async () => {
    expect(await auditRows(db, { actorId: person.id })).toEqual([]);
  });
});
