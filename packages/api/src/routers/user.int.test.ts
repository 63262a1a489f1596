// auth.me, user.updateProfile and user.deleteAccount through createCaller against a real database: what a person sees and changes of their own account, and that deleting it takes everything of theirs and nothing of anyone else's.
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root.ts";
import { errorOf, callerFor, insertUser } from "../../test/testing/callers.ts";
import {
  type Catalogue,
  countPersonalRows,
  insertCatalogue,
  insertFootprint,
  PERSONAL_TABLES,
} from "../../test/fixtures.ts";

let db: TestDatabase;
let catalogue: Catalogue;
beforeAll(async () => {
  db = await createTestDatabase();
  catalogue = await insertCatalogue(db, "user-tests");
});
afterAll(async () => {
  await db?.close();
});

/** The rejection of `promise`, failing the test if it resolved. */
describe("auth.me", () => {
  it("is null for an anonymous caller", async () => {
    expect(await callerFor(db, null).auth.me()).toBeNull();
  });

  it("is the signed-in person's DTO", async () => {
    const createdAt = new Date("2026-03-04T05:06:07.089Z");
    const person = await insertUser(db, { name: "Ada Person", role: "admin", createdAt });
    expect(await callerFor(db, person).auth.me()).toEqual({
      id: person.id,
      email: person.email,
      name: "Ada Person",
      image: null,
      role: "admin",
      disabled: false,
      createdAt: createdAt.getTime(),
    });
  });

  it("is null when the session outlived the account", async () => {
    const ghost = {
      id: "no-such-user",
      email: "ghost@example.com",
      name: "Ghost",
      role: "user" as const,
      authSessionId: null,
    };
    expect(await callerFor(db, ghost).auth.me()).toBeNull();
  });
});

describe("user.updateProfile", () => {
  it("trims and saves name and image, and can remove the image again", async () => {
    const person = await insertUser(db);
    const caller = callerFor(db, person);
    const updated = await caller.user.updateProfile({
      name: "  New Name  ",
      image: " https://img.example.com/me.png ",
    });
    expect(updated).toMatchObject({
      id: person.id,
      name: "New Name",
      image: "https://img.example.com/me.png",
      role: "user",
    });
    expect(await caller.auth.me()).toEqual(updated);

    const cleared = await caller.user.updateProfile({ image: null });
    expect(cleared).toMatchObject({ name: "New Name", image: null });
  });

  it("changes only the caller's row", async () => {
    const person = await insertUser(db, { name: "Mine" });
    const other = await insertUser(db, { name: "Theirs" });
    await callerFor(db, person).user.updateProfile({ name: "Changed" });
    const { rows } = await db.pool.query<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [other.id]);
    expect(rows[0]?.name).toBe("Theirs");
  });

  it.each([
    [{ name: "   " }, "name"],
    [{ name: "x".repeat(81) }, "name"],
    [{ image: "http://img.example.com/me.png" }, "image"],
    [{ image: "not a url" }, "image"],
  ])("refuses %j as BAD_REQUEST naming %s", async (input, field) => {
    const person = await insertUser(db, { name: "Unchanged" });
    const error = await errorOf(callerFor(db, person).user.updateProfile(input));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain(`"${field}"`);
    const { rows } = await db.pool.query<{ name: string; image: string | null }>(
      `SELECT name, image FROM users WHERE id = $1`,
      [person.id],
    );
    expect(rows[0]).toEqual({ name: "Unchanged", image: null });
  });

  it("refuses an update that changes nothing", async () => {
    const person = await insertUser(db);
    const error = await errorOf(callerFor(db, person).user.updateProfile({}));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/name or an image/);
  });

  it("sends fieldErrors naming the field on the wire", async () => {
    const person = await insertUser(db);
    const response = await fetchRequestHandler({
      endpoint: "/trpc",
      router: appRouter,
      req: new Request("http://localhost/trpc/user.updateProfile", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "", image: "ftp://x" }),
      }),
      createContext: () => ({
        db,
        user: person,
        server: { version: "test", expectedMigrations: [] },
        requestMeta: { requestId: "wire-test", ip: null, userAgent: null },
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; data: Record<string, unknown> } };
    expect(body.error.data).toMatchObject({
      appCode: "BAD_INPUT",
      requestId: "wire-test",
      fieldErrors: { name: ["name must not be empty"], image: ["image must be an https URL"] },
    });
    expect(body.error.message).toMatch(/^Invalid input: .*name: name must not be empty/);
  });

  it("is refused to anonymous callers", async () => {
    const error = await errorOf(callerFor(db, null).user.updateProfile({ name: "Nobody" }));
    expect(error.code).toBe("UNAUTHORIZED");
  });
});

describe("user.deleteAccount", () => {
  it("deletes everything of the person, keeps their AI interactions without them or their IP, and touches nobody else", async () => {
    const leaving = await insertUser(db, { email: "leaving@example.com" });
    const staying = await insertUser(db, { email: "staying@example.com" });
    await insertFootprint(db, leaving.id, catalogue);
    await insertFootprint(db, staying.id, catalogue);
    const stayingBefore = await countPersonalRows(db, staying.id);
    const { rows: interactions } = await db.pool.query<{ id: string }>(
      `SELECT id FROM ai_interactions WHERE user_id = $1`,
      [leaving.id],
    );
    expect(interactions).toHaveLength(2);

    // Case and surrounding spaces do not matter: it is the same address.
    const result = await callerFor(db, leaving).user.deleteAccount({ confirmEmail: "  Leaving@Example.COM " });
    expect(result).toEqual({
      deleted: true,
      counts: {
        sessions: 2,
        messages: 4,
        feedback: 2,
        collections: 2,
        engagements: 2,
        memories: 2,
        uploads: 2,
        aiInteractionsAnonymised: 2,
      },
    });

    const { rows: users } = await db.pool.query(`SELECT id FROM users WHERE id = $1`, [leaving.id]);
    expect(users).toEqual([]);
    const left = await countPersonalRows(db, leaving.id);
    expect(left).toEqual(Object.fromEntries(PERSONAL_TABLES.map((table) => [table, 0])));
    // The interaction log keeps the calls (and their responses), with no person and no address.
    const { rows: kept } = await db.pool.query<{
      user_id: string | null;
      ip_address: string | null;
      session_id: string | null;
      responses: number;
    }>(
      `SELECT user_id, ip_address::text, session_id, (SELECT count(*)::int FROM ai_responses r WHERE r.interaction_id = i.id) AS responses
         FROM ai_interactions i WHERE id = ANY($1::uuid[])`,
      [interactions.map((row) => row.id)],
    );
    expect(kept).toEqual([
      { user_id: null, ip_address: null, session_id: null, responses: 1 },
      { user_id: null, ip_address: null, session_id: null, responses: 1 },
    ]);

    expect(await countPersonalRows(db, staying.id)).toEqual(stayingBefore);
    const { rows: stayingIps } = await db.pool.query<{ ip: string }>(
      `SELECT host(ip_address) AS ip FROM ai_interactions WHERE user_id = $1`,
      [staying.id],
    );
    expect(stayingIps.map((row) => row.ip)).toEqual(["198.51.100.7", "198.51.100.7"]);
  });

  it("changes nothing when confirmEmail does not match", async () => {
    const person = await insertUser(db, { email: "careful@example.com" });
    await insertFootprint(db, person.id, catalogue);
    const before = await countPersonalRows(db, person.id);
    const error = await errorOf(callerFor(db, person).user.deleteAccount({ confirmEmail: "someone-else@example.com" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("confirmEmail");
    expect(await countPersonalRows(db, person.id)).toEqual(before);
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ai_interactions WHERE user_id = $1 AND ip_address IS NOT NULL`,
      [person.id],
    );
    expect(rows[0]?.n).toBe(2);
  });

  it("cannot delete someone else's account by naming their email", async () => {
    const attacker = await insertUser(db);
    const victim = await insertUser(db);
    const error = await errorOf(callerFor(db, attacker).user.deleteAccount({ confirmEmail: victim.email }));
    expect(error.code).toBe("BAD_REQUEST");
    const { rows } = await db.pool.query(`SELECT id FROM users WHERE id = ANY($1)`, [[attacker.id, victim.id]]);
    expect(rows).toHaveLength(2);
  });

  it("is refused to anonymous callers", async () => {
    const error = await errorOf(callerFor(db, null).user.deleteAccount({ confirmEmail: "a@example.com" }));
    expect(error.code).toBe("UNAUTHORIZED");
  });
});
