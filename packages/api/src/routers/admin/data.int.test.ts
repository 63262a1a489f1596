// admin.data.* and admin.audit.list through createCaller against a real database: settings saved and audited with before and after, refused when out of range, and taking effect in the retention job and the log's masking; the db:verify report; the audit log in keyset pages with filters.
import { createInteractionLog, runRetention } from "@lockstep/ai";
import { loadConfig } from "@lockstep/config";
import type { TAdminAuditEntry, TMaskingSettings } from "@lockstep/contracts";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, callerFor, insertUser, type TestUser } from "../../../test/testing/callers.ts";
import { auditRows } from "../../../test/fixtures.ts";

let db: TestDatabase;
let admin: TestUser;
let other: TestUser;
let person: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await insertUser(db, { name: "Data Operator", role: "admin" });
  other = await insertUser(db, { name: "Second Operator", role: "admin" });
  person = await insertUser(db, { name: "Plain Person" });
});
afterAll(async () => {
  await db?.close();
});

const ALL_ON: TMaskingSettings = { enabled: true, email: true, phone: true, card: true, secret: true, dataUrl: true };

/** Logs one finished call whose prompt holds an email, a phone number and a key; returns the stored prompt. */
async function logOneCall(settingsTtlMs = 0): Promise<string> {
  const log = createInteractionLog(db, { settingsTtlMs });
  const handle = await log.begin({
    operation: "reply",
    provider: { name: "settings-provider", kind: "builtin", baseUrl: null },
    model: "m",
    promptText: "mail bob@example.com or call +44 20 7946 0958, key sk-abcdefghijklmnopqrstuv",
    request: { note: "bob@example.com" },
    context: { userId: null, sessionId: null, ip: null, dataSource: "system" },
  });
  await handle.succeed({ response: "ok", usage: { inputTokens: null, outputTokens: null } });
  const { rows } = await db.pool.query<{ prompt_text: string }>(
    `SELECT prompt_text FROM ai_interactions WHERE id = $1`,
    [handle.id],
  );
  return rows[0]!.prompt_text;
}

describe("admin.data.settings and updateSettings", () => {
  it("shows the configured retention days (AI_LOG_RETENTION_DAYS) until operators save their own", async () => {
    const { aiLog } = loadConfig({ AI_LOG_RETENTION_DAYS: "45" });
    const configured = callerFor(db, admin, { dataDefaults: { retentionDays: aiLog.retentionDays } });
    expect(await configured.admin.data.settings()).toMatchObject({ source: "default", retentionDays: 45 });
    // Without a configured value, the built-in 90 days.
    expect(await callerFor(db, admin).admin.data.settings()).toMatchObject({ source: "default", retentionDays: 90 });
  });

  it("shows the defaults until saved, then the saved values, auditing before and after", async () => {
    const caller = callerFor(db, admin);
    const initial = await caller.admin.data.settings();
    expect(initial).toMatchObject({ source: "default", masking: ALL_ON, updatedAt: null, updatedBy: null });

    const saved = await caller.admin.data.updateSettings({ retentionDays: 30, masking: { ...ALL_ON, phone: false } });
    expect(saved).toMatchObject({
      source: "database",
      retentionDays: 30,
      masking: { phone: false, email: true },
      updatedBy: admin.id,
    });
    expect(await caller.admin.data.settings()).toEqual(saved);

    const [audit] = await auditRows(db, { action: "admin.data.updateSettings" });
    expect(audit).toMatchObject({ actor_id: admin.id, entity_type: "data_settings" });
    expect(audit!.before).toMatchObject({ source: "default", retentionDays: initial.retentionDays });
    expect(audit!.after).toMatchObject({ source: "database", retentionDays: 30, masking: { phone: false } });
  });

  it("refuses out-of-range days and incomplete masking as bad input, changing nothing", async () => {
    const caller = callerFor(db, admin);
    const before = await caller.admin.data.settings();
    const audits = (await auditRows(db, { action: "admin.data.updateSettings" })).length;
    for (const bad of [
      { retentionDays: 0, masking: ALL_ON },
      { retentionDays: 4000, masking: ALL_ON },
      { retentionDays: 1.5, masking: ALL_ON },
      { retentionDays: 30, masking: { enabled: true } },
    ]) {
      expect((await errorOf(caller.admin.data.updateSettings(bad as never))).code).toBe("BAD_REQUEST");
    }
    expect(await caller.admin.data.settings()).toEqual(before);
    expect(await auditRows(db, { action: "admin.data.updateSettings" })).toHaveLength(audits);
  });

  it("takes effect in the retention job: it deletes by the saved days", async () => {
    const caller = callerFor(db, admin);
    const provider = await db.pool.query<{ id: string }>(
      `INSERT INTO providers (name, kind, updated_at) VALUES ('retention-settings', 'BUILTIN', now()) RETURNING id`,
    );
    const insertAged = async (days: number) =>
      (
        await db.pool.query<{ id: string }>(
          `INSERT INTO ai_interactions (provider_id, model_name, operation, request, status, created_at, updated_at)
           VALUES ($1, 'm', 'REPLY', '{}', 'SUCCESS', now() - make_interval(days => $2), now()) RETURNING id`,
          [provider.rows[0]!.id, days],
        )
      ).rows[0]!.id;
    const aged20 = await insertAged(20);
    const aged10 = await insertAged(10);
    await caller.admin.data.updateSettings({ retentionDays: 15, masking: ALL_ON });
    expect(await runRetention(db)).toBe(1);
    const left = async (id: string) =>
      (await db.pool.query(`SELECT count(*)::int AS n FROM ai_interactions WHERE id = $1`, [id])).rows[0].n;
    expect(await left(aged20)).toBe(0);
    expect(await left(aged10)).toBe(1);
    await caller.admin.data.updateSettings({ retentionDays: 5, masking: ALL_ON });
    expect(await runRetention(db)).toBe(1);
    expect(await left(aged10)).toBe(0);
  });

  it("takes effect in the log's masking: categories switched off are stored as they were", async () => {
    const caller = callerFor(db, admin);
    await caller.admin.data.updateSettings({ retentionDays: 90, masking: ALL_ON });
    expect(await logOneCall()).toBe("mail [email] or call [phone], key [secret]");
    await caller.admin.data.updateSettings({ retentionDays: 90, masking: { ...ALL_ON, email: false, secret: false } });
    expect(await logOneCall()).toBe("mail bob@example.com or call [phone], key sk-abcdefghijklmnopqrstuv");
    await caller.admin.data.updateSettings({ retentionDays: 90, masking: { ...ALL_ON, enabled: false } });
    expect(await logOneCall()).toBe("mail bob@example.com or call +44 20 7946 0958, key sk-abcdefghijklmnopqrstuv");
    await caller.admin.data.updateSettings({ retentionDays: 90, masking: ALL_ON });
  });
});

describe("admin.data.verify", () => {
  it("returns the db:verify report as data, and audits that it ran", async () => {
    const report = await callerFor(db, admin).admin.data.verify();
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(["migrations", "row-counts", "foreign-keys", "indexes", "enums"]),
    );
    const failed = report.checks.filter((check) => !check.ok);
    expect(failed).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.users).toBeGreaterThanOrEqual(3);
    expect(await auditRows(db, { action: "admin.data.verify" })).toHaveLength(1);
  });
});

describe("admin.audit.list", () => {
  it("lists who did what, newest first, in keyset pages with filters", async () => {
    const caller = callerFor(db, other);
    // Three changes by the second operator, so their entries can be told apart from the rest.
    for (const days of [40, 41, 42]) await caller.admin.data.updateSettings({ retentionDays: days, masking: ALL_ON });
    const entries: TAdminAuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const page = await caller.admin.audit.list({
        actorId: other.id,
        action: "admin.data.updateSettings",
        limit: 2,
        cursor,
      });
      entries.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && entries.length < 10);
    expect(entries.map((e) => (e.after as { retentionDays: number }).retentionDays)).toEqual([42, 41, 40]);
    expect(entries.map((e) => (e.before as { retentionDays: number }).retentionDays)).toEqual([41, 40, 90]);
    expect(entries[0]).toMatchObject({ actorId: other.id, actorEmail: other.email, entityType: "data_settings" });

    const all = await caller.admin.audit.list({ limit: 100 });
    for (let k = 1; k < all.items.length; k++)
      expect(all.items[k - 1]!.createdAt).toBeGreaterThanOrEqual(all.items[k]!.createdAt);
    const byEntity = await caller.admin.audit.list({ entityType: "database", limit: 10 });
    expect(byEntity.items.map((e) => e.action)).toEqual(["admin.data.verify"]);
    const future = await caller.admin.audit.list({ from: Date.now() + 86_400_000, limit: 10 });
    expect(future.items).toEqual([]);
  });
});

describe("who may call admin.data.* and admin.audit.*", () => {
  it("is FORBIDDEN for a plain user, who changes nothing", async () => {
    const caller = callerFor(db, person);
    const before = await callerFor(db, admin).admin.data.settings();
    expect((await errorOf(caller.admin.data.settings())).code).toBe("FORBIDDEN");
    expect((await errorOf(caller.admin.data.updateSettings({ retentionDays: 1, masking: ALL_ON }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await errorOf(caller.admin.data.verify())).code).toBe("FORBIDDEN");
    expect((await errorOf(caller.admin.audit.list({ limit: 5 }))).code).toBe("FORBIDDEN");
    expect((await errorOf(callerFor(db, null).admin.audit.list({ limit: 5 }))).code).toBe("UNAUTHORIZED");
    expect(await callerFor(db, admin).admin.data.settings()).toEqual(before);
    expect(await auditRows(db, { actorId: person.id })).toEqual([]);
  });
});
