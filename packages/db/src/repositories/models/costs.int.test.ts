// The cost of each logged call on both runtimes: priced at finish from the price in effect when it
// started (a price change in the middle of a day splits the day), "no price" kept apart from 0,
// the built-in provider and OCR free, the daily rollups, and re-pricing a past range.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/index.ts";
import { beginAiInteraction, finishAiInteraction, type NewAiInteraction } from "../ai-interactions/log-writes.ts";
import type { ScopedTx } from "../../scoped.ts";
import { refreshUsageRollups, repriceRange, seedPrices, SEED_PRICES, usageOf } from "./prices.ts";

let db: TestDatabase;
let alice: string;
const DAY = "2026-03-10";
const at = (time: string) => new Date(`${DAY}T${time}Z`);

beforeAll(async () => {
  db = await createTestDatabase();
  alice = randomUUID();
  await db.pool.query(`INSERT INTO users (id, name, email, updated_at) VALUES ($1, 'Alice', $2, now())`, [
    alice,
    `${alice}@example.com`,
  ]);
  // A price for the day's morning, replaced at noon.
  await db.pool.query(
    `INSERT INTO model_prices (pattern, input_per_million, output_per_million, currency, effective_from)
     VALUES ('acme-chat*', 1, 2, 'USD', $1), ('acme-chat*', 10, 20, 'USD', $2)`,
    [at("00:00:00"), at("12:00:00")],
  );
});
afterAll(async () => {
  await db?.close();
});

/** Logs one finished call that started at `startedAt`, as the log does, and returns its cost columns. */
async function logCall(
  startedAt: Date,
  overrides: Partial<NewAiInteraction> = {},
  tokens: { input: number | null; output: number | null; cached?: number | null } = { input: 1000, output: 500 },
) {
  const id = randomUUID();
  await beginAiInteraction(db, {
    id,
    provider: { name: "acme", kind: "openai_compatible", baseUrl: "http://acme.invalid/v1" },
    modelName: "acme-chat-large",
    operation: "reply",
    promptText: "hello",
    promptHash: "hash",
    request: {},
    userId: alice,
    sessionId: null,
    ipAddress: null,
    fileMetadata: undefined,
    dataSource: "web",
    metadata: undefined,
    ...overrides,
  });
  await db.pool.query(`UPDATE ai_interactions SET created_at = $2 WHERE id = $1`, [id, startedAt]);
  await finishAiInteraction(db, id, {
    status: "SUCCESS",
    response: null,
    latencyMs: 10,
    timeToFirstTokenMs: null,
    inputTokens: tokens.input,
    cachedInputTokens: tokens.cached ?? null,
    outputTokens: tokens.output,
    errorCode: null,
    errorMessage: null,
    metadata: undefined,
    responses: [],
  });
  const { rows } = await db.pool.query<{
    cost: string | null;
    cost_basis: string;
    cost_currency: string | null;
    cached_input_tokens: number | null;
  }>(`SELECT cost::text, cost_basis, cost_currency, cached_input_tokens FROM ai_interactions WHERE id = $1`, [id]);
  return { id, ...rows[0]! };
}

describe("the cost of a logged call", () => {
  it("uses the price in effect when the call started, across a price change in the middle of a day", async () => {
    const morning = await logCall(at("09:30:00"));
    const afternoon = await logCall(at("15:00:00"));
    // 1000 input and 500 output tokens: at 1/2 per million, then at 10/20.
    expect(morning).toMatchObject({ cost_basis: "PRICED", cost_currency: "USD" });
    expect(Number(morning.cost)).toBeCloseTo(0.002, 10);
    expect(Number(afternoon.cost)).toBeCloseTo(0.02, 10);
    const before = await logCall(new Date("2026-03-09T23:59:00Z"));
    expect(before).toMatchObject({ cost: null, cost_basis: "NO_PRICE" });
  });

  it("marks a call whose model has no price as NO_PRICE with no cost, never 0", async () => {
    const unknown = await logCall(at("10:00:00"), { modelName: "mystery-model-7" });
    expect(unknown).toMatchObject({ cost: null, cost_basis: "NO_PRICE", cost_currency: null });
  });

  it("prices the built-in provider and OCR at 0 and says they are free", async () => {
    const builtin = await logCall(at("10:00:00"), {
      provider: { name: "builtin-costs", kind: "builtin", baseUrl: null },
      modelName: "acme-chat-large",
    });
    expect(builtin).toMatchObject({ cost_basis: "FREE" });
    expect(Number(builtin.cost)).toBe(0);
    const ocr = await logCall(at("10:00:00"), { operation: "ocr", modelName: "tesseract" });
    expect(ocr).toMatchObject({ cost_basis: "FREE" });
  });

  it("prices cached input tokens at the cached-input price, and at the input price where a model has none", async () => {
    // On another day, so the rollup totals below are the first day's calls alone.
    const later = (time: string) => new Date(`2026-03-12T${time}Z`);
    await db.pool.query(
      `INSERT INTO model_prices (pattern, input_per_million, cached_input_per_million, output_per_million, currency, effective_from)
       VALUES ('cachy-chat*', 2, 0.5, 8, 'USD', $1)`,
      [at("00:00:00")],
    );
    const tokens = { input: 1000, cached: 600, output: 100 };
    // 400 uncached at 2, 600 cached at 0.5, 100 out at 8, per million.
    const cached = await logCall(later("10:00:00"), { modelName: "cachy-chat-1" }, tokens);
    expect(cached).toMatchObject({ cost_basis: "PRICED", cached_input_tokens: 600 });
    expect(Number(cached.cost)).toBeCloseTo((400 * 2 + 600 * 0.5 + 100 * 8) / 1e6, 12);
    const uncached = await logCall(later("10:00:00"), { modelName: "cachy-chat-1" }, { input: 1000, output: 100 });
    expect(uncached.cached_input_tokens).toBeNull();
    expect(Number(uncached.cost)).toBeCloseTo((1000 * 2 + 100 * 8) / 1e6, 12);
    // acme-chat* (10 and 20 since noon the day before) has no cached-input price: a cached token
    // costs what any input token costs.
    const noCachedPrice = await logCall(later("09:00:00"), {}, tokens);
    expect(Number(noCachedPrice.cost)).toBeCloseTo((1000 * 10 + 100 * 20) / 1e6, 12);
    // More cached than input (an endpoint's mistake) is kept within the input, never a negative cost.
    const overCounted = await logCall(
      later("10:00:00"),
      { modelName: "cachy-chat-1" },
      { input: 100, cached: 500, output: 0 },
    );
    expect(overCounted.cached_input_tokens).toBe(100);
    expect(Number(overCounted.cost)).toBeCloseTo((100 * 0.5) / 1e6, 12);
    // Re-pricing reads the same counts, so it agrees with the price given at finish.
    await repriceRange(db, later("10:00:00"), later("10:00:01"));
    const { rows } = await db.pool.query<{ cost: string }>(`SELECT cost::text FROM ai_interactions WHERE id = $1`, [
      cached.id,
    ]);
    expect(rows[0]!.cost).toBe(cached.cost);
  });

  it("prefers the most specific pattern and seeds public prices idempotently", async () => {
    const added = await seedPrices(db);
    expect(added).toBe(SEED_PRICES.length);
    expect(await seedPrices(db)).toBe(0);
    const mini = await logCall(
      new Date("2026-03-11T10:00:00Z"),
      { modelName: "gpt-4o-mini-2024-07-18" },
      {
        input: 1_000_000,
        output: 1_000_000,
      },
    );
    // gpt-4o-mini* (0.15 + 0.60), not gpt-4o* (2.50 + 10).
    expect(Number(mini.cost)).toBeCloseTo(0.75, 10);
  });
});

describe("daily usage rollups and re-pricing", () => {
  it("sums calls, tokens and cost per day and model, counting unpriced calls apart", async () => {
    await refreshUsageRollups(db, at("00:00:00"), at("23:59:59"));
    const rows = await usageOf(db.prisma as unknown as ScopedTx, alice, new Date(`${DAY}T00:00:00Z`));
    const day = rows.filter((r) => r.day === DAY);
    const acme = day.find((r) => r.modelName === "acme-chat-large");
    // Morning, afternoon and the built-in call (free) on this day.
    expect(acme).toMatchObject({ calls: 3, inputTokens: 3000, outputTokens: 1500, unpricedCalls: 0 });
    expect(acme!.cost).toBeCloseTo(0.022, 10);
    expect(day.find((r) => r.modelName === "mystery-model-7")).toMatchObject({
      calls: 1,
      cost: null,
      unpricedCalls: 1,
    });
  });

  it("re-prices a past range from the current table and rebuilds its rollups", async () => {
    await db.pool.query(
      `UPDATE model_prices SET input_per_million = 100, output_per_million = 200 WHERE pattern = 'acme-chat*' AND effective_from = $1`,
      [at("12:00:00")],
    );
    const repriced = await repriceRange(db, at("00:00:00"), new Date(`${DAY}T23:59:59Z`));
    expect(repriced).toBeGreaterThanOrEqual(5);
    const rows = await usageOf(db.prisma as unknown as ScopedTx, alice, new Date(`${DAY}T00:00:00Z`));
    const acme = rows.find((r) => r.day === DAY && r.modelName === "acme-chat-large");
    expect(acme!.cost).toBeCloseTo(0.002 + 0.2, 10);
  });
});
