// admin.characters.* and admin.templates.* on a real database: operators create, edit and
// (de)activate characters and templates, every change audited with its before and after; slug
// clashes are conflicts and bad input is a bad request, each naming the field; plain users and
// strangers are refused; and what operators change is what the public catalogue and session.start see.
import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, errorOf, type TestPerson } from "../../../test/testing/callers.ts";
import { appRouter } from "../../root.ts";
import { callerWithAi } from "../../../test/testing/characters.ts";
import { auditRows } from "../../../test/fixtures.ts";

let db: TestDatabase;
let operator: TestPerson;
let person: TestPerson;

beforeAll(async () => {
  db = await createTestDatabase();
  operator = await createPerson(db, { role: "admin", name: "Operator" });
  person = await createPerson(db);
});
afterAll(async () => {
  await db.close();
});

/** A refusal with what names its field: the AppError's details, or the paths of the zod issues. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const trpc = error as {
      code: string;
      message: string;
      cause?: { details?: Record<string, unknown>; issues?: { path: PropertyKey[] }[] };
    };
    const fields = (trpc.cause?.issues ?? []).map((issue) => issue.path.map(String).join("."));
    return { code: trpc.code, message: trpc.message, details: trpc.cause?.details, fields };
  }
  throw new Error("expected the call to fail");
}

const newCharacter = (slug: string) => ({
  slug,
  name: "Jonah",
  description: "A calm coach for hard conversations.",
  avatar: "🌊",
  systemPrompt: "You are Jonah, calm and direct.",
});

describe("admin.characters", () => {
  it("creates a character, audited with no before and the created row after, and it joins the catalogue", async () => {
    const created = await operator.caller.admin.characters.create(newCharacter("jonah"));
    expect(created).toMatchObject({ ...newCharacter("jonah"), isActive: true, templates: [] });
    expect(typeof created.createdAt).toBe("number");

    const audit = await auditRows(db, { action: "admin.characters.create", entityId: created.id });
    expect(audit).toEqual([
      expect.objectContaining({
        actor_id: operator.id,
        entity_type: "character",
        before: null,
        after: created,
        ip_address: "127.0.0.1",
      }),
    ]);
    expect((await person.caller.character.get({ slug: "jonah" })).id).toBe(created.id);
  });

  it("updates only the fields given, audited with before and after", async () => {
    const created = await operator.caller.admin.characters.create(newCharacter("jonah-two"));
    const updated = await operator.caller.admin.characters.update({ id: created.id, name: "Jonah B.", avatar: null });
    expect(updated).toMatchObject({
      slug: "jonah-two",
      name: "Jonah B.",
      avatar: null,
      systemPrompt: created.systemPrompt,
    });
    expect(updated.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);
    const [audit] = await auditRows(db, { action: "admin.characters.update", entityId: created.id });
    expect(audit).toMatchObject({ actor_id: operator.id, before: created, after: updated });
  });

  it("deactivates and reactivates: an inactive character leaves the catalogue and cannot be started, but its history stays", async () => {
    const created = await operator.caller.admin.characters.create(newCharacter("jonah-three"));
    const started = await person.caller.session.start({ characterId: created.id });

    const off = await operator.caller.admin.characters.setActive({ id: created.id, isActive: false });
    expect(off.isActive).toBe(false);
    expect((await person.caller.character.list()).some((character) => character.id === created.id)).toBe(false);
    expect((await errorOf(person.caller.character.get({ slug: "jonah-three" }))).code).toBe("NOT_FOUND");
    expect((await errorOf(person.caller.session.start({ characterId: created.id }))).code).toBe("NOT_FOUND");
    expect(
      (await person.caller.character.sessions({ characterId: created.id })).items.map((session) => session.id),
    ).toEqual([started.session.id]);
    // The operators' list still has it.
    expect(
      (await operator.caller.admin.characters.list()).find((character) => character.id === created.id)?.isActive,
    ).toBe(false);

    await operator.caller.admin.characters.setActive({ id: created.id, isActive: true });
    expect((await person.caller.session.start({ characterId: created.id })).resumed).toBe(true);
    const audit = await auditRows(db, { action: "admin.characters.setActive", entityId: created.id });
    expect(
      audit.map((row) => [
        (row.before as { isActive: boolean }).isActive,
        (row.after as { isActive: boolean }).isActive,
      ]),
    ).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it("lists every character with system prompts and inactive templates, and audits the read", async () => {
    const created = await operator.caller.admin.characters.create({ ...newCharacter("jonah-four"), isActive: false });
    const template = await operator.caller.admin.templates.create({
      characterId: created.id,
      slug: "off",
      title: "Off",
      situation: "x",
      isActive: false,
    });
    const list = await operator.caller.admin.characters.list();
    const listed = list.find((character) => character.id === created.id)!;
    expect(listed).toMatchObject({
      isActive: false,
      systemPrompt: "You are Jonah, calm and direct.",
      templates: [template],
    });
    expect(await auditRows(db, { action: "admin.characters.list", actorId: operator.id })).not.toHaveLength(0);
  });

  it("reports a taken slug as CONFLICT naming the field, and writes no audit row for it", async () => {
    await operator.caller.admin.characters.create(newCharacter("taken"));
    const before = (await auditRows(db)).length;
    const clash = await failure(operator.caller.admin.characters.create({ ...newCharacter("taken"), name: "Other" }));
    expect(clash).toMatchObject({ code: "CONFLICT", details: { field: "slug" } });
    expect(clash.message).toMatch(/^slug: /);
    const other = await operator.caller.admin.characters.create(newCharacter("not-taken"));
    expect(await failure(operator.caller.admin.characters.update({ id: other.id, slug: "taken" }))).toMatchObject({
      code: "CONFLICT",
      details: { field: "slug" },
    });
    expect((await auditRows(db)).length).toBe(before + 1);
  });

  it("refuses bad input with BAD_REQUEST naming the field, and unknown ids with NOT_FOUND", async () => {
    for (const [input, field] of [
      [{ ...newCharacter("Bad Slug") }, "slug"],
      [{ ...newCharacter("ok-slug"), name: "  " }, "name"],
      [{ ...newCharacter("ok-slug"), avatar: "http://example.com/a-long-plain-http-picture.png" }, "avatar"],
      [{ ...newCharacter("ok-slug"), systemPrompt: "x".repeat(8001) }, "systemPrompt"],
      [{ ...newCharacter("ok-slug"), description: "nul \u0000 inside" }, "description"],
      [{ ...newCharacter("ok-slug"), name: "half \udec4 pair" }, "name"],
    ] as const) {
      const error = await failure(operator.caller.admin.characters.create(input));
      expect(error.code, field).toBe("BAD_REQUEST");
      expect(error.fields, field).toEqual([field]);
    }
    const noChange = await errorOf(operator.caller.admin.characters.update({ id: randomUUID() }));
    expect(noChange.code).toBe("BAD_REQUEST");
    expect((await errorOf(operator.caller.admin.characters.update({ id: randomUUID(), name: "X" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await errorOf(operator.caller.admin.characters.setActive({ id: randomUUID(), isActive: true }))).code).toBe(
      "NOT_FOUND",
    );
  });
});

describe("admin catalogue errors on the wire", () => {
  async function post(path: string, body: unknown) {
    const response = await fetchRequestHandler({
      endpoint: "/trpc",
      router: appRouter,
      req: new Request(`http://localhost/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
      createContext: () => ({
        db,
        user: operator,
        server: { version: "test", expectedMigrations: [] },
        requestMeta: { requestId: "wire-test", ip: null, userAgent: null },
      }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { error: { message: string; data: Record<string, unknown> } },
    };
  }

  it("names the field of a bad input (fieldErrors) and of a slug clash (details.field)", async () => {
    const bad = await post("admin.characters.create", { ...newCharacter("Not A Slug"), name: "" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.data).toMatchObject({
      appCode: "BAD_INPUT",
      fieldErrors: {
        slug: ["slug must be lowercase letters and digits, words joined by single hyphens"],
        name: ["name must not be empty"],
      },
    });

    await operator.caller.admin.characters.create(newCharacter("wire-taken"));
    const clash = await post("admin.characters.create", newCharacter("wire-taken"));
    expect(clash.status).toBe(409);
    expect(clash.body.error.data).toMatchObject({ appCode: "CONFLICT", details: { field: "slug" } });
    expect(clash.body.error.message).toBe("slug: A character with that slug already exists.");
  });
});

describe("admin.templates", () => {
  it("creates, updates and (de)activates templates, audited, and the catalogue follows", async () => {
    const character = await operator.caller.admin.characters.create(newCharacter("with-templates"));
    const second = await operator.caller.admin.templates.create({
      characterId: character.id,
      slug: "second",
      title: "Second",
      situation: "Later on",
      sortOrder: 20,
    });
    const first = await operator.caller.admin.templates.create({
      characterId: character.id,
      slug: "first",
      title: "First",
      situation: "At the start",
      openingLine: "Hey!",
      sortOrder: 10,
    });
    expect(first).toEqual({
      id: first.id,
      characterId: character.id,
      slug: "first",
      title: "First",
      situation: "At the start",
      openingLine: "Hey!",
      sortOrder: 10,
      isActive: true,
    });
    expect(
      (await person.caller.character.get({ slug: "with-templates" })).templates.map((template) => template.slug),
    ).toEqual(["first", "second"]);

    const moved = await operator.caller.admin.templates.update({ id: first.id, sortOrder: 30, openingLine: null });
    expect(moved).toMatchObject({ sortOrder: 30, openingLine: null, title: "First" });
    expect(
      (await person.caller.character.get({ slug: "with-templates" })).templates.map((template) => template.slug),
    ).toEqual(["second", "first"]);

    await operator.caller.admin.templates.setActive({ id: second.id, isActive: false });
    expect(
      (await person.caller.character.get({ slug: "with-templates" })).templates.map((template) => template.slug),
    ).toEqual(["first"]);
    expect(
      (await errorOf(person.caller.session.start({ characterId: character.id, episodeTemplateId: second.id }))).code,
    ).toBe("NOT_FOUND");

    const audit = await auditRows(db, { entityId: first.id });
    expect(audit.map((row) => [row.action, row.entity_type])).toEqual([
      ["admin.templates.create", "episode_template"],
      ["admin.templates.update", "episode_template"],
    ]);
    expect(audit[1]).toMatchObject({ before: first, after: moved, actor_id: operator.id });
  });

  it("keeps template slugs unique per character only, and names the field of every refusal", async () => {
    const a = await operator.caller.admin.characters.create(newCharacter("slug-owner-a"));
    const b = await operator.caller.admin.characters.create(newCharacter("slug-owner-b"));
    const base = { slug: "intro", title: "Intro", situation: "Hello" };
    await operator.caller.admin.templates.create({ ...base, characterId: a.id });
    await operator.caller.admin.templates.create({ ...base, characterId: b.id });
    expect(await failure(operator.caller.admin.templates.create({ ...base, characterId: a.id }))).toMatchObject({
      code: "CONFLICT",
      details: { field: "slug" },
    });
    expect(await failure(operator.caller.admin.templates.create({ ...base, characterId: randomUUID() }))).toMatchObject(
      {
        code: "BAD_REQUEST",
        details: { field: "characterId" },
      },
    );
    expect(
      await failure(operator.caller.admin.templates.create({ ...base, slug: "x", characterId: a.id, sortOrder: -1 })),
    ).toMatchObject({
      code: "BAD_REQUEST",
      fields: ["sortOrder"],
    });
    expect((await errorOf(operator.caller.admin.templates.update({ id: randomUUID(), title: "X" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await errorOf(operator.caller.admin.templates.setActive({ id: randomUUID(), isActive: false }))).code).toBe(
      "NOT_FOUND",
    );
  });
});

describe("who may edit the catalogue", () => {
  it("refuses plain users (FORBIDDEN) and strangers (UNAUTHORIZED) for every admin catalogue procedure, changing nothing", async () => {
    const character = await operator.caller.admin.characters.create(newCharacter("guarded"));
    const before = (await auditRows(db)).length;
    const anonymous = callerWithAi(db, null, undefined);
    for (const [caller, code] of [
      [person.caller, "FORBIDDEN"],
      [anonymous, "UNAUTHORIZED"],
    ] as const) {
      const attempts = [
        caller.admin.characters.list(),
        caller.admin.characters.create(newCharacter("sneaky")),
        caller.admin.characters.update({ id: character.id, name: "Hacked" }),
        caller.admin.characters.setActive({ id: character.id, isActive: false }),
        caller.admin.templates.create({ characterId: character.id, slug: "sneaky", title: "S", situation: "S" }),
        caller.admin.templates.update({ id: randomUUID(), title: "S" }),
        caller.admin.templates.setActive({ id: randomUUID(), isActive: false }),
      ];
      for (const attempt of attempts) expect((await errorOf(attempt)).code).toBe(code);
    }
    expect((await auditRows(db)).length).toBe(before);
    expect((await person.caller.character.get({ slug: "guarded" })).name).toBe("Jonah");
  });

  it("cannot be bypassed from the application role: lockstep_app still may not write the catalogue", async () => {
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL ROLE lockstep_app");
      await expect(client.query(`UPDATE characters SET name = 'x'`)).rejects.toThrow(/permission denied/);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
