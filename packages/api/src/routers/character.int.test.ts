// character.* on a real database: the public catalogue (active characters and templates only, no
// system prompts, run as lockstep_app) and a person's history with a character (docs/decisions/0003).
import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, errorOf, type TestPerson } from "../../test/testing/callers.ts";
import { callerWithAi, insertCharacter, type TestCharacter } from "../../test/testing/characters.ts";

let db: TestDatabase;
let alice: TestPerson;
let bob: TestPerson;
let anonymous: ReturnType<typeof callerWithAi>;
let maya: TestCharacter;
let hidden: TestCharacter;

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createPerson(db);
  bob = await createPerson(db);
  anonymous = callerWithAi(db, null, undefined);
  // Sort orders out of insertion order, and an inactive template in the middle.
  maya = await insertCharacter(db, {
    name: "Maya",
    templates: [
      { title: "Third", sortOrder: 30 },
      { title: "First", sortOrder: 10 },
      { title: "Retired", sortOrder: 20, isActive: false },
    ],
  });
  await insertCharacter(db, { name: "Alex" });
  hidden = await insertCharacter(db, { name: "Hidden", isActive: false, templates: [{ title: "Nope" }] });
});
afterAll(async () => {
  await db.close();
});

describe("character.list / character.get (public catalogue)", () => {
  it("lists active characters by name with their active templates in sort order, to anyone", async () => {
    const list = await anonymous.character.list();
    expect(list.map((character) => character.name)).toEqual(["Alex", "Maya"]);
    const listed = list.find((character) => character.id === maya.id)!;
    expect(listed).toMatchObject({
      slug: maya.slug,
      name: "Maya",
      description: "A test coach",
      avatar: "🌷",
      isActive: true,
    });
    expect(listed.templates.map((template) => template.title)).toEqual(["First", "Third"]);
    expect(listed.templates[0]).toEqual({
      id: maya.templates[1]!.id,
      characterId: maya.id,
      slug: maya.templates[1]!.slug,
      title: "First",
      situation: "A situation",
      openingLine: null,
      sortOrder: 10,
      isActive: true,
    });
    // How a persona is built stays on the server.
    expect(JSON.stringify(list)).not.toContain("Secret persona prompt");
    expect(listed).not.toHaveProperty("systemPrompt");
    // Signed-in people get the same catalogue.
    expect(await alice.caller.character.list()).toEqual(list);
  });

  it("gets one active character by slug; an unknown or inactive slug is NOT_FOUND", async () => {
    const character = await anonymous.character.get({ slug: maya.slug });
    expect(character.id).toBe(maya.id);
    expect(character.templates.map((template) => template.title)).toEqual(["First", "Third"]);

    for (const slug of [hidden.slug, "no-such-coach", "UPPER Case"]) {
      const error = await errorOf(anonymous.character.get({ slug }));
      expect(error.code, slug).toBe("NOT_FOUND");
      expect(error.message).toBe("No such character.");
    }
    expect((await errorOf(anonymous.character.get({ slug: "" }))).code).toBe("BAD_REQUEST");
    // Text PostgreSQL cannot store is bad input, not a server error.
    expect((await errorOf(anonymous.character.get({ slug: "maya\u0000" }))).code).toBe("BAD_REQUEST");
    expect((await errorOf(anonymous.character.get({ slug: "maya\ud800" }))).code).toBe("BAD_REQUEST");
  });

  it("reads as lockstep_app: a catalogue the application role may not read fails instead of leaking through the owner", async () => {
    await db.pool.query("REVOKE SELECT ON characters FROM lockstep_app");
    try {
      const error = await errorOf(anonymous.character.list());
      expect(error.code).toBe("INTERNAL_SERVER_ERROR");
      // The database's refusal, not a timeout or anything else.
      expect(String((error.cause as { message?: string } | undefined)?.message)).toMatch(/permission denied/);
    } finally {
      await db.pool.query("GRANT SELECT ON characters TO lockstep_app");
    }
    expect((await anonymous.character.list()).length).toBe(2);
  });
});

describe("character.sessions (seed 001 functional test 4: chat history)", () => {
  it("lists every session with the character, newest first, ended ones included and deleted ones not, page by page", async () => {
    const ids: string[] = [];
    // Four kept sessions (two switches, a free one that ends, another free one) and a fifth deleted.
    for (const templateId of [maya.templates[0]!.id, maya.templates[1]!.id, null]) {
      const started = await alice.caller.session.start({ characterId: maya.id, episodeTemplateId: templateId });
      ids.push(started.session.id);
    }
    await alice.caller.session.end({ id: ids[2]! });
    ids.push((await alice.caller.session.start({ characterId: maya.id })).session.id);
    const deleted = (
      await alice.caller.session.start({ characterId: maya.id, episodeTemplateId: maya.templates[0]!.id })
    ).session.id;
    await alice.caller.session.delete({ id: deleted });
    // A session with another character and one without any are not part of this history.
    await alice.caller.session.create({ type: "text" });

    const seen: { id: string; createdAt: number; endedAt: number | null }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof alice.caller.character.sessions>> = await alice.caller.character.sessions({
        characterId: maya.id,
        limit: 2,
        cursor,
      });
      seen.push(
        ...page.items.map((session) => ({ id: session.id, createdAt: session.createdAt, endedAt: session.endedAt })),
      );
      for (const session of page.items) expect(session.characterId).toBe(maya.id);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);

    expect(pages).toBe(2);
    expect(new Set(seen.map((session) => session.id))).toEqual(new Set(ids));
    expect(seen).toHaveLength(ids.length);
    // Newest first, id breaking ties.
    const sorted = [...seen].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    expect(seen).toEqual(sorted);
    expect(seen.find((session) => session.id === ids[2])!.endedAt).not.toBeNull();
  });

  it("shows nobody else's sessions and refuses strangers and bad cursors", async () => {
    expect(await bob.caller.character.sessions({ characterId: maya.id })).toEqual({ items: [], nextCursor: null });
    expect(await alice.caller.character.sessions({ characterId: randomUUID() })).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await errorOf(anonymous.character.sessions({ characterId: maya.id }))).code).toBe("UNAUTHORIZED");
    expect(
      (await errorOf(alice.caller.character.sessions({ characterId: maya.id, cursor: "bm90LWEtY3Vyc29y" }))).code,
    ).toBe("BAD_REQUEST");
  });
});
