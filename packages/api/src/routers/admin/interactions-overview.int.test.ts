// admin.interactions.overview and .groups through createCaller against a real database: hand-computed series, totals, breakdowns and percentiles, filters, prompt-hash groups paged without gaps, audit rows, and who may call them.
import { readRollupWindow, refreshAiInteractionRollups, trimRollupsBefore, withAdmin } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, callerFor, insertUser, type TestUser } from "../../../test/testing/callers.ts";
import { auditRows } from "../../../test/fixtures.ts";

let db: TestDatabase;
let admin: TestUser;
let person: TestUser;

const DAY = Date.parse("2026-08-01T00:00:00.000Z");
const HOUR = 3_600_000;
const range = { from: DAY, to: DAY + 3 * HOUR };

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
  hash: string;
}

/** Seven calls, worked through by hand in the tests below. */
const ROWS: Row[] = [
  {
    provider: "ov-a",
    model: "m1",
    operation: "REPLY",
    status: "SUCCESS",
    at: DAY + 60_000,
    latency: 100,
    ttft: 10,
    input: 3,
    output: 4,
    hash: "h1",
  },
  {
    provider: "ov-a",
    model: "m1",
    operation: "REPLY",
    status: "SUCCESS",
    at: DAY + 120_000,
    latency: 300,
    ttft: 30,
    input: 2,
    output: 6,
    hash: "h1",
  },
  {
    provider: "ov-b",
    model: "m2",
    operation: "EMBED",
    status: "ERROR",
    at: DAY + HOUR + 5,
    latency: 20,
    input: 9,
    hash: "h2",
  },
  {
    provider: "ov-b",
    model: "m2",
    operation: "REPLY",
    status: "SUCCESS",
    at: DAY + HOUR + 10,
    latency: 200,
    ttft: 50,
    input: 1,
    output: 1,
    hash: "h1",
  },
  {
    provider: "ov-a",
    model: "m1",
    operation: "REPLY",
    status: "TIMEOUT",
    at: DAY + HOUR + 20,
    latency: 5000,
    hash: "h3",
  },
  {
    provider: "ov-a",
    model: "m3",
    operation: "SUGGEST",
    status: "SUCCESS",
    at: DAY + 2 * HOUR + 1,
    latency: 400,
    ttft: 40,
    input: 5,
    output: 5,
    hash: "h2",
  },
  { provider: "ov-a", model: "m1", operation: "REPLY", status: "PENDING", at: DAY + 2 * HOUR + 5, hash: "h4" },
];
const ids: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await insertUser(db, { name: "Overview Operator", role: "admin" });
  person = await insertUser(db, { name: "Plain Person" });
  for (const row of ROWS) {
    const provider = await db.pool.query<{ id: string }>(
      `INSERT INTO providers (name, kind, updated_at) VALUES ($1, 'OPENAI_COMPATIBLE', now())
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [row.provider],
    );
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO ai_interactions (provider_id, model_name, operation, prompt_text, prompt_hash, request, status, latency_ms,
                                    time_to_first_token_ms, input_tokens, output_tokens, created_at, updated_at)
       VALUES ($1, $2, $3::"AiOperation", $4, $5, '{}', $6::"AiInteractionStatus", $7, $8, $9, $10, $11, now()) RETURNING id`,
      [
        provider.rows[0]!.id,
        row.model,
        row.operation,
        `prompt ${row.hash}`,
        row.hash,
        row.status,
        row.latency ?? null,
        row.ttft ?? null,
        row.input ?? null,
        row.output ?? null,
        new Date(row.at),
      ],
    );
    ids.push(rows[0]!.id);
  }
  // A call outside the range, which no number below may include.
  const outside = await db.pool.query<{ id: string }>(`SELECT id FROM providers WHERE name = 'ov-a'`);
  await db.pool.query(
    `INSERT INTO ai_interactions (provider_id, model_name, operation, prompt_hash, request, status, latency_ms, created_at, updated_at)
     VALUES ($1, 'm1', 'REPLY', 'h1', '{}', 'SUCCESS', 99999, $2, now())`,
    [outside.rows[0]!.id, new Date(DAY + 3 * HOUR)],
  );
});
afterAll(async () => {
  await db?.close();
});

describe("admin.interactions.overview", () => {
  it("matches the hand-computed totals, series and breakdowns", async () => {
    const overview = await callerFor(db, admin).admin.interactions.overview({ ...range, bucket: "hour" });
    expect(overview.totals).toEqual({
      count: 7,
      pending: 1,
      success: 4,
      error: 1,
      timeout: 1,
      cancelled: 0,
      aborted: 0,
      errors: 2,
      errorRate: 2 / 6, // among the six calls with an outcome
      latencyMs: { p50: 250, p95: 385, p99: 397 }, // successes 100, 200, 300, 400
      timeToFirstTokenMs: { p50: 35, p95: 48.5 }, // 10, 30, 40, 50
      inputTokens: 20,
      outputTokens: 16,
    });
    expect(overview.series.map((p) => [p.start - DAY, p.count, p.errors, p.latencyMs.p50])).toEqual([
      [0, 2, 0, 200],
      [HOUR, 3, 2, 200],
      [2 * HOUR, 2, 0, 400],
    ]);
    expect(overview.byProvider.map((e) => [e.key, e.count, e.errors, e.latencyMs.p50])).toEqual([
      ["ov-a", 5, 1, 300],
      ["ov-b", 2, 1, 200],
    ]);
    expect(overview.byModel.map((e) => [e.key, e.count, e.errors])).toEqual([
      ["m1", 4, 1],
      ["m2", 2, 1],
      ["m3", 1, 0],
    ]);
    expect(overview.byOperation.map((e) => [e.key, e.count, e.inputTokens])).toEqual([
      ["reply", 5, 6],
      ["embed", 1, 9],
      ["suggest", 1, 5],
    ]);
    expect(overview).toMatchObject({
      bucket: "hour",
      bucketMs: HOUR,
      filters: { provider: null, model: null, operation: null },
    });
    expect(await auditRows(db, { action: "admin.interactions.overview", actorId: admin.id })).toHaveLength(1);
  });

  it("applies the provider, model and operation filters to every part", async () => {
    const caller = callerFor(db, admin);
    const m1 = await caller.admin.interactions.overview({ ...range, model: "m1" });
    expect(m1.totals).toMatchObject({
      count: 4,
      success: 2,
      timeout: 1,
      pending: 1,
      errors: 1,
      latencyMs: { p50: 200 },
    });
    expect(m1.byModel.map((e) => e.key)).toEqual(["m1"]);
    expect(m1.byProvider.map((e) => [e.key, e.count])).toEqual([["ov-a", 4]]);
    const embeds = await caller.admin.interactions.overview({ ...range, provider: "ov-b", operation: "embed" });
    expect(embeds.totals).toMatchObject({ count: 1, error: 1, errorRate: 1, latencyMs: { p50: null } });
    const none = await caller.admin.interactions.overview({ ...range, provider: "no-such-provider" });
    expect(none.totals.count).toBe(0);
    expect(none.series.every((p) => p.count === 0)).toBe(true);
    expect(none.byProvider).toEqual([]);
  });

  it("picks a bucket from the range when none is given, with every bucket present", async () => {
    const caller = callerFor(db, admin);
    const short = await caller.admin.interactions.overview(range);
    expect(short.bucket).toBe("minute");
    expect(short.series).toHaveLength(180);
    expect(short.series.reduce((sum, p) => sum + p.count, 0)).toBe(7);
    const week = await caller.admin.interactions.overview({ from: DAY, to: DAY + 7 * 24 * HOUR });
    expect(week.bucket).toBe("hour");
    expect(week.totals.count).toBe(8);
    const month = await caller.admin.interactions.overview({ from: DAY, to: DAY + 30 * 24 * HOUR });
    expect(month.bucket).toBe("day");
    expect(month.series).toHaveLength(30);
  });

  it("refuses a backwards range or one with too many buckets, as bad input", async () => {
    const caller = callerFor(db, admin);
    expect((await errorOf(caller.admin.interactions.overview({ from: DAY, to: DAY }))).code).toBe("BAD_REQUEST");
    expect(
      (await errorOf(caller.admin.interactions.overview({ from: DAY, to: DAY + 30 * 24 * HOUR, bucket: "minute" })))
        .code,
    ).toBe("BAD_REQUEST");
  });
});

describe("admin.interactions.groups", () => {
  it("groups by prompt hash, busiest first, with hand-computed numbers", async () => {
    const page = await callerFor(db, admin).admin.interactions.groups({ ...range, limit: 10 });
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((g) => [g.promptHash, g.calls, g.errors, g.avgLatencyMs, g.p95LatencyMs])).toEqual([
      ["h1", 3, 0, 200, 290],
      ["h2", 2, 1, 210, 381],
      ["h3", 1, 1, 5000, 5000],
      ["h4", 1, 0, null, null],
    ]);
    const h1 = page.items[0]!;
    expect(h1).toMatchObject({
      firstSeen: DAY + 60_000,
      lastSeen: DAY + HOUR + 10,
      sampleId: ids[3],
      promptPreview: "prompt h1",
    });
    expect(await auditRows(db, { action: "admin.interactions.groups", actorId: admin.id })).toHaveLength(1);
  });

  it("pages through every group once, ties in calls ordered by hash", async () => {
    const caller = callerFor(db, admin);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await caller.admin.interactions.groups({ ...range, limit: 1, cursor });
      seen.push(...page.items.map((g) => g.promptHash));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual(["h1", "h2", "h3", "h4"]);
  });

  it("takes the list's filters", async () => {
    const caller = callerFor(db, admin);
    const failed = await caller.admin.interactions.groups({ ...range, status: "error", limit: 10 });
    expect(failed.items.map((g) => [g.promptHash, g.calls])).toEqual([["h2", 1]]);
    const b = await caller.admin.interactions.groups({ ...range, provider: "ov-b", limit: 10 });
    expect(b.items.map((g) => [g.promptHash, g.calls])).toEqual([
      ["h1", 1],
      ["h2", 1],
    ]);
    // Without the range, the call outside it joins h1.
    const all = await caller.admin.interactions.groups({ limit: 10 });
    expect(all.items[0]).toMatchObject({ promptHash: "h1", calls: 4 });
  });

  it("refuses a cursor it did not make", async () => {
    const caller = callerFor(db, admin);
    expect((await errorOf(caller.admin.interactions.groups({ cursor: "bm90LWEtY3Vyc29y", limit: 5 }))).code).toBe(
      "BAD_REQUEST",
    );
  });
});

describe("who may call overview and groups", () => {
  it("is FORBIDDEN for a plain user and UNAUTHORIZED for a stranger, leaving no audit row", async () => {
    expect((await errorOf(callerFor(db, person).admin.interactions.overview(range))).code).toBe("FORBIDDEN");
    expect((await errorOf(callerFor(db, person).admin.interactions.groups({ limit: 5 }))).code).toBe("FORBIDDEN");
    expect((await errorOf(callerFor(db, null).admin.interactions.overview(range))).code).toBe("UNAUTHORIZED");
    expect(await auditRows(db, { actorId: person.id })).toEqual([]);
  });
});

// Last in the file: once rolled up, ranges of six whole hours or more read the rollups.
describe("admin.interactions.overview from the hourly rollups", () => {
  const day = { from: DAY, to: DAY + 24 * HOUR, bucket: "hour" as const };

  it("gives the exact counts, error rates and tokens, and percentiles within a bin of the exact ones", async () => {
    const caller = callerFor(db, admin);
    const exact = await caller.admin.interactions.overview(day);
    expect(exact.percentiles).toBe("exact");
    await refreshAiInteractionRollups(db, { now: new Date(DAY + 24 * HOUR) });
    const rolled = await caller.admin.interactions.overview(day);
    expect(rolled.percentiles).toBe("approximate");
    const counts = (v: typeof exact.totals) => [
      v.count,
      v.pending,
      v.success,
      v.error,
      v.timeout,
      v.errors,
      v.errorRate,
      v.inputTokens,
      v.outputTokens,
    ];
    expect(counts(rolled.totals)).toEqual(counts(exact.totals));
    expect(rolled.series.map((p) => counts(p))).toEqual(exact.series.map((p) => counts(p)));
    for (const part of ["byProvider", "byModel", "byOperation"] as const) {
      expect(rolled[part].map((e) => [e.key, ...counts(e)])).toEqual(exact[part].map((e) => [e.key, ...counts(e)]));
    }
    const close = (approx: number | null, value: number | null) => {
      expect(value).not.toBeNull();
      expect(Math.abs((approx ?? 0) - (value ?? 0)) / (value ?? 1)).toBeLessThanOrEqual(0.1);
    };
    close(rolled.totals.latencyMs.p50, exact.totals.latencyMs.p50);
    close(rolled.totals.latencyMs.p95, exact.totals.latencyMs.p95);
    close(rolled.totals.timeToFirstTokenMs.p50, exact.totals.timeToFirstTokenMs.p50);
    close(rolled.byProvider[0]!.latencyMs.p50, exact.byProvider[0]!.latencyMs.p50);
  });

  it("adds the ragged ends of a range from the log, and the filters apply to both parts", async () => {
    const caller = callerFor(db, admin);
    // [DAY + 30 min, DAY + 23.5 h): the rollups serve the whole hours, the log the two half hours.
    const ragged = await caller.admin.interactions.overview({
      from: DAY + HOUR / 2,
      to: DAY + 23.5 * HOUR,
      bucket: "hour",
    });
    expect(ragged.percentiles).toBe("approximate");
    expect(ragged.totals.count).toBe(6); // the two calls in the first minutes are before the range
    const m1 = await caller.admin.interactions.overview({ ...day, model: "m1" });
    expect(m1.totals).toMatchObject({ count: 5, timeout: 1, pending: 1 });
    const b = await caller.admin.interactions.overview({ ...day, provider: "ov-b", operation: "embed" });
    expect(b.totals).toMatchObject({ count: 1, error: 1, errorRate: 1 });
  });

  it("counts a call that finished after its hour was rolled up at the next refresh, and forgets a deleted call at once", async () => {
    const caller = callerFor(db, admin);
    const before = (await caller.admin.interactions.overview(day)).totals;
    await db.pool.query(`UPDATE ai_interactions SET status = 'SUCCESS', latency_ms = 700 WHERE id = $1`, [ids[6]]);
    expect((await caller.admin.interactions.overview(day)).totals.pending).toBe(before.pending);
    await refreshAiInteractionRollups(db, { now: new Date(DAY + 25 * HOUR) });
    const after = (await caller.admin.interactions.overview(day)).totals;
    expect(after).toMatchObject({ pending: before.pending - 1, success: before.success + 1 });

    await caller.admin.interactions.delete({ id: ids[2]! });
    const deleted = (await caller.admin.interactions.overview(day)).totals;
    expect(deleted).toMatchObject({ count: after.count - 1, error: after.error - 1 });
  });

  it("stops reading hours retention removed from the rollups, and reads them from the log instead", async () => {
    const caller = callerFor(db, admin);
    const before = (await caller.admin.interactions.overview(day)).totals;
    await trimRollupsBefore(db, new Date(DAY + 2.5 * HOUR));
    expect(await withAdmin(db, (tx) => readRollupWindow(tx))).toMatchObject({ from: new Date(DAY + 3 * HOUR) });
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ai_interaction_rollups WHERE hour < $1`, [
      new Date(DAY + 3 * HOUR),
    ]);
    expect(rows[0].n).toBe(0);
    // The calls themselves are still in the log here, so the numbers stay the same.
    const after = await caller.admin.interactions.overview(day);
    expect(after.percentiles).toBe("approximate");
    expect([after.totals.count, after.totals.success, after.totals.errors]).toEqual([
      before.count,
      before.success,
      before.errors,
    ]);
  });
});
