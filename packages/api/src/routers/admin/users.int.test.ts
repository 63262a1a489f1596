// admin.users.* through createCaller against a real database: search and keyset pages over many users, per-user stats, detail, role and disable changes with their audit rows, and who may call any of it.
import type { TAdminUserListItem } from "@lockstep/contracts";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, callerFor, insertUser, type TestUser } from "../../../test/testing/callers.ts";
import {
  auditRows,
  type Catalogue,
  countPersonalRows,
  insertCatalogue,
  insertFootprint,
} from "../../../test/fixtures.ts";

let db: TestDatabase;
let catalogue: Catalogue;
let admin: TestUser;
/** 30 users whose names contain "Pager"; created in groups of three sharing one created_at, so ties on the sort key are exercised. */
let pagers: TestUser[];

beforeAll(async () => {
  db = await createTestDatabase();
  catalogue = await insertCatalogue(db, "admin-tests");
  admin = await insertUser(db, { name: "Operator One", email: "operator@example.com", role: "admin" });
  pagers = [];
  const base = Date.parse("2026-01-01T00:00:00.000Z");
  for (let i = 0; i < 30; i++) {
    pagers.push(
      await insertUser(db, {
        id: `pager-${String(i).padStart(2, "0")}-${i % 3}`,
        email: `pager${i}@Example.org`,
        name: `Pager ${i}`,
        createdAt: new Date(base + Math.floor(i / 3) * 60_000),
        disabled: i % 10 === 0,
        role: i % 15 === 1 ? "admin" : "user",
      }),
    );
  }
});
afterAll(async () => {
  await db?.close();
});

/** Every page of a listing, following nextCursor to the end. */
async function allPages(input: { query?: string; role?: "user" | "admin"; disabled?: boolean; limit: number }) {
  const caller = callerFor(db, admin);
  const pages: TAdminUserListItem[][] = [];
  let cursor: string | null = null;
  do {
    const page = await caller.admin.users.list({ ...input, cursor });
    pages.push(page.items);
    cursor = page.nextCursor;
    if (pages.length > 50) throw new Error("pagination does not end");
  } while (cursor);
  return pages;
}

/** The order the list promises: created_at desc, then id desc (byte order, as PostgreSQL's "C"-like comparison of these ASCII ids). */
function expectedOrder(users: TestUser[]): string[] {
  return [...users]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((user) => user.id);
}

describe("admin.users.list", () => {
  it("walks every page in order with no duplicates and no gaps", async () => {
    const pages = await allPages({ query: "pager", limit: 7 });
    expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 7, 2]);
    const ids = pages.flat().map((item) => item.id);
    expect(new Set(ids).size).toBe(30);
    expect(ids).toEqual(expectedOrder(pagers));
  });

  it("ends with a null cursor when the last page is exactly full", async () => {
    const pages = await allPages({ query: "pager", limit: 10 });
    expect(pages.map((page) => page.length)).toEqual([10, 10, 10]);
  });

  it("searches email and name case-insensitively", async () => {
    const byEmail = await callerFor(db, admin).admin.users.list({ query: "PAGER2@example.ORG", limit: 50 });
    expect(byEmail.items.map((item) => item.email)).toEqual(["pager2@Example.org"]);
    const byName = await callerFor(db, admin).admin.users.list({ query: "pager 1", limit: 50 });
    expect(byName.items.map((item) => item.name).sort()).toEqual(
      ["Pager 1", ...Array.from({ length: 10 }, (_, i) => `Pager ${10 + i}`)].sort(),
    );
    const operator = await callerFor(db, admin).admin.users.list({ query: "operator", limit: 50 });
    expect(operator.items.map((item) => item.id)).toEqual([admin.id]);
  });

  it("treats %, _ and \\ in a search as themselves, not wildcards", async () => {
    const odd = await insertUser(db, { name: "Odd_Name 100% back\\slash" });
    const search = async (query: string) =>
      (await callerFor(db, admin).admin.users.list({ query, limit: 50 })).items.map((item) => item.id);
    expect(await search("_")).toEqual([odd.id]);
    expect(await search("d_n")).toEqual([odd.id]);
    expect(await search("%")).toEqual([odd.id]);
    expect(await search("0% b")).toEqual([odd.id]);
    expect(await search("k\\s")).toEqual([odd.id]);
    expect(await search("Odd%Name")).toEqual([]);
  });

  it("filters by role and by disabled", async () => {
    const admins = (await allPages({ query: "pager", role: "admin", limit: 50 })).flat();
    expect(admins.map((item) => item.name).sort()).toEqual(["Pager 1", "Pager 16"]);
    const disabled = (await allPages({ query: "pager", disabled: true, limit: 2 })).flat();
    expect(disabled.map((item) => [item.name, item.disabled])).toEqual([
      ["Pager 20", true],
      ["Pager 10", true],
      ["Pager 0", true],
    ]);
    const enabled = (await allPages({ query: "pager", disabled: false, limit: 50 })).flat();
    expect(enabled).toHaveLength(27);
  });

  it("counts sessions and the latest activity per user", async () => {
    const busy = await insertUser(db, { name: "Busy Bee" });
    const idle = await insertUser(db, { name: "Busy Not" });
    const latest = new Date("2026-05-06T07:08:09.123Z");
    await insertFootprint(db, busy.id, catalogue, [new Date("2026-01-02T00:00:00.000Z"), latest]);
    const page = await callerFor(db, admin).admin.users.list({ query: "busy", limit: 10 });
    const byId = new Map(page.items.map((item) => [item.id, item]));
    expect(byId.get(busy.id)).toMatchObject({ sessionsCount: 2, lastActivity: latest.getTime() });
    expect(byId.get(idle.id)).toMatchObject({ sessionsCount: 0, lastActivity: null });
  });

  it("returns user DTOs with wire values", async () => {
    const page = await callerFor(db, admin).admin.users.list({ query: "pager1@", limit: 1 });
    expect(page.items[0]).toEqual({
      id: pagers[1]!.id,
      email: "pager1@Example.org",
      name: "Pager 1",
      image: null,
      role: "admin",
      disabled: false,
      createdAt: pagers[1]!.createdAt.getTime(),
      sessionsCount: 0,
      lastActivity: null,
    });
  });

  it("audits each listing as a read by the operator", async () => {
    const requestId = "list-audit-request";
    await callerFor(db, admin, { requestId, ip: "203.0.113.9" }).admin.users.list({ limit: 5 });
    const rows = (await auditRows(db, { action: "admin.users.list", actorId: admin.id })).filter(
      (row) => row.request_id === requestId,
    );
    expect(rows).toEqual([
      {
        actor_id: admin.id,
        action: "admin.users.list",
        entity_type: "user",
        entity_id: null,
        before: null,
        after: null,
        ip_address: "203.0.113.9",
        request_id: requestId,
      },
    ]);
  });

  it("refuses a cursor it did not make", async () => {
    const error = await errorOf(callerFor(db, admin).admin.users.list({ cursor: "bm90LWEtY3Vyc29y", limit: 5 }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("cursor");
  });
});

describe("admin.users.get", () => {
  it("returns the user, their counts and their engagements with character names", async () => {
    const person = await insertUser(db, { name: "Detailed" });
    await insertFootprint(db, person.id, catalogue);
    await db.pool.query(
      `UPDATE engagements SET total_sessions = 3, last_interaction_at = $2 WHERE user_id = $1 AND character_id = $3`,
      [person.id, new Date("2026-02-03T04:05:06.007Z"), catalogue.characters[1]!.id],
    );
    const detail = await callerFor(db, admin).admin.users.get({ id: person.id });
    expect(detail.user).toMatchObject({ id: person.id, name: "Detailed", role: "user", disabled: false });
    expect(detail.counts).toEqual({ sessions: 2, messages: 4, engagements: 2 });
    // The message trigger keeps total_messages and last_interaction_at; the second character's engagement was touched last by the UPDATE above only if it is newer.
    expect(detail.engagements.map((e) => e.characterName).sort()).toEqual(
      catalogue.characters.map((c) => c.name).sort(),
    );
    const second = detail.engagements.find((e) => e.characterId === catalogue.characters[1]!.id);
    expect(second).toMatchObject({
      totalSessions: 3,
      totalMessages: 2,
      lastInteractionAt: Date.parse("2026-02-03T04:05:06.007Z"),
    });
    const audit = await auditRows(db, { action: "admin.users.get", entityId: person.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: admin.id, entity_type: "user" });
  });

  it("is NOT_FOUND for an unknown id", async () => {
    const error = await errorOf(callerFor(db, admin).admin.users.get({ id: "no-such-user" }));
    expect(error.code).toBe("NOT_FOUND");
  });
});

describe("admin.users.setRole", () => {
  it("promotes and demotes, auditing the user before and after", async () => {
    const person = await insertUser(db, { name: "Promotable" });
    const caller = callerFor(db, admin, { ip: "203.0.113.9" });
    const promoted = await caller.admin.users.setRole({ id: person.id, role: "admin" });
    expect(promoted).toMatchObject({ id: person.id, role: "admin" });
    const demoted = await caller.admin.users.setRole({ id: person.id, role: "user" });
    expect(demoted).toMatchObject({ id: person.id, role: "user" });

    const rows = await auditRows(db, { action: "admin.users.setRole", entityId: person.id });
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(first).toMatchObject({ actor_id: admin.id, entity_type: "user", ip_address: "203.0.113.9" });
    expect(first?.before).toMatchObject({ id: person.id, role: "user", disabled: false });
    expect(first?.after).toEqual(promoted);
    expect(second?.before).toEqual(promoted);
    expect(second?.after).toEqual(demoted);
    const { rows: stored } = await db.pool.query<{ role: string }>(`SELECT role::text FROM users WHERE id = $1`, [
      person.id,
    ]);
    expect(stored[0]?.role).toBe("USER");
  });

  it("setting the current role again returns the user and audits before == after", async () => {
    const person = await insertUser(db);
    const same = await callerFor(db, admin).admin.users.setRole({ id: person.id, role: "user" });
    expect(same).toMatchObject({ id: person.id, role: "user" });
    const rows = await auditRows(db, { action: "admin.users.setRole", entityId: person.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.before).toEqual(rows[0]?.after);
  });

  it("refuses an operator demoting themselves, and changes nothing", async () => {
    const error = await errorOf(callerFor(db, admin).admin.users.setRole({ id: admin.id, role: "user" }));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(/your own admin role/);
    const { rows } = await db.pool.query<{ role: string }>(`SELECT role::text FROM users WHERE id = $1`, [admin.id]);
    expect(rows[0]?.role).toBe("ADMIN");
    expect(await auditRows(db, { action: "admin.users.setRole", entityId: admin.id })).toEqual([]);
  });

  it("is NOT_FOUND for an unknown id and writes no audit row", async () => {
    const error = await errorOf(callerFor(db, admin).admin.users.setRole({ id: "no-such-user", role: "admin" }));
    expect(error.code).toBe("NOT_FOUND");
    expect(await auditRows(db, { entityId: "no-such-user", action: "admin.users.setRole" })).toEqual([]);
  });
});

describe("admin.users.setDisabled", () => {
  it("disables and re-enables, auditing before and after; disabling twice keeps the first time", async () => {
    const person = await insertUser(db, { name: "Disable Me" });
    const caller = callerFor(db, admin);
    const disabled = await caller.admin.users.setDisabled({ id: person.id, disabled: true });
    expect(disabled).toMatchObject({ id: person.id, disabled: true });
    const { rows: first } = await db.pool.query<{ disabled_at: Date }>(`SELECT disabled_at FROM users WHERE id = $1`, [
      person.id,
    ]);
    const again = await caller.admin.users.setDisabled({ id: person.id, disabled: true });
    expect(again).toEqual(disabled);
    const { rows: second } = await db.pool.query<{ disabled_at: Date }>(`SELECT disabled_at FROM users WHERE id = $1`, [
      person.id,
    ]);
    expect(second[0]?.disabled_at).toEqual(first[0]?.disabled_at);
    const enabled = await caller.admin.users.setDisabled({ id: person.id, disabled: false });
    expect(enabled).toMatchObject({ id: person.id, disabled: false });

    const rows = await auditRows(db, { action: "admin.users.setDisabled", entityId: person.id });
    expect(
      rows.map((row) => [
        (row.before as { disabled: boolean }).disabled,
        (row.after as { disabled: boolean }).disabled,
      ]),
    ).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
    expect(rows.every((row) => row.actor_id === admin.id)).toBe(true);
  });

  it("refuses an operator disabling themselves", async () => {
    const error = await errorOf(callerFor(db, admin).admin.users.setDisabled({ id: admin.id, disabled: true }));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(/your own account/);
    const { rows } = await db.pool.query<{ disabled_at: Date | null }>(`SELECT disabled_at FROM users WHERE id = $1`, [
      admin.id,
    ]);
    expect(rows[0]?.disabled_at).toBeNull();
  });

  it("is NOT_FOUND for an unknown id", async () => {
    const error = await errorOf(callerFor(db, admin).admin.users.setDisabled({ id: "no-such-user", disabled: true }));
    expect(error.code).toBe("NOT_FOUND");
  });
});

describe("who may call admin.users", () => {
  it("refuses a signed-in person who is not an operator with FORBIDDEN", async () => {
    const person = await insertUser(db);
    const caller = callerFor(db, person);
    for (const call of [
      () => caller.admin.users.list({ limit: 5 }),
      () => caller.admin.users.get({ id: person.id }),
      () => caller.admin.users.setRole({ id: person.id, role: "admin" }),
      () => caller.admin.users.setDisabled({ id: admin.id, disabled: true }),
    ]) {
      expect((await errorOf(call())).code).toBe("FORBIDDEN");
    }
    const { rows } = await db.pool.query<{ role: string }>(`SELECT role::text FROM users WHERE id = $1`, [person.id]);
    expect(rows[0]?.role).toBe("USER");
  });

  it("refuses an anonymous caller with UNAUTHORIZED", async () => {
    const caller = callerFor(db, null);
    expect((await errorOf(caller.admin.users.list({ limit: 5 }))).code).toBe("UNAUTHORIZED");
    expect((await errorOf(caller.admin.users.setRole({ id: admin.id, role: "user" }))).code).toBe("UNAUTHORIZED");
  });
});

describe("admin.users.get: last activity", () => {
  it("is the latest last_activity of the person's sessions, null without any", async () => {
    const person = await insertUser(db, { name: "Active" });
    expect((await callerFor(db, admin).admin.users.get({ id: person.id })).lastActivity).toBeNull();
    await insertFootprint(db, person.id, catalogue, [
      new Date("2026-03-01T00:00:00.000Z"),
      new Date("2026-03-05T10:00:00.000Z"),
    ]);
    expect((await callerFor(db, admin).admin.users.get({ id: person.id })).lastActivity).toBe(
      Date.parse("2026-03-05T10:00:00.000Z"),
    );
  });
});

describe("admin.users.delete", () => {
  it("deletes the account and everything it owns, keeps its calls anonymised, and audits the user as they were", async () => {
    const person = await insertUser(db, { name: "Leaving Soon" });
    await insertFootprint(db, person.id, catalogue);
    const result = await callerFor(db, admin).admin.users.delete({ id: person.id });
    expect(result).toMatchObject({
      id: person.id,
      deleted: true,
      counts: { sessions: 2, messages: 4, engagements: 2, aiInteractionsAnonymised: 2 },
    });
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [person.id]);
    expect(rows[0].n).toBe(0);
    expect(Object.values(await countPersonalRows(db, person.id)).every((n) => n === 0)).toBe(true);
    const orphans = await db.pool.query(
      `SELECT count(*)::int AS n FROM ai_interactions WHERE user_id IS NULL AND model_name = 'fixture-model' AND ip_address = '198.51.100.7'`,
    );
    expect(orphans.rows[0].n).toBe(0);

    const audit = await auditRows(db, { action: "admin.users.delete", entityId: person.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: admin.id, entity_type: "user", after: null });
    expect(audit[0]!.before).toMatchObject({
      user: { id: person.id, name: "Leaving Soon" },
      counts: { sessions: 2 },
      footprint: { messages: 4 },
    });
  });

  it("refuses to delete yourself, and is NOT_FOUND (changing nothing) for an unknown id", async () => {
    const self = await errorOf(callerFor(db, admin).admin.users.delete({ id: admin.id }));
    expect(self.code).toBe("FORBIDDEN");
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [admin.id])).rows[0].n).toBe(1);
    expect((await errorOf(callerFor(db, admin).admin.users.delete({ id: "no-such-user" }))).code).toBe("NOT_FOUND");
    expect(await auditRows(db, { action: "admin.users.delete", entityId: "no-such-user" })).toHaveLength(0);
  });

  it("is FORBIDDEN to a plain user, who deletes nobody", async () => {
    const plain = await insertUser(db, { name: "Plain" });
    const victim = await insertUser(db, { name: "Victim" });
    expect((await errorOf(callerFor(db, plain).admin.users.delete({ id: victim.id }))).code).toBe("FORBIDDEN");
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [victim.id])).rows[0].n).toBe(1);
  });
});
