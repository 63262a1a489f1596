// Retention of the interaction log against a real database: only old rows (and their responses) go, once or on a schedule.
import { loadConfig } from "@lockstep/config";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInteractionLog } from "./interaction-log.ts";
import { runRetention, startRetentionSchedule } from "./retention.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

/** Logs `n` finished calls with two responses each and backdates them by `daysAgo`. */
async function logCalls(n: number, daysAgo: number): Promise<string[]> {
  const log = createInteractionLog(db, { masking: false });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const handle = await log.begin({
      operation: "reply",
      provider: { name: "retention-provider", kind: "builtin", baseUrl: null },
      model: "m",
      promptText: `prompt ${i}`,
      request: { i },
      context: { userId: null, sessionId: null, ip: null, dataSource: "system" },
    });
    await handle.succeed({
      response: "r",
      responses: [{ content: "a" }, { content: "b" }],
      usage: { inputTokens: 1, outputTokens: 1 },
    });
    ids.push(handle.id);
  }
  await db.pool.query(
    `UPDATE ai_interactions SET created_at = now() - make_interval(days => $2) WHERE id = ANY($1::uuid[])`,
    [ids, daysAgo],
  );
  return ids;
}

async function surviving(ids: string[]): Promise<{ interactions: number; responses: number }> {
  const interactions = await db.pool.query(
    `SELECT count(*)::int AS n FROM ai_interactions WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const responses = await db.pool.query(
    `SELECT count(*)::int AS n FROM ai_responses WHERE interaction_id = ANY($1::uuid[])`,
    [ids],
  );
  return { interactions: interactions.rows[0].n, responses: responses.rows[0].n };
}

describe("runRetention", () => {
  it("deletes interactions older than N days with their responses, and nothing younger", async () => {
    const old = await logCalls(5, 31);
    const young = await logCalls(3, 29);
    expect(await runRetention(db, { days: 30, batchSize: 2 })).toBe(5);
    expect(await surviving(old)).toEqual({ interactions: 0, responses: 0 });
    expect(await surviving(young)).toEqual({ interactions: 3, responses: 6 });
    expect(await runRetention(db, { days: 30 })).toBe(0);
  });

  it("defaults to the configured AI_LOG_RETENTION_DAYS, or 90 days", async () => {
    const ninetyOne = await logCalls(1, 91);
    const eightyNine = await logCalls(1, 89);
    expect(await runRetention(db)).toBe(1);
    expect(await surviving(ninetyOne)).toEqual({ interactions: 0, responses: 0 });
    const { aiLog } = loadConfig({ AI_LOG_RETENTION_DAYS: "60" });
    expect(await runRetention(db, { defaultDays: aiLog.retentionDays })).toBe(1);
    expect(await surviving(eightyNine)).toEqual({ interactions: 0, responses: 0 });
  });
});

describe("startRetentionSchedule", () => {
  it("runs at start and on every tick, never overlapping, and stops", async () => {
    const first = await logCalls(2, 10);
    // Earlier tests left younger rows that a 7-day retention also takes.
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM ai_interactions WHERE created_at < now() - interval '7 days'`,
    );
    const results: number[] = [];
    const failures: unknown[] = [];
    const schedule = startRetentionSchedule(db, {
      days: 7,
      everyMs: 50,
      onResult: (n) => results.push(n),
      onError: (e) => failures.push(e),
    });
    // Joining the run under way returns the same count, not a second run.
    const [a, b] = await Promise.all([schedule.runNow(), schedule.runNow()]);
    expect(a).toBe(b);
    expect(await surviving(first)).toEqual({ interactions: 0, responses: 0 });
    const second = await logCalls(1, 8);
    await expect.poll(() => surviving(second), { timeout: 5_000 }).toEqual({ interactions: 0, responses: 0 });
    await schedule.stop();
    const after = await logCalls(1, 8);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await surviving(after)).toEqual({ interactions: 1, responses: 2 });
    expect(failures).toEqual([]);
    expect(results.reduce((sum, n) => sum + n, 0)).toBe(rows[0].n + 1);
  });

  it("rejects an interval that is not positive", () => {
    expect(() => startRetentionSchedule(db, { days: 1, everyMs: 0 })).toThrow(RangeError);
  });
});
