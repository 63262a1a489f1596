// session.* through createCaller on a real database: idempotent creation (docs/decisions/0002),
// the status state machine, keyset lists, and soft delete, restore and purge.
import { randomUUID } from "node:crypto";
import { SESSION_TRANSITIONS, type TSessionStatus, ZSessionStatusSchema } from "@lockstep/contracts";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, errorOf, type TestPerson } from "../../test/testing/callers.ts";

let db: TestDatabase;
let alice: TestPerson;
let bob: TestPerson;
let characterId: string;
let templateId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createPerson(db);
  bob = await createPerson(db);
  const character = await db.pool.query<{ id: string }>(
    `INSERT INTO characters (slug, name, description, system_prompt, updated_at) VALUES ('maya', 'Maya', 'A coach', 'Be kind', now()) RETURNING id`,
  );
  characterId = character.rows[0]?.id as string;
  const template = await db.pool.query<{ id: string }>(
    `INSERT INTO episode_templates (character_id, slug, title, situation, updated_at) VALUES ($1, 'first', 'First', 'A first chat', now()) RETURNING id`,
    [characterId],
  );
  templateId = template.rows[0]?.id as string;
});
afterAll(async () => {
  await db.close();
});

async function countSessions(id: string): Promise<number> {
  const result = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions WHERE id = $1", [id]);
  return result.rows[0]?.n ?? -1;
}

async function rawSession(id: string) {
  return (await db.pool.query("SELECT * FROM sessions WHERE id = $1", [id])).rows[0] as
    Record<string, unknown> | undefined;
}

describe("session.create (seed 002)", () => {
  it("creates with a server-made id", async () => {
    const session = await alice.caller.session.create({ type: "text", name: "Auto" });
    expect(session.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(session).toMatchObject({
      type: "text",
      status: "pending_user_input",
      name: "Auto",
      isActive: true,
      isPinned: false,
    });
    expect(typeof session.createdAt).toBe("number");
    expect(session.lastActivity).toBe(session.createdAt);
  });

  it("creates with a client id, and re-creating it returns the same row without error", async () => {
    const id = randomUUID();
    const first = await alice.caller.session.create({ id, type: "screenshot", name: "Mine" });
    const again = await alice.caller.session.create({ id, type: "screenshot", name: "Mine" });
    expect(first.id).toBe(id);
    expect(again).toEqual(first);
    expect(await countSessions(id)).toBe(1);
  });

  it("makes exactly one row when 20 callers create the same id at once", async () => {
    const id = randomUUID();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => alice.caller.session.create({ id, type: "text", name: "Race" })),
    );
    const failures = results.filter((result) => result.status === "rejected");
    expect(failures).toEqual([]);
    const ids = new Set(results.map((result) => (result.status === "fulfilled" ? result.value.id : null)));
    expect(ids).toEqual(new Set([id]));
    expect(await countSessions(id)).toBe(1);
  });

  it("refuses the same id with a different payload, changing nothing", async () => {
    const id = randomUUID();
    await alice.caller.session.create({ id, type: "text", name: "Original" });
    const before = await rawSession(id);
    const error = await errorOf(alice.caller.session.create({ id, type: "text", name: "Changed" }));
    expect(error.code).toBe("CONFLICT");
    expect(await rawSession(id)).toEqual(before);
  });

  it("gives another person's id the same generic CONFLICT and reveals nothing", async () => {
    const id = randomUUID();
    await alice.caller.session.create({ id, type: "text", name: "Alice's" });
    const before = await rawSession(id);
    const sameId = await errorOf(bob.caller.session.create({ id, type: "text", name: "Alice's" }));
    const ownClash = randomUUID();
    await bob.caller.session.create({ id: ownClash, type: "text", name: "x" });
    const ownError = await errorOf(bob.caller.session.create({ id: ownClash, type: "text", name: "y" }));
    expect(sameId.code).toBe("CONFLICT");
    expect(sameId.message).toBe(ownError.message);
    expect(await rawSession(id)).toEqual(before);
    const engagements = await db.pool.query("SELECT count(*)::int AS n FROM engagements WHERE user_id = $1", [bob.id]);
    expect(engagements.rows[0]).toEqual({ n: 0 });
  });

  it("links a character session to the person's engagement, and refuses an unknown character naming the field", async () => {
    const session = await alice.caller.session.create({ type: "text", characterId, episodeTemplateId: templateId });
    expect(session.characterId).toBe(characterId);
    expect(session.engagementId).not.toBeNull();
    const fromTemplateOnly = await alice.caller.session.create({ type: "text", episodeTemplateId: templateId });
    expect(fromTemplateOnly.characterId).toBe(characterId);
    expect(fromTemplateOnly.engagementId).toBe(session.engagementId);

    const error = await errorOf(alice.caller.session.create({ type: "text", characterId: randomUUID() }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("characterId");
  });

  it("refuses bad input with BAD_REQUEST naming the field", async () => {
    const error = await errorOf(alice.caller.session.create({ id: "not-a-uuid", type: "text" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("id");
    // @ts-expect-error a status value is not a session type
    const badType = await errorOf(alice.caller.session.create({ type: "pending_user_input" }));
    expect(badType.code).toBe("BAD_REQUEST");
  });
});

describe("session.transition", () => {
  const statuses = ZSessionStatusSchema.options;
  const pairs = statuses.flatMap((from) => statuses.map((to) => [from, to] as const));

  it.each(pairs)("%s -> %s follows the contract's table", async (from: TSessionStatus, to: TSessionStatus) => {
    const session = await alice.caller.session.create({ type: "screenshot" });
    await db.pool.query(`UPDATE sessions SET status = upper($2)::"SessionStatus" WHERE id = $1`, [session.id, from]);
    const legal = SESSION_TRANSITIONS[from].includes(to);
    if (legal) {
      const moved = await alice.caller.session.transition({ id: session.id, to });
      expect(moved.status).toBe(to);
      if (to === "complete") expect(moved.lastActivity).toBeGreaterThanOrEqual(session.lastActivity);
    } else {
      const before = await rawSession(session.id);
      const error = await errorOf(alice.caller.session.transition({ id: session.id, to }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain(from);
      expect(error.message).toContain(to);
      expect(await rawSession(session.id)).toEqual(before);
    }
  });

  it("answers NOT_FOUND for someone else's session", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    const error = await errorOf(bob.caller.session.transition({ id: session.id, to: "complete" }));
    expect(error.code).toBe("NOT_FOUND");
    expect((await rawSession(session.id))?.status).toBe("PENDING_USER_INPUT");
  });
});

describe("session.list", () => {
  let carol: TestPerson;
  const made: { id: string; pinned: boolean; status: string; type: string }[] = [];

  beforeAll(async () => {
    carol = await createPerson(db);
    for (let index = 0; index < 45; index++) {
      const type = index % 3 === 0 ? "screenshot" : "text";
      const session = await carol.caller.session.create({ type, name: `Chat ${index}` });
      const pinned = index % 7 === 0;
      const status = index % 5 === 0 ? "COMPLETE" : "PENDING_USER_INPUT";
      // Distinct, known activity times (and two equal ones, to exercise the id tie-breaker).
      const minutes = index === 44 ? 43 : index;
      await db.pool.query(
        `UPDATE sessions SET last_activity = now() - make_interval(mins => $2), is_pinned = $3, status = $4::"SessionStatus" WHERE id = $1`,
        [session.id, 100 - minutes, pinned, status],
      );
      made.push({ id: session.id, pinned, status: status.toLowerCase(), type });
    }
  });

  async function walk(input: Omit<Parameters<TestPerson["caller"]["session"]["list"]>[0], "cursor">) {
    const seen: Awaited<ReturnType<TestPerson["caller"]["session"]["list"]>>["items"] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const page = await carol.caller.session.list({ ...input, cursor });
      seen.push(...page.items);
      if (!page.nextCursor) return seen;
      cursor = page.nextCursor;
    }
    throw new Error("pagination did not end");
  }

  it("walks every session once, most recent activity first, in pages", async () => {
    const seen = await walk({ limit: 7 });
    expect(seen).toHaveLength(45);
    expect(new Set(seen.map((s) => s.id)).size).toBe(45);
    for (let index = 1; index < seen.length; index++) {
      const previous = seen[index - 1];
      const current = seen[index];
      if (!previous || !current) throw new Error("missing row");
      expect(previous.lastActivity).toBeGreaterThanOrEqual(current.lastActivity);
    }
  });

  it("puts pinned sessions first when asked, and filters by pinned, status and type", async () => {
    const pinnedFirst = await walk({ limit: 4, pinnedFirst: true });
    const pinnedCount = made.filter((s) => s.pinned).length;
    expect(pinnedFirst.slice(0, pinnedCount).every((s) => s.isPinned)).toBe(true);
    expect(pinnedFirst.slice(pinnedCount).some((s) => s.isPinned)).toBe(false);
    expect(pinnedFirst).toHaveLength(45);

    expect((await walk({ limit: 10, pinned: true })).map((s) => s.id).sort()).toEqual(
      made
        .filter((s) => s.pinned)
        .map((s) => s.id)
        .sort(),
    );
    expect((await walk({ limit: 10, status: "complete" })).length).toBe(
      made.filter((s) => s.status === "complete").length,
    );
    expect((await walk({ limit: 10, type: "screenshot" })).length).toBe(
      made.filter((s) => s.type === "screenshot").length,
    );
    expect((await walk({ limit: 10, query: "chat 4" })).map((s) => s.name).sort()).toEqual(
      ["Chat 4", "Chat 40", "Chat 41", "Chat 42", "Chat 43", "Chat 44"].sort(),
    );
  });

  it("orders by creation time when asked", async () => {
    const seen = await walk({ limit: 9, orderBy: "created_at" });
    expect(seen).toHaveLength(45);
    const created = seen.map((s) => s.createdAt);
    expect([...created].sort((a, b) => b - a)).toEqual(created);
  });

  it("shows nobody else's sessions and refuses a forged cursor", async () => {
    const aliceList = await walk({ limit: 100 }).catch(() => []);
    expect(aliceList.every((s) => made.some((m) => m.id === s.id))).toBe(true);
    const error = await errorOf(carol.caller.session.list({ cursor: "bm90LWEtY3Vyc29y" }));
    expect(error.code).toBe("BAD_REQUEST");
  });
});

describe("soft delete, restore and purge", () => {
  it("hides a deleted session from lists and message queries, restores it, and purge cascades", async () => {
    const dave = await createPerson(db);
    const session = await dave.caller.session.create({ type: "text", name: "Doomed" });
    const message = await dave.caller.message.send({ sessionId: session.id, text: "hello" });
    await dave.caller.message.react({ messageId: message.id, type: "liked", on: true });

    const deleted = await dave.caller.session.delete({ id: session.id });
    expect(deleted.deletedAt).not.toBeNull();
    expect(deleted.isActive).toBe(false);
    expect((await dave.caller.session.list({})).items.map((s) => s.id)).not.toContain(session.id);
    expect((await dave.caller.session.list({ trash: true })).items.map((s) => s.id)).toEqual([session.id]);
    expect((await errorOf(dave.caller.message.list({ sessionId: session.id }))).code).toBe("NOT_FOUND");
    expect((await errorOf(dave.caller.message.send({ sessionId: session.id, text: "more" }))).code).toBe("NOT_FOUND");

    const restored = await dave.caller.session.restore({ id: session.id });
    expect(restored).toMatchObject({ deletedAt: null, isActive: true });
    expect((await dave.caller.message.list({ sessionId: session.id })).items.map((m) => m.id)).toEqual([message.id]);

    expect((await errorOf(dave.caller.session.purge({ id: session.id }))).code).toBe("NOT_FOUND");
    await dave.caller.session.delete({ id: session.id });
    expect(await dave.caller.session.purge({ id: session.id })).toEqual({ id: session.id, purged: true });
    const left = await db.pool.query(
      `SELECT (SELECT count(*) FROM sessions WHERE id = $1)::int AS sessions,
              (SELECT count(*) FROM messages WHERE session_id = $1)::int AS messages,
              (SELECT count(*) FROM user_message_interactions WHERE message_id = $2)::int AS reactions`,
      [session.id, message.id],
    );
    expect(left.rows[0]).toEqual({ sessions: 0, messages: 0, reactions: 0 });
  });

  it("does not let another person delete, restore or purge", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    expect((await errorOf(bob.caller.session.delete({ id: session.id }))).code).toBe("NOT_FOUND");
    await alice.caller.session.delete({ id: session.id });
    expect((await errorOf(bob.caller.session.restore({ id: session.id }))).code).toBe("NOT_FOUND");
    expect((await errorOf(bob.caller.session.purge({ id: session.id }))).code).toBe("NOT_FOUND");
    expect(await countSessions(session.id)).toBe(1);
  });
});

describe("rename and pin", () => {
  it("renames, clears a name, and pins", async () => {
    const session = await alice.caller.session.create({ type: "text", name: "  Old  " });
    expect(session.name).toBe("Old");
    expect((await alice.caller.session.rename({ id: session.id, name: "New" })).name).toBe("New");
    expect((await alice.caller.session.rename({ id: session.id, name: null })).name).toBeNull();
    const pinned = await alice.caller.session.setPinned({ id: session.id, pinned: true });
    expect(pinned.isPinned).toBe(true);
    expect((await errorOf(alice.caller.session.rename({ id: session.id, name: "   " }))).code).toBe("BAD_REQUEST");
  });
});
