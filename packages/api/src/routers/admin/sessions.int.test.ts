// admin.sessions.* through createCaller against a real database: any user's sessions (soft-deleted too) in keyset pages with filters, one session and its messages read-only, restore and purge audited with before and after, and who may call any of it.
import { randomUUID } from "node:crypto";
import type { TAdminSession } from "@lockstep/contracts";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, callerFor, insertUser, type TestUser } from "../../../test/testing/callers.ts";
import { auditRows } from "../../../test/fixtures.ts";

let db: TestDatabase;
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;
/** Alice's 7 sessions (every third soft-deleted, two SCREENSHOT), then Bob's 3; created a minute apart, pairs sharing a created_at. */
const aliceSessions: string[] = [];
const bobSessions: string[] = [];
const BASE = Date.parse("2026-04-01T00:00:00.000Z");

async function insertSession(
  userId: string,
  options: { name: string; at: number; deleted?: boolean; type?: string; status?: string },
): Promise<string> {
  const id = randomUUID();
  await db.pool.query(
    `INSERT INTO sessions (id, user_id, type, status, name, created_at, updated_at, last_activity, deleted_at, is_active)
     VALUES ($1, $2, $3::"SessionType", $4::"SessionStatus", $5, $6, now(), $6, $7, $8)`,
    [
      id,
      userId,
      options.type ?? "TEXT",
      options.status ?? "PENDING_USER_INPUT",
      options.name,
      new Date(options.at),
      options.deleted ? new Date(options.at + 1000) : null,
      !options.deleted,
    ],
  );
  return id;
}

async function insertMessages(sessionId: string, userId: string, texts: string[]): Promise<void> {
  for (const [index, text] of texts.entries()) {
    await db.pool.query(
      `INSERT INTO messages (session_id, user_id, text, author, "timestamp", updated_at) VALUES ($1, $2, $3, 'USER', $4, now())`,
      [sessionId, userId, text, new Date(BASE + Math.floor(index / 2) * 1000)],
    );
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await insertUser(db, { name: "Session Operator", role: "admin" });
  alice = await insertUser(db, { name: "Alice" });
  bob = await insertUser(db, { name: "Bob" });
  for (let i = 0; i < 7; i++) {
    aliceSessions.push(
      await insertSession(alice.id, {
        name: `Alice chat ${i}`,
        at: BASE + Math.floor(i / 2) * 60_000,
        deleted: i % 3 === 0,
        type: i < 2 ? "SCREENSHOT" : "TEXT",
      }),
    );
  }
  for (let i = 0; i < 3; i++)
    bobSessions.push(
      await insertSession(bob.id, { name: `Bob talk ${i}`, at: BASE + 10 * 60_000 + i, status: "COMPLETE" }),
    );
  await insertMessages(aliceSessions[0]!, alice.id, ["one", "two", "three", "four", "five"]);
});
afterAll(async () => {
  await db?.close();
});

async function allPages(
  input: Parameters<ReturnType<typeof callerFor>["admin"]["sessions"]["list"]>[0],
): Promise<TAdminSession[][]> {
  const caller = callerFor(db, admin);
  const pages: TAdminSession[][] = [];
  let cursor: string | null = null;
  do {
    const page = await caller.admin.sessions.list({ ...input, cursor });
    pages.push(page.items);
    cursor = page.nextCursor;
    if (pages.length > 50) throw new Error("pagination does not end");
  } while (cursor);
  return pages;
}

describe("admin.sessions.list", () => {
  it("lists everyone's live sessions newest first, in pages without gaps or repeats across tied times", async () => {
    const items = (await allPages({ limit: 2 })).flat();
    const live = [...aliceSessions.filter((_, i) => i % 3 !== 0), ...bobSessions];
    expect(items.map((s) => s.id).sort()).toEqual([...live].sort());
    for (let k = 1; k < items.length; k++) {
      const [a, b] = [items[k - 1]!, items[k]!];
      expect(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)).toBe(true);
    }
    expect(items[0]).toMatchObject({ userId: bob.id, userEmail: bob.email, deletedAt: null, status: "complete" });
  });

  it("includes soft-deleted sessions on request, and filters by user, name, status and type", async () => {
    const withDeleted = (await allPages({ userId: alice.id, includeDeleted: true, limit: 3 })).flat();
    expect(withDeleted.map((s) => s.id).sort()).toEqual([...aliceSessions].sort());
    expect(withDeleted.filter((s) => s.deletedAt !== null)).toHaveLength(3);
    const named = (await allPages({ query: "TALK 1", limit: 10 })).flat();
    expect(named.map((s) => s.id)).toEqual([bobSessions[1]]);
    expect((await allPages({ status: "complete", limit: 10 })).flat()).toHaveLength(3);
    const shots = (await allPages({ type: "screenshot", includeDeleted: true, limit: 10 })).flat();
    expect(shots.map((s) => s.id).sort()).toEqual([aliceSessions[0], aliceSessions[1]].sort());
    expect(await auditRows(db, { action: "admin.sessions.list", actorId: admin.id })).not.toHaveLength(0);
  });

  it("refuses a cursor it did not make", async () => {
    expect((await errorOf(callerFor(db, admin).admin.sessions.list({ cursor: "bm9wZQ", limit: 2 }))).code).toBe(
      "BAD_REQUEST",
    );
  });
});

describe("admin.sessions.get and messages", () => {
  it("reads a soft-deleted session and its messages oldest first, in pages", async () => {
    const caller = callerFor(db, admin);
    const session = await caller.admin.sessions.get({ id: aliceSessions[0]! });
    expect(session).toMatchObject({ id: aliceSessions[0], userId: alice.id, messageCount: 5, type: "screenshot" });
    expect(session.deletedAt).not.toBeNull();
    const texts: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await caller.admin.sessions.messages({ id: aliceSessions[0]!, limit: 2, cursor });
      texts.push(...page.items.map((m) => m.text));
      cursor = page.nextCursor;
    } while (cursor && texts.length < 20);
    // Pairs share a timestamp; within a pair the order is by id, so compare as sets per second.
    expect(texts).toHaveLength(5);
    expect(new Set(texts.slice(0, 2))).toEqual(new Set(["one", "two"]));
    expect(texts[4]).toBe("five");
    expect(await auditRows(db, { action: "admin.sessions.messages", entityId: aliceSessions[0] })).not.toHaveLength(0);
  });

  it("is NOT_FOUND for an unknown session, audited all the same", async () => {
    const id = randomUUID();
    expect((await errorOf(callerFor(db, admin).admin.sessions.get({ id }))).code).toBe("NOT_FOUND");
    expect((await errorOf(callerFor(db, admin).admin.sessions.messages({ id, limit: 5 }))).code).toBe("NOT_FOUND");
    expect(await auditRows(db, { action: "admin.sessions.get", entityId: id })).toHaveLength(1);
  });
});

describe("admin.sessions.restore", () => {
  it("brings a soft-deleted session back, auditing before and after; restoring a live one changes nothing", async () => {
    const id = aliceSessions[3]!;
    const restored = await callerFor(db, admin).admin.sessions.restore({ id });
    expect(restored).toMatchObject({ id, deletedAt: null, isActive: true });
    const [audit] = await auditRows(db, { action: "admin.sessions.restore", entityId: id });
    expect(audit).toMatchObject({ actor_id: admin.id, entity_type: "session" });
    expect((audit!.before as { deletedAt: number | null }).deletedAt).not.toBeNull();
    expect(audit!.after).toMatchObject({ id, deletedAt: null });
    // The owner sees it again in their own list.
    const own = await callerFor(db, alice).session.list({ limit: 50 });
    expect(own.items.map((s) => s.id)).toContain(id);

    const again = await callerFor(db, admin).admin.sessions.restore({ id });
    expect(again.updatedAt).toBe(restored.updatedAt);
    const rows = await auditRows(db, { action: "admin.sessions.restore", entityId: id });
    expect(rows).toHaveLength(2);
    expect(rows[1]!.before).toEqual(rows[1]!.after);
  });
});

describe("admin.sessions.purge", () => {
  it("deletes a session and its messages for good, auditing the session as it was", async () => {
    const id = await insertSession(bob.id, { name: "To purge", at: BASE });
    await insertMessages(id, bob.id, ["a", "b", "c"]);
    const result = await callerFor(db, admin).admin.sessions.purge({ id });
    expect(result).toEqual({ id, messagesDeleted: 3 });
    const left = await db.pool.query(
      `SELECT (SELECT count(*) FROM sessions WHERE id = $1)::int AS s, (SELECT count(*) FROM messages WHERE session_id = $1)::int AS m`,
      [id],
    );
    expect(left.rows[0]).toEqual({ s: 0, m: 0 });
    const [audit] = await auditRows(db, { action: "admin.sessions.purge", entityId: id });
    expect(audit).toMatchObject({
      actor_id: admin.id,
      after: null,
      before: { id, name: "To purge", messageCount: 3, userId: bob.id },
    });
    expect((await errorOf(callerFor(db, admin).admin.sessions.purge({ id }))).code).toBe("NOT_FOUND");
  });
});

describe("who may call admin.sessions.*", () => {
  it("is FORBIDDEN for a plain user, who changes nothing and leaves no audit row", async () => {
    const caller = callerFor(db, bob);
    const target = aliceSessions[6]!;
    expect((await errorOf(caller.admin.sessions.list({ limit: 5 }))).code).toBe("FORBIDDEN");
    expect((await errorOf(caller.admin.sessions.get({ id: target }))).code).toBe("FORBIDDEN");
    expect((await errorOf(caller.admin.sessions.messages({ id: target, limit: 5 }))).code).toBe("FORBIDDEN");
    expect((await errorOf(caller.admin.sessions.restore({ id: target }))).code).toBe("FORBIDDEN");
    expect((await errorOf(caller.admin.sessions.purge({ id: target }))).code).toBe("FORBIDDEN");
    expect((await errorOf(callerFor(db, null).admin.sessions.purge({ id: target }))).code).toBe("UNAUTHORIZED");
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM sessions WHERE id = $1`, [target])).rows[0].n).toBe(1);
    expect(await auditRows(db, { actorId: bob.id })).toEqual([]);
  });
});
