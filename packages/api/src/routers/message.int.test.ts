// message.* and collection.* through createCaller on a real database: idempotent sends, history
// pages in both directions, edits, reactions with their computed flags, and collections.
import { randomUUID } from "node:crypto";
import { MESSAGE_TEXT_MAX } from "@lockstep/contracts";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, errorOf, type TestPerson } from "../../test/testing/callers.ts";

let db: TestDatabase;
let alice: TestPerson;
let bob: TestPerson;

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createPerson(db);
  bob = await createPerson(db);
});
afterAll(async () => {
  await db.close();
});

async function lastActivity(sessionId: string): Promise<number> {
  const result = await db.pool.query<{ t: Date }>("SELECT last_activity AS t FROM sessions WHERE id = $1", [sessionId]);
  return result.rows[0]?.t.getTime() ?? -1;
}

async function ageSession(sessionId: string): Promise<void> {
  await db.pool.query("UPDATE sessions SET last_activity = now() - interval '1 hour' WHERE id = $1", [sessionId]);
}

/** An AI message, which only the server writes; inserted as the owner. */
async function insertAiMessage(sessionId: string, userId: string, text: string): Promise<string> {
  const result = await db.pool.query<{ id: string }>(
    `INSERT INTO messages (session_id, user_id, text, author, title, tag, analysis, updated_at)
     VALUES ($1, $2, $3, 'AI', 'A title', 'Confidence', 'Why this works', now()) RETURNING id`,
    [sessionId, userId, text],
  );
  return result.rows[0]?.id as string;
}

describe("message.send", () => {
  it("trims, stores and returns the message, and counts as session activity", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    await ageSession(session.id);
    const before = await lastActivity(session.id);
    const message = await alice.caller.message.send({ sessionId: session.id, text: "  hi there  ", author: "contact" });
    expect(message).toMatchObject({
      sessionId: session.id,
      text: "hi there",
      author: "contact",
      isLiked: false,
      usedCount: 0,
    });
    expect(await lastActivity(session.id)).toBeGreaterThan(before);
  });

  it("is idempotent on the client id: a retry never makes a second message", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    const id = randomUUID();
    const sends = await Promise.all(
      Array.from({ length: 10 }, () => alice.caller.message.send({ sessionId: session.id, id, text: "once" })),
    );
    expect(new Set(sends.map((m) => m.id))).toEqual(new Set([id]));
    const count = await db.pool.query("SELECT count(*)::int AS n FROM messages WHERE session_id = $1", [session.id]);
    expect(count.rows[0]).toEqual({ n: 1 });
    expect((await errorOf(alice.caller.message.send({ sessionId: session.id, id, text: "different" }))).code).toBe(
      "CONFLICT",
    );
    expect((await errorOf(bob.caller.message.send({ sessionId: session.id, text: "intrusion" }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("refuses empty, too long and ai-authored text with BAD_REQUEST naming the field", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    const empty = await errorOf(alice.caller.message.send({ sessionId: session.id, text: "   " }));
    expect(empty.code).toBe("BAD_REQUEST");
    expect(empty.message).toContain("text");
    const long = await errorOf(
      alice.caller.message.send({ sessionId: session.id, text: "x".repeat(MESSAGE_TEXT_MAX + 1) }),
    );
    expect(long.code).toBe("BAD_REQUEST");
    // @ts-expect-error only the server writes ai messages
    const ai = await errorOf(alice.caller.message.send({ sessionId: session.id, text: "pretend", author: "ai" }));
    expect(ai.code).toBe("BAD_REQUEST");
    expect(ai.message).toContain("author");
  });
});

describe("message.list", () => {
  it("pages back from the newest and forward from the oldest, always in chronological order", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    const ids: string[] = [];
    for (let index = 0; index < 25; index++) {
      const message = await alice.caller.message.send({ sessionId: session.id, text: `m${index}` });
      ids.push(message.id);
      // Spread the timestamps so order is by time, with the id as tie-breaker for the equal pair.
      await db.pool.query(`UPDATE messages SET "timestamp" = now() - make_interval(secs => $2) WHERE id = $1`, [
        message.id,
        index === 24 ? 1 : 100 - index,
      ]);
    }
    const older: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof alice.caller.message.list>> = await alice.caller.message.list({
        sessionId: session.id,
        limit: 10,
        cursor,
        direction: "older",
      });
      older.push(page.items.map((m) => m.text));
      const times = page.items.map((m) => m.timestamp);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      cursor = page.nextCursor;
    } while (cursor);
    expect(older.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(older.reverse().flat()).toEqual(Array.from({ length: 25 }, (_, index) => `m${index}`));

    const newer: string[] = [];
    cursor = null;
    do {
      const page: Awaited<ReturnType<typeof alice.caller.message.list>> = await alice.caller.message.list({
        sessionId: session.id,
        limit: 7,
        cursor,
        direction: "newer",
      });
      newer.push(...page.items.map((m) => m.text));
      cursor = page.nextCursor;
    } while (cursor);
    expect(newer).toEqual(Array.from({ length: 25 }, (_, index) => `m${index}`));
  });

  it("keeps paging older history correctly while new messages arrive", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    for (let index = 0; index < 6; index++)
      await alice.caller.message.send({ sessionId: session.id, text: `old${index}` });
    const first = await alice.caller.message.list({ sessionId: session.id, limit: 3 });
    await alice.caller.message.send({ sessionId: session.id, text: "new arrival" });
    const second = await alice.caller.message.list({ sessionId: session.id, limit: 3, cursor: first.nextCursor });
    expect(second.items.map((m) => m.text)).toEqual(["old0", "old1", "old2"]);
  });

  it("answers NOT_FOUND for another person's session", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    await alice.caller.message.send({ sessionId: session.id, text: "private" });
    expect((await errorOf(bob.caller.message.list({ sessionId: session.id }))).code).toBe("NOT_FOUND");
  });
});

describe("message.update and message.delete", () => {
  it("edits and deletes typed messages, never AI ones", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    const typed = await alice.caller.message.send({ sessionId: session.id, text: "typo hre", author: "contact" });
    const fixed = await alice.caller.message.update({ id: typed.id, text: "typo here", author: "user" });
    expect(fixed).toMatchObject({ text: "typo here", author: "user" });

    const aiId = await insertAiMessage(session.id, alice.id, "a suggestion");
    expect((await errorOf(alice.caller.message.update({ id: aiId, text: "rewritten" }))).code).toBe("FORBIDDEN");
    expect((await errorOf(alice.caller.message.delete({ id: aiId }))).code).toBe("FORBIDDEN");
    expect((await errorOf(bob.caller.message.update({ id: typed.id, text: "mine now" }))).code).toBe("NOT_FOUND");
    expect((await errorOf(bob.caller.message.delete({ id: typed.id }))).code).toBe("NOT_FOUND");

    expect(await alice.caller.message.delete({ id: typed.id })).toEqual({ id: typed.id, deleted: true });
    expect((await alice.caller.message.list({ sessionId: session.id })).items.map((m) => m.id)).toEqual([aiId]);
  });

  it("waits while the coach is replying in the session, changing nothing", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    const earlier = await alice.caller.message.send({ sessionId: session.id, text: "earlier line", author: "contact" });
    const asked = await alice.caller.message.send({ sessionId: session.id, text: "what do I say?" });
    // The reply to the last message is being written (as a send that asked for one leaves it).
    await db.pool.query("UPDATE messages SET reply_status = 'PENDING' WHERE id = $1", [asked.id]);

    for (const id of [earlier.id, asked.id]) {
      const edit = await errorOf(alice.caller.message.update({ id, text: "changed" }));
      expect(edit).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/still replying.*try again/) });
      const removal = await errorOf(alice.caller.message.delete({ id }));
      expect(removal).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/still replying/) });
    }
    const texts = (await alice.caller.message.list({ sessionId: session.id })).items.map((m) => m.text);
    expect(texts).toEqual(["earlier line", "what do I say?"]);
    // Someone else still learns nothing about the message.
    expect((await errorOf(bob.caller.message.delete({ id: earlier.id }))).code).toBe("NOT_FOUND");

    // Once the reply is in, both work again.
    await db.pool.query("UPDATE messages SET reply_status = NULL WHERE id = $1", [asked.id]);
    expect(await alice.caller.message.update({ id: earlier.id, text: "changed" })).toMatchObject({ text: "changed" });
    expect(await alice.caller.message.delete({ id: asked.id })).toEqual({ id: asked.id, deleted: true });
  });
});

describe("message.react", () => {
  it("computes the reaction flags, makes like and dislike exclusive, counts a copy once, and bumps activity", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    const aiId = await insertAiMessage(session.id, alice.id, "try this line");
    await ageSession(session.id);
    const before = await lastActivity(session.id);

    expect(await alice.caller.message.react({ messageId: aiId, type: "liked" })).toMatchObject({
      isLiked: true,
      isDisliked: false,
    });
    expect(await lastActivity(session.id)).toBeGreaterThan(before);
    expect(await alice.caller.message.react({ messageId: aiId, type: "disliked" })).toMatchObject({
      isLiked: false,
      isDisliked: true,
    });
    expect(await alice.caller.message.react({ messageId: aiId, type: "disliked" })).toMatchObject({ isDisliked: true });
    expect(await alice.caller.message.react({ messageId: aiId, type: "disliked", on: false })).toMatchObject({
      isDisliked: false,
    });
    expect(await alice.caller.message.react({ messageId: aiId, type: "pinned" })).toMatchObject({ isPinned: true });
    await alice.caller.message.react({ messageId: aiId, type: "copied_to_clipboard" });
    const copied = await alice.caller.message.react({ messageId: aiId, type: "copied_to_clipboard" });
    expect(copied.usedCount).toBe(1);
    expect(
      (await alice.caller.message.react({ messageId: aiId, type: "copied_to_clipboard", on: false })).usedCount,
    ).toBe(1);

    const listed = (await alice.caller.message.list({ sessionId: session.id })).items.find((m) => m.id === aiId);
    expect(listed).toMatchObject({
      isLiked: false,
      isDisliked: false,
      isPinned: true,
      usedCount: 1,
      title: "A title",
      tag: "Confidence",
    });
    const rows = await db.pool.query(
      "SELECT type::text FROM user_message_interactions WHERE message_id = $1 ORDER BY type",
      [aiId],
    );
    expect(rows.rows.map((row) => row.type)).toEqual(["PINNED", "COPIED_TO_CLIPBOARD"].sort());

    expect((await errorOf(bob.caller.message.react({ messageId: aiId, type: "liked" }))).code).toBe("NOT_FOUND");
  });
});

describe("collection.*", () => {
  it("creates, renames, lists, collects a message into several collections, pages them, and deletes", async () => {
    const session = await alice.caller.session.create({ type: "text" });
    const first = await insertAiMessage(session.id, alice.id, "first suggestion");
    const second = await insertAiMessage(session.id, alice.id, "second suggestion");
    const favourites = await alice.caller.collection.create({ name: "Favourites" });
    const openers = await alice.caller.collection.create({ name: "Openers" });
    expect((await errorOf(alice.caller.collection.create({ name: "Favourites" }))).code).toBe("CONFLICT");
    expect((await errorOf(alice.caller.collection.rename({ id: openers.id, name: "Favourites" }))).code).toBe(
      "CONFLICT",
    );
    expect((await alice.caller.collection.rename({ id: openers.id, name: "Great openers" })).name).toBe(
      "Great openers",
    );

    await alice.caller.collection.addMessage({ collectionId: favourites.id, messageId: first });
    await alice.caller.collection.addMessage({ collectionId: favourites.id, messageId: first });
    await alice.caller.collection.addMessage({ collectionId: favourites.id, messageId: second });
    const inBoth = await alice.caller.collection.addMessage({ collectionId: openers.id, messageId: first });
    expect(inBoth.collectionIds.sort()).toEqual([favourites.id, openers.id].sort());

    const lists = await alice.caller.collection.list();
    expect(lists.map((c) => [c.name, c.messageCount])).toEqual([
      ["Favourites", 2],
      ["Great openers", 1],
    ]);
    const page1 = await alice.caller.collection.messages({ collectionId: favourites.id, limit: 1 });
    const page2 = await alice.caller.collection.messages({
      collectionId: favourites.id,
      limit: 1,
      cursor: page1.nextCursor,
    });
    expect([...page1.items, ...page2.items].map((m) => m.id).sort()).toEqual([first, second].sort());
    expect(page2.nextCursor).toBeNull();

    const removed = await alice.caller.collection.removeMessage({ collectionId: openers.id, messageId: first });
    expect(removed.collectionIds).toEqual([favourites.id]);

    expect(
      (await errorOf(bob.caller.collection.addMessage({ collectionId: favourites.id, messageId: first }))).code,
    ).toBe("NOT_FOUND");
    const bobs = await bob.caller.collection.create({ name: "Bob's" });
    expect((await errorOf(bob.caller.collection.addMessage({ collectionId: bobs.id, messageId: first }))).code).toBe(
      "NOT_FOUND",
    );

    await alice.caller.collection.delete({ id: favourites.id });
    const holding = await db.pool.query(
      "SELECT count(*)::int AS n FROM messages WHERE $1::uuid = ANY(collection_ids)",
      [favourites.id],
    );
    expect(holding.rows[0]).toEqual({ n: 0 });
    expect((await alice.caller.collection.list()).map((c) => c.name)).toEqual(["Great openers"]);
  });
});
