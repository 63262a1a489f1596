// Row-level security end to end: withUser/withAnonymous/withAdmin see and change only what they should, leak nothing through the pool, and hold up under concurrency, on both runtimes.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_ROLE, APP_ROLE, readAsUser, type ScopedTx, withAdmin, withAnonymous, withUser } from "./scoped.ts";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";

const RUNTIME = process.env.DATABASE_URL ? "postgres" : "pglite";

const USER_TABLES = [
  "sessions",
  "messages",
  "user_message_interactions",
  "collections",
  "engagements",
  "memory_events",
  "uploads",
  "ai_interactions",
] as const;
type UserTable = (typeof USER_TABLES)[number];

const RLS_VIOLATION = /row-level security/i;
const PERMISSION_DENIED = /permission denied/i;

/** Shared catalogue rows every fixture user can point at. */
interface Catalogue {
  characterIds: [string, string];
  /** A character nobody has an engagement with yet, for fresh engagement inserts. */
  spareCharacterId: string;
  providerId: string;
}

/** What one fixture user owns: two rows in every user-owned table. */
interface OwnedRows {
  userId: string;
  sessionIds: string[];
  messageIds: string[];
  engagementIds: string[];
  byTable: Record<UserTable, string[]>;
}

interface Statement {
  sql: string;
  params: unknown[];
}

let db: TestDatabase;
let catalogue: Catalogue;

beforeAll(async () => {
  db = await createTestDatabase();
  const characters: string[] = [];
  for (const slug of ["rls-one", "rls-two", "rls-spare"]) {
    characters.push(
      await ownerInsert(
        `INSERT INTO characters (slug, name, description, system_prompt, updated_at) VALUES ($1, $1, 'fixture', 'be kind', now()) RETURNING id`,
        [slug],
      ),
    );
  }
  const [first, second, spare] = characters;
  if (!first || !second || !spare) throw new Error("characters were not created");
  catalogue = {
    characterIds: [first, second],
    spareCharacterId: spare,
    providerId: await ownerInsert(
      `INSERT INTO providers (name, kind, updated_at) VALUES ('rls-provider', 'BUILTIN', now()) RETURNING id`,
    ),
  };
});

afterAll(async () => {
  await db?.close();
});

// ------------------------------------------------------------------ fixtures (as the owner, which bypasses RLS)

async function ownerInsert(sql: string, params: unknown[] = []): Promise<string> {
  const result = await db.pool.query<{ id: string }>(sql, params);
  const id = result.rows[0]?.id;
  if (!id) throw new Error(`no id returned by ${sql}`);
  return id;
}

async function createUser(label: string): Promise<string> {
  const id = `${label}-${randomUUID()}`;
  await db.pool.query(`INSERT INTO users (id, name, email, updated_at) VALUES ($1, $2, $3, now())`, [
    id,
    label,
    `${id}@example.com`,
  ]);
  return id;
}

/** A user with two rows in every user-owned table, sessions tied to engagements. */
async function createOwner(label: string): Promise<OwnedRows> {
  const userId = await createUser(label);
  const rows: OwnedRows = {
    userId,
    sessionIds: [],
    messageIds: [],
    engagementIds: [],
    byTable: Object.fromEntries(USER_TABLES.map((table) => [table, []])) as unknown as Record<UserTable, string[]>,
  };
  for (const [index, characterId] of catalogue.characterIds.entries()) {
    const engagementId = await ownerInsert(
      `INSERT INTO engagements (user_id, character_id, updated_at) VALUES ($1, $2, now()) RETURNING id`,
      [userId, characterId],
    );
    const sessionId = await ownerInsert(
      `INSERT INTO sessions (user_id, type, name, character_id, engagement_id, updated_at) VALUES ($1, 'TEXT', $2, $3, $4, now()) RETURNING id`,
      [userId, `${label} session ${index}`, characterId, engagementId],
    );
    const messageId = await ownerInsert(
      `INSERT INTO messages (session_id, user_id, text, author, updated_at) VALUES ($1, $2, $3, 'USER', now()) RETURNING id`,
      [sessionId, userId, `${label} says hello ${index}`],
    );
    const interactionId = await ownerInsert(
      `INSERT INTO user_message_interactions (user_id, message_id, type) VALUES ($1, $2, 'LIKED') RETURNING id`,
      [userId, messageId],
    );
    const collectionId = await ownerInsert(
      `INSERT INTO collections (user_id, name, updated_at) VALUES ($1, $2, now()) RETURNING id`,
      [userId, `${label} collection ${index}`],
    );
    const memoryId = await ownerInsert(
      `INSERT INTO memory_events (user_id, character_id, session_id, message_id, kind, content) VALUES ($1, $2, $3, $4, 'FACT', $5) RETURNING id`,
      [userId, characterId, sessionId, messageId, `${label} likes tea ${index}`],
    );
    const uploadId = await ownerInsert(
      `INSERT INTO uploads (user_id, key, mime, bytes, width, height, sha256) VALUES ($1, $2, 'image/png', 10, 2, 2, $3) RETURNING id`,
      [userId, `uploads/${userId}/${index}.png`, randomUUID()],
    );
    const aiId = await ownerInsert(
      `INSERT INTO ai_interactions (provider_id, model_name, operation, request, user_id, session_id, updated_at)
       VALUES ($1, 'fixture-model', 'REPLY', '{}'::jsonb, $2, $3, now()) RETURNING id`,
      [catalogue.providerId, userId, sessionId],
    );
    rows.engagementIds.push(engagementId);
    rows.sessionIds.push(sessionId);
    rows.messageIds.push(messageId);
    rows.byTable.engagements.push(engagementId);
    rows.byTable.sessions.push(sessionId);
    rows.byTable.messages.push(messageId);
    rows.byTable.user_message_interactions.push(interactionId);
    rows.byTable.collections.push(collectionId);
    rows.byTable.memory_events.push(memoryId);
    rows.byTable.uploads.push(uploadId);
    rows.byTable.ai_interactions.push(aiId);
  }
  return rows;
}

/** An INSERT of one new row into `table` claiming `userId`, pointing at `refs`'s session and message. */
function insertStatement(table: UserTable, userId: string, refs: OwnedRows): Statement {
  const sessionId = refs.sessionIds[0];
  const messageId = refs.messageIds[0];
  const tag = randomUUID();
  switch (table) {
    case "sessions":
      return {
        sql: `INSERT INTO sessions (user_id, type, name, updated_at) VALUES ($1, 'TEXT', $2, now())`,
        params: [userId, tag],
      };
    case "messages":
      return {
        sql: `INSERT INTO messages (session_id, user_id, text, author, updated_at) VALUES ($1::uuid, $2, $3, 'USER', now())`,
        params: [sessionId, userId, tag],
      };
    case "user_message_interactions":
      return {
        sql: `INSERT INTO user_message_interactions (user_id, message_id, type) VALUES ($1, $2::uuid, 'PINNED')`,
        params: [userId, messageId],
      };
    case "collections":
      return {
        sql: `INSERT INTO collections (user_id, name, updated_at) VALUES ($1, $2, now())`,
        params: [userId, tag],
      };
    case "engagements":
      return {
        sql: `INSERT INTO engagements (user_id, character_id, updated_at) VALUES ($1, $2::uuid, now())`,
        params: [userId, catalogue.spareCharacterId],
      };
    case "memory_events":
      return {
        sql: `INSERT INTO memory_events (user_id, character_id, session_id, kind, content) VALUES ($1, $2::uuid, $3::uuid, 'FACT', $4)`,
        params: [userId, catalogue.spareCharacterId, sessionId, tag],
      };
    case "uploads":
      return {
        sql: `INSERT INTO uploads (user_id, key, mime, bytes, width, height, sha256) VALUES ($1, $2, 'image/png', 10, 2, 2, $2)`,
        params: [userId, tag],
      };
    case "ai_interactions":
      return {
        sql: `INSERT INTO ai_interactions (provider_id, model_name, operation, request, user_id, session_id, updated_at)
              VALUES ($1::uuid, 'fixture-model', 'REPLY', '{}'::jsonb, $2, $3::uuid, now())`,
        params: [catalogue.providerId, userId, sessionId],
      };
  }
}

/** Every row of `userId` in `table`, as the owner sees it (whole rows, for before/after comparisons). */
async function ownerSnapshot(table: UserTable, userId: string): Promise<unknown[]> {
  const result = await db.pool.query<{ row: unknown }>(
    `SELECT to_jsonb(t) AS row FROM ${table} t WHERE user_id = $1 ORDER BY id`,
    [userId],
  );
  return result.rows.map((entry) => entry.row);
}

async function ownerIds(table: UserTable, where = "true", params: unknown[] = []): Promise<string[]> {
  const result = await db.pool.query<{ id: string }>(`SELECT id FROM ${table} WHERE ${where} ORDER BY id`, params);
  return result.rows.map((entry) => entry.id);
}

const sorted = (values: readonly string[]): string[] => [...values].sort();

class RollbackSignal<T> extends Error {
  value: T | undefined;
  constructor() {
    super("deliberate rollback");
  }
}

/** Runs `work` in a scope, then throws so the scope's transaction rolls back; returns what work returned. */
async function rolledBack<T>(
  scope: (work: (tx: ScopedTx) => Promise<never>) => Promise<unknown>,
  work: (tx: ScopedTx) => Promise<T>,
): Promise<T> {
  const signal = new RollbackSignal<T>();
  try {
    await scope(async (tx) => {
      signal.value = await work(tx);
      throw signal;
    });
  } catch (error) {
    if (error === signal) return signal.value as T;
    throw error;
  }
  throw new Error("the scope completed instead of rolling back");
}

interface RoleRow {
  user: string;
  setting: string | null;
  role: string;
}

/** Who every connection the pool can hand out is, checked out all at once so none is missed. */
async function everyPooledConnection(): Promise<RoleRow[]> {
  const size = db.pool.options.max ?? 1;
  const clients = await Promise.all(Array.from({ length: size }, () => db.pool.connect()));
  try {
    const rows: RoleRow[] = [];
    for (const client of clients) {
      const result = await client.query<RoleRow>(
        `SELECT current_user AS "user", current_setting('app.user_id', true) AS setting, current_setting('role') AS role`,
      );
      const row = result.rows[0];
      if (!row) throw new Error("no row from the role probe");
      rows.push(row);
    }
    return rows;
  } finally {
    for (const client of clients) client.release();
  }
}

async function ownerRole(): Promise<string> {
  const result = await db.pool.query<{ user: string }>(`SELECT current_user AS "user"`);
  const user = result.rows[0]?.user;
  if (!user) throw new Error("no current_user");
  return user;
}

/** Records wire messages (simple queries, and the Sync ending each extended query) on every pooled connection while `run` runs: each is one round trip. */
async function wireMessagesDuring(run: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const clients = await Promise.all(Array.from({ length: db.pool.options.max ?? 1 }, () => db.pool.connect()));
  const restore: Array<() => void> = [];
  for (const client of clients) {
    const connection = (client as unknown as { connection: { query(text: string): void; sync(): void } }).connection;
    const { query, sync } = connection;
    connection.query = (text: string) => {
      sent.push(text);
      query.call(connection, text);
    };
    connection.sync = () => {
      sent.push("(extended query)");
      sync.call(connection);
    };
    restore.push(() => Object.assign(connection, { query, sync }));
    client.release();
  }
  try {
    await run();
    return sent;
  } finally {
    for (const undo of restore) undo();
  }
}

// ------------------------------------------------------------------ tests

describe(`row-level security scopes (${RUNTIME})`, () => {
  let alice: OwnedRows;
  let bob: OwnedRows;

  beforeAll(async () => {
    alice = await createOwner("alice");
    bob = await createOwner("bob");
  });

  describe("reads", () => {
    for (const table of USER_TABLES) {
      it(`${table}: withUser(B) sees all of B's rows and none of A's; anonymous sees none; admin sees all`, async () => {
        const bobIds = await ownerIds(table, "user_id = $1", [bob.userId]);
        const aliceIds = await ownerIds(table, "user_id = $1", [alice.userId]);
        const allIds = await ownerIds(table);
        expect(bobIds).toEqual(sorted(bob.byTable[table]));
        expect(aliceIds.length).toBeGreaterThanOrEqual(2);

        const asBob = await withUser(db, bob.userId, (tx) =>
          // The columns the checks read (not *: messages hold a tsvector, which raw queries cannot return).
          tx.$queryRawUnsafe<Array<{ id: string; user_id: string | null }>>(`SELECT id, user_id FROM ${table}`),
        );
        expect(asBob.every((row) => row.user_id === bob.userId)).toBe(true);
        expect(sorted(asBob.map((row) => row.id))).toEqual(bobIds);
        expect(asBob.filter((row) => aliceIds.includes(row.id))).toEqual([]);

        const asAnonymous = await withAnonymous(db, (tx) =>
          tx.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM ${table}`),
        );
        expect(asAnonymous).toEqual([]);

        const asAdmin = await withAdmin(db, (tx) =>
          tx.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM ${table}`),
        );
        expect(sorted(asAdmin.map((row) => row.id))).toEqual(allIds);
        expect(allIds).toEqual(expect.arrayContaining([...aliceIds, ...bobIds]));
      });
    }
  });

  describe("writes", () => {
    for (const table of USER_TABLES) {
      it(`${table}: withUser(B) can insert its own row but not one claiming A, and cannot update or delete A's rows`, async () => {
        const aliceBefore = await ownerSnapshot(table, alice.userId);
        const bobBefore = await ownerSnapshot(table, bob.userId);
        expect(aliceBefore.length).toBeGreaterThanOrEqual(2);

        // Positive control: the same statement for B's own row is accepted (then rolled back).
        const own = insertStatement(table, bob.userId, bob);
        const inserted = await rolledBack(
          (work) => withUser(db, bob.userId, work),
          (tx) => tx.$executeRawUnsafe(own.sql, ...own.params),
        );
        expect(inserted).toBe(1);

        const forged = insertStatement(table, alice.userId, alice);
        await expect(
          withUser(db, bob.userId, (tx) => tx.$executeRawUnsafe(forged.sql, ...forged.params)),
        ).rejects.toThrow(RLS_VIOLATION);

        const touched = await withUser(db, bob.userId, async (tx) => ({
          update: await tx.$executeRawUnsafe(`UPDATE ${table} SET user_id = user_id WHERE user_id = $1`, alice.userId),
          steal: await tx.$executeRawUnsafe(
            `UPDATE ${table} SET user_id = $1 WHERE user_id = $2`,
            bob.userId,
            alice.userId,
          ),
          byId: await tx.$executeRawUnsafe(
            `UPDATE ${table} SET user_id = user_id WHERE id = ANY($1::uuid[])`,
            alice.byTable[table],
          ),
          delete: await tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE user_id = $1`, alice.userId),
          deleteById: await tx.$executeRawUnsafe(
            `DELETE FROM ${table} WHERE id = ANY($1::uuid[])`,
            alice.byTable[table],
          ),
        }));
        expect(touched).toEqual({ update: 0, steal: 0, byId: 0, delete: 0, deleteById: 0 });

        // An unqualified DELETE reaches exactly B's rows (rolled back, so nothing is lost).
        const deletedEverything = await rolledBack(
          (work) => withUser(db, bob.userId, work),
          (tx) => tx.$executeRawUnsafe(`DELETE FROM ${table}`),
        );
        expect(deletedEverything).toBe(bobBefore.length);

        // B cannot hand its own row to A either (the policy's WITH CHECK).
        await expect(
          withUser(db, bob.userId, (tx) =>
            tx.$executeRawUnsafe(
              `UPDATE ${table} SET user_id = $1 WHERE id = $2::uuid`,
              alice.userId,
              bob.byTable[table][0],
            ),
          ),
        ).rejects.toThrow(RLS_VIOLATION);

        expect(await ownerSnapshot(table, alice.userId)).toEqual(aliceBefore);
        expect(await ownerSnapshot(table, bob.userId)).toEqual(bobBefore);
      });

      it(`${table}: withAnonymous cannot insert any row`, async () => {
        const before = await ownerIds(table);
        for (const owner of [alice, bob]) {
          const statement = insertStatement(table, owner.userId, owner);
          await expect(
            withAnonymous(db, (tx) => tx.$executeRawUnsafe(statement.sql, ...statement.params)),
          ).rejects.toThrow(RLS_VIOLATION);
        }
        expect(await ownerIds(table)).toEqual(before);
      });
    }

    it("ai_interactions: withUser cannot write an interaction with no user (it would be visible to no one)", async () => {
      const before = await ownerIds("ai_interactions");
      await expect(
        withUser(db, bob.userId, (tx) =>
          tx.$executeRawUnsafe(
            `INSERT INTO ai_interactions (provider_id, model_name, operation, request, user_id, session_id, updated_at)
             VALUES ($1::uuid, 'fixture-model', 'REPLY', '{}'::jsonb, NULL, $2::uuid, now())`,
            catalogue.providerId,
            bob.sessionIds[0],
          ),
        ),
      ).rejects.toThrow(RLS_VIOLATION);
      expect(await ownerIds("ai_interactions")).toEqual(before);
    });
  });

  describe("roles", () => {
    it("withUser runs as lockstep_app: not a superuser, no BYPASSRLS, not the tables' owner", async () => {
      const owner = await ownerRole();
      const seen = await withUser(db, bob.userId, async (tx) => {
        const [who] = await tx.$queryRawUnsafe<Array<{ user: string; setting: string }>>(
          `SELECT current_user AS "user", current_setting('app.user_id') AS setting`,
        );
        const [role] = await tx.$queryRawUnsafe<Array<{ rolsuper: boolean; rolbypassrls: boolean }>>(
          `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
        );
        const owners = await tx.$queryRawUnsafe<Array<{ tablename: string; tableowner: string; is_member: boolean }>>(
          `SELECT tablename, tableowner, pg_has_role(current_user, tableowner, 'MEMBER') AS is_member
             FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1::text[]) ORDER BY tablename`,
          [...USER_TABLES],
        );
        return { who, role, owners };
      });
      expect(seen.who).toEqual({ user: APP_ROLE, setting: bob.userId });
      expect(seen.role).toEqual({ rolsuper: false, rolbypassrls: false });
      expect(seen.owners.map((row) => row.tablename)).toEqual(sorted(USER_TABLES));
      for (const row of seen.owners) {
        expect(row.tableowner).toBe(owner);
        expect(row.tableowner).not.toBe(APP_ROLE);
        expect(row.is_member).toBe(false);
      }
    });

    it("withAnonymous runs as lockstep_app with no user set", async () => {
      const [who] = await withAnonymous(db, (tx) =>
        tx.$queryRawUnsafe<Array<{ user: string; current_user_id: string | null }>>(
          `SELECT current_user AS "user", app_current_user_id() AS current_user_id`,
        ),
      );
      expect(who).toEqual({ user: APP_ROLE, current_user_id: null });
    });

    it("withAdmin runs as lockstep_admin (BYPASSRLS, not superuser) and may not insert or rewrite sessions nor delete messages", async () => {
      const seen = await withAdmin(db, async (tx) => {
        const [who] = await tx.$queryRawUnsafe<Array<{ user: string }>>(`SELECT current_user AS "user"`);
        const [role] = await tx.$queryRawUnsafe<Array<{ rolsuper: boolean; rolbypassrls: boolean }>>(
          `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
        );
        return { who, role };
      });
      expect(seen.who).toEqual({ user: ADMIN_ROLE });
      expect(seen.role).toEqual({ rolsuper: false, rolbypassrls: true });

      // Operators may restore and purge a session (admin.sessions.*, audited), nothing else.
      const before = await ownerIds("sessions");
      await expect(
        withAdmin(db, (tx) => tx.$executeRawUnsafe(`UPDATE sessions SET name = 'rewritten'`)),
      ).rejects.toThrow(PERMISSION_DENIED);
      await expect(
        withAdmin(db, (tx) => tx.$executeRawUnsafe(`UPDATE sessions SET user_id = $1`, alice.userId)),
      ).rejects.toThrow(PERMISSION_DENIED);
      await expect(
        withAdmin(db, (tx) => tx.$executeRawUnsafe(`DELETE FROM messages WHERE user_id = $1`, alice.userId)),
      ).rejects.toThrow(PERMISSION_DENIED);
      const statement = insertStatement("sessions", alice.userId, alice);
      await expect(withAdmin(db, (tx) => tx.$executeRawUnsafe(statement.sql, ...statement.params))).rejects.toThrow(
        PERMISSION_DENIED,
      );
      expect(await ownerIds("sessions")).toEqual(before);
    });
  });

  describe("nothing leaks through the pool", () => {
    it("after withUser, withAdmin and withAnonymous every pooled connection is the owner again with no user set", async () => {
      const owner = await ownerRole();
      expect(owner).not.toBe(APP_ROLE);
      // Several at once, so on PostgreSQL more than one pooled connection has been scoped.
      await Promise.all([
        ...[alice, bob, alice, bob, alice].map((user) =>
          withUser(db, user.userId, (tx) => tx.$queryRawUnsafe(`SELECT 1 AS slept FROM pg_sleep(0.02)`)),
        ),
        withAdmin(db, (tx) => tx.$queryRawUnsafe(`SELECT 1 AS slept FROM pg_sleep(0.02)`)),
        withAnonymous(db, (tx) => tx.$queryRawUnsafe(`SELECT 1 AS slept FROM pg_sleep(0.02)`)),
      ]);
      const plain = await db.pool.query<RoleRow>(
        `SELECT current_user AS "user", current_setting('app.user_id', true) AS setting, current_setting('role') AS role`,
      );
      expect(plain.rows[0]?.user).toBe(owner);
      expect(plain.rows[0]?.setting ?? "").toBe("");
      const connections = await everyPooledConnection();
      expect(connections.length).toBe(db.pool.options.max ?? 1);
      for (const connection of connections) {
        expect(connection.user).toBe(owner);
        expect(connection.setting ?? "").toBe("");
        expect(connection.role).toBe("none");
      }
    });

    it("a withUser transaction that throws rolls back its writes and leaves the connection clean", async () => {
      const owner = await ownerRole();
      const name = `doomed-${randomUUID()}`;
      const failure = new Error("deliberate failure after an insert");
      await expect(
        withUser(db, bob.userId, async (tx) => {
          await tx.$executeRawUnsafe(
            `INSERT INTO sessions (user_id, type, name, updated_at) VALUES ($1, 'TEXT', $2, now())`,
            bob.userId,
            name,
          );
          const [seen] = await tx.$queryRawUnsafe<Array<{ count: number }>>(
            `SELECT count(*)::int AS count FROM sessions WHERE name = $1`,
            name,
          );
          expect(seen?.count).toBe(1);
          throw failure;
        }),
      ).rejects.toBe(failure);

      // A failure raised by the database (an RLS refusal) rolls back the earlier insert too.
      await expect(
        withUser(db, bob.userId, async (tx) => {
          await tx.$executeRawUnsafe(
            `INSERT INTO sessions (user_id, type, name, updated_at) VALUES ($1, 'TEXT', $2, now())`,
            bob.userId,
            name,
          );
          await tx.$executeRawUnsafe(
            `INSERT INTO sessions (user_id, type, name, updated_at) VALUES ($1, 'TEXT', $2, now())`,
            alice.userId,
            name,
          );
        }),
      ).rejects.toThrow(RLS_VIOLATION);

      expect(await ownerIds("sessions", "name = $1", [name])).toEqual([]);
      for (const connection of await everyPooledConnection()) {
        expect(connection.user).toBe(owner);
        expect(connection.setting ?? "").toBe("");
        expect(connection.role).toBe("none");
      }
    });
  });

  describe("engagement triggers under RLS", () => {
    it("ending a session as its owner counts it on the engagement; another user cannot end it", async () => {
      const carol = await createOwner("carol");
      const sessionId = carol.sessionIds[0];
      const engagementId = carol.engagementIds[0];
      const engagement = async () => {
        const result = await db.pool.query<{ total_sessions: number; last_interaction_at: Date | null }>(
          `SELECT total_sessions, last_interaction_at FROM engagements WHERE id = $1`,
          [engagementId],
        );
        const row = result.rows[0];
        if (!row) throw new Error("engagement vanished");
        return row;
      };
      const before = await engagement();
      expect(before.total_sessions).toBe(0);

      // Bob cannot end Carol's session, so nothing is counted.
      const byBob = await withUser(db, bob.userId, (tx) =>
        tx.$executeRawUnsafe(`UPDATE sessions SET ended_at = now() WHERE id = $1::uuid`, sessionId),
      );
      expect(byBob).toBe(0);
      expect((await engagement()).total_sessions).toBe(0);

      const ended = await withUser(db, carol.userId, (tx) =>
        tx.$executeRawUnsafe(`UPDATE sessions SET ended_at = now() WHERE id = $1::uuid`, sessionId),
      );
      expect(ended).toBe(1);
      const after = await engagement();
      expect(after.total_sessions).toBe(1);
      expect(after.last_interaction_at).not.toBeNull();

      // Ending it again (already ended) does not count twice.
      await withUser(db, carol.userId, (tx) =>
        tx.$executeRawUnsafe(`UPDATE sessions SET ended_at = now() WHERE id = $1::uuid`, sessionId),
      );
      expect((await engagement()).total_sessions).toBe(1);
      // The other engagement is untouched.
      const other = await db.pool.query<{ total_sessions: number }>(
        `SELECT total_sessions FROM engagements WHERE id = $1`,
        [carol.engagementIds[1]],
      );
      expect(other.rows[0]?.total_sessions).toBe(0);
    });

    it("a message inserted as its owner counts on the engagement, and deleting it uncounts it", async () => {
      const dave = await createOwner("dave");
      const sessionId = dave.sessionIds[1];
      const engagementId = dave.engagementIds[1];
      const totalMessages = async () => {
        const result = await db.pool.query<{ total_messages: number }>(
          `SELECT total_messages FROM engagements WHERE id = $1`,
          [engagementId],
        );
        const count = result.rows[0]?.total_messages;
        if (count === undefined) throw new Error("engagement vanished");
        return count;
      };
      const before = await totalMessages();
      expect(before).toBe(1); // the fixture's own message, counted by the trigger as the owner

      const [inserted] = await withUser(db, dave.userId, (tx) =>
        tx.$queryRawUnsafe<Array<{ id: string }>>(
          `INSERT INTO messages (session_id, user_id, text, author, updated_at) VALUES ($1::uuid, $2, 'counted', 'USER', now()) RETURNING id`,
          sessionId,
          dave.userId,
        ),
      );
      expect(inserted?.id).toEqual(expect.any(String));
      expect(await totalMessages()).toBe(before + 1);

      const deleted = await withUser(db, dave.userId, (tx) =>
        tx.$executeRawUnsafe(`DELETE FROM messages WHERE id = $1::uuid`, inserted?.id),
      );
      expect(deleted).toBe(1);
      expect(await totalMessages()).toBe(before);
    });
  });

  // Foreign keys ignore RLS, so the policies must also check that every referenced row is the
  // same user's; credentials and roles must be out of the application's reach. Fixtures are made
  // in beforeAll, so a broken fixture fails loudly instead of "passing".
  describe("cross-user references, responses and credentials", () => {
    let aliceResponseId: string;

    beforeAll(async () => {
      aliceResponseId = await ownerInsert(
        `INSERT INTO ai_responses (interaction_id, content) VALUES ($1, 'private reply to alice') RETURNING id`,
        [alice.byTable.ai_interactions[0]],
      );
      await db.pool.query(
        `INSERT INTO accounts (id, user_id, account_id, provider_id, password, updated_at) VALUES ($1, $2, $2, 'credential', 'argon2-hash-of-alice', now())`,
        [randomUUID(), alice.userId],
      );
      await db.pool.query(
        `INSERT INTO auth_sessions (id, user_id, token, expires_at, updated_at) VALUES ($1, $2, $3, now() + interval '1 day', now())`,
        [randomUUID(), alice.userId, `token-${randomUUID()}`],
      );
    });

    /** How many of alice's rows `scope` reads with `sql`; 0 too when the scope may not read the table at all. */
    async function aliceRowsVisible(
      scope: typeof withAnonymous,
      sql: string,
      isAlice: (row: Record<string, unknown>) => boolean,
    ): Promise<number> {
      try {
        const rows = await scope(db, (tx) => tx.$queryRawUnsafe<Array<Record<string, unknown>>>(sql));
        return rows.filter(isAlice).length;
      } catch (error) {
        if (error instanceof Error && PERMISSION_DENIED.test(error.message)) return 0;
        throw error;
      }
    }
    const asBob: typeof withAnonymous = (database, work, options) => withUser(database, bob.userId, work, options);

    const crossReferences: Array<[string, () => Statement]> = [
      ["a message of B's own in A's session", () => insertStatement("messages", bob.userId, alice)],
      ["a like by B on A's message", () => insertStatement("user_message_interactions", bob.userId, alice)],
      ["a memory of B's pointing at A's session", () => insertStatement("memory_events", bob.userId, alice)],
      ["an AI interaction of B's on A's session", () => insertStatement("ai_interactions", bob.userId, alice)],
      [
        "a session of B's counted on A's engagement",
        () => ({
          sql: `INSERT INTO sessions (user_id, type, engagement_id, updated_at) VALUES ($1, 'TEXT', $2::uuid, now())`,
          params: [bob.userId, alice.engagementIds[0]],
        }),
      ],
    ];
    for (const [what, statement] of crossReferences) {
      it(`withUser(B) cannot write ${what}`, async () => {
        const { sql, params } = statement();
        // Rolled back if accepted, so a regression leaves nothing behind.
        await expect(
          rolledBack(
            (work) => withUser(db, bob.userId, work),
            (tx) => tx.$executeRawUnsafe(sql, ...params),
          ),
        ).rejects.toThrow();
      });
    }

    it("ai_responses of A's interactions are hidden from withUser(B) and withAnonymous", async () => {
      const isAlice = (row: Record<string, unknown>) => row.id === aliceResponseId;
      expect(await aliceRowsVisible(asBob, `SELECT * FROM ai_responses`, isAlice)).toBe(0);
      expect(await aliceRowsVisible(withAnonymous, `SELECT * FROM ai_responses`, isAlice)).toBe(0);
    });

    it("A's password hash and auth session tokens are hidden from withUser(B) and withAnonymous", async () => {
      const isAlice = (row: Record<string, unknown>) => row.user_id === alice.userId;
      for (const table of ["accounts", "auth_sessions"]) {
        expect(await aliceRowsVisible(asBob, `SELECT * FROM ${table}`, isAlice)).toBe(0);
        expect(await aliceRowsVisible(withAnonymous, `SELECT * FROM ${table}`, isAlice)).toBe(0);
      }
    });

    it("withUser(B) cannot make itself an admin", async () => {
      await expect(
        rolledBack(
          (work) => withUser(db, bob.userId, work),
          (tx) => tx.$executeRawUnsafe(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, bob.userId),
        ),
      ).rejects.toThrow();
    });
  });

  describe("concurrency", () => {
    const USERS = 20;
    const SESSIONS_PER_USER = 3;
    const CALLS = 240;
    const FAIL_EVERY = 12;

    it(`${CALLS} concurrent withUser calls for ${USERS} users each see only their own sessions and write only their own messages`, async () => {
      const users: Array<{ userId: string; sessionIds: string[] }> = [];
      for (let index = 0; index < USERS; index += 1) {
        const userId = await createUser(`crowd${index}`);
        const sessionIds: string[] = [];
        for (let session = 0; session < SESSIONS_PER_USER; session += 1) {
          sessionIds.push(
            await ownerInsert(
              `INSERT INTO sessions (user_id, type, name, updated_at) VALUES ($1, 'TEXT', 'crowd', now()) RETURNING id`,
              [userId],
            ),
          );
        }
        users.push({ userId, sessionIds });
      }
      const runTag = randomUUID();

      interface Outcome {
        call: number;
        userId: string;
        ok: boolean;
        sawUsers: string[];
        sawSessions: string[];
        settingAfterInsert: string;
        insertedUser: string | undefined;
        backendPid: number | undefined;
        error?: string;
      }

      const started = Date.now();
      const outcomes = await Promise.all(
        Array.from({ length: CALLS }, async (_, call): Promise<Outcome> => {
          // Interleave users: neighbouring calls are always different users.
          const user = users[(call * 7) % USERS];
          if (!user) throw new Error("no user");
          const sessionId = user.sessionIds[call % SESSIONS_PER_USER];
          const outcome: Outcome = {
            call,
            userId: user.userId,
            ok: false,
            sawUsers: [],
            sawSessions: [],
            settingAfterInsert: "",
            insertedUser: undefined,
            backendPid: undefined,
          };
          try {
            await withUser(db, user.userId, async (tx) => {
              const sessions = await tx.$queryRawUnsafe<Array<{ id: string; user_id: string; pid: number }>>(
                `SELECT id, user_id, pg_backend_pid() AS pid FROM sessions`,
              );
              outcome.sawUsers = [...new Set(sessions.map((row) => row.user_id))];
              outcome.sawSessions = sessions.map((row) => row.id);
              outcome.backendPid = sessions[0]?.pid;
              const [row] = await tx.$queryRawUnsafe<Array<{ user_id: string; setting: string }>>(
                `INSERT INTO messages (session_id, user_id, text, author, updated_at)
                 VALUES ($1::uuid, $2, $3, 'USER', now())
                 RETURNING user_id, current_setting('app.user_id') AS setting`,
                sessionId,
                user.userId,
                `${runTag}:${call}`,
              );
              outcome.insertedUser = row?.user_id;
              outcome.settingAfterInsert = row?.setting ?? "";
              if (call % FAIL_EVERY === 4) throw new Error(`deliberate failure in call ${call}`);
              if (call % FAIL_EVERY === 7) {
                // A database-side failure: a forged row for the next user is refused.
                const victim = users[(call * 7 + 1) % USERS];
                await tx.$executeRawUnsafe(
                  `INSERT INTO messages (session_id, user_id, text, author, updated_at) VALUES ($1::uuid, $2, 'forged', 'USER', now())`,
                  victim?.sessionIds[0],
                  victim?.userId,
                );
              }
            });
            outcome.ok = true;
          } catch (error) {
            outcome.error = error instanceof Error ? error.message : String(error);
          }
          return outcome;
        }),
      );
      const elapsedMs = Date.now() - started;

      const succeeded = outcomes.filter((outcome) => outcome.ok);
      const failed = outcomes.filter((outcome) => !outcome.ok);
      const connections = new Set(outcomes.map((outcome) => outcome.backendPid)).size;
      console.log(
        `[scoped.int ${RUNTIME}] ${CALLS} concurrent withUser calls, ${USERS} users, pool max ${db.pool.options.max ?? 1}, ` +
          `${connections} distinct backends, ${succeeded.length} committed, ${failed.length} rolled back, ${elapsedMs} ms`,
      );

      // Every call saw exactly its own user's sessions, and its own user in the setting.
      for (const outcome of outcomes) {
        const user = users.find((entry) => entry.userId === outcome.userId);
        expect(outcome.sawUsers, `call ${outcome.call}`).toEqual([outcome.userId]);
        expect(sorted(outcome.sawSessions), `call ${outcome.call}`).toEqual(sorted(user?.sessionIds ?? []));
        expect(outcome.insertedUser, `call ${outcome.call}`).toBe(outcome.userId);
        expect(outcome.settingAfterInsert, `call ${outcome.call}`).toBe(outcome.userId);
      }

      // The deliberate failures, and only they, failed, for the reason intended.
      const expectedFailures = outcomes.filter(
        (outcome) => outcome.call % FAIL_EVERY === 4 || outcome.call % FAIL_EVERY === 7,
      );
      expect(failed.map((outcome) => outcome.call)).toEqual(expectedFailures.map((outcome) => outcome.call));
      for (const outcome of failed) {
        expect(outcome.error ?? "").toMatch(outcome.call % FAIL_EVERY === 4 ? /deliberate failure/ : RLS_VIOLATION);
      }
      expect(succeeded.length).toBe(CALLS - expectedFailures.length);
      expect(failed.length).toBeGreaterThan(0);

      // Every committed message is there under the right user and in that user's session; no rolled-back one is.
      const stored = await db.pool.query<{ text: string; user_id: string; session_owner: string }>(
        `SELECT m.text, m.user_id, s.user_id AS session_owner FROM messages m JOIN sessions s ON s.id = m.session_id WHERE m.text LIKE $1`,
        [`${runTag}:%`],
      );
      const byCall = new Map(stored.rows.map((row) => [Number(row.text.slice(runTag.length + 1)), row]));
      expect(stored.rows.length).toBe(succeeded.length);
      for (const outcome of succeeded) {
        const row = byCall.get(outcome.call);
        expect(row, `call ${outcome.call}`).toEqual({
          text: `${runTag}:${outcome.call}`,
          user_id: outcome.userId,
          session_owner: outcome.userId,
        });
      }
      for (const outcome of failed) expect(byCall.has(outcome.call), `call ${outcome.call}`).toBe(false);
      const forged = await db.pool.query(`SELECT 1 FROM messages WHERE text = 'forged'`);
      expect(forged.rowCount).toBe(0);

      // And the pool is clean afterwards.
      const owner = await ownerRole();
      for (const connection of await everyPooledConnection()) {
        expect(connection.user).toBe(owner);
        expect(connection.setting ?? "").toBe("");
      }
    });
  });

  describe("round trips", () => {
    it("sends a scope's settings with its BEGIN: BEGIN, the query and COMMIT are three round trips", async () => {
      let rows: RoleRow[] = [];
      const sent = await wireMessagesDuring(async () => {
        rows = await withUser(
          db,
          bob.userId,
          (tx) =>
            tx.$queryRaw<RoleRow[]>`SELECT current_user AS "user", current_setting('app.user_id', true) AS setting`,
        );
      });
      expect(rows[0]).toMatchObject({ user: APP_ROLE, setting: bob.userId });
      expect(sent).toHaveLength(3);
      expect(sent[0]).toMatch(
        /^BEGIN; SELECT set_config\('role', 'lockstep_app', true\), set_config\('app.user_id', '/,
      );
      expect(sent[2]).toBe("COMMIT");
    });
  });

  describe("read scope", () => {
    it("reads only the person's rows: on PostgreSQL each statement in one round trip, on PGlite prepared", async () => {
      let seen: Array<{ user_id: string }> = [];
      const read = () =>
        readAsUser(
          db,
          bob.userId,
          (tx) => tx.$queryRaw<Array<{ user_id: string }>>`SELECT user_id FROM sessions WHERE ${true}::boolean`,
        );
      const sent = await wireMessagesDuring(async () => {
        seen = await read();
      });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((row) => row.user_id === bob.userId)).toBe(true);
      if (db.runtime === "postgres") {
        expect(sent).toHaveLength(1);
        expect(sent[0]).toMatch(/^BEGIN READ ONLY; SELECT set_config\('role', 'lockstep_app', true\)/);
        expect(sent[0]).toMatch(/; COMMIT$/);
      } else {
        expect(sent).toHaveLength(3);
        expect(sent[0]).toMatch(/^BEGIN READ ONLY; SELECT set_config\('role', 'lockstep_app', true\)/);
        expect(sent[1]).toBe("(extended query)");
        expect(sent[2]).toBe("COMMIT");
        // Read again, the statement is the one prepared the first time, and still sees only the person's rows.
        const again = await read();
        expect(again.map((row) => row.user_id).sort()).toEqual(seen.map((row) => row.user_id).sort());
        const prepared = await db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1",
          ["SELECT user_id FROM sessions WHERE $1::boolean"],
        );
        expect(prepared.rows[0]?.n).toBe(1);
        // A statement without parameters cannot be prepared under a name: it goes as one message.
        const unnamed = await wireMessagesDuring(() =>
          readAsUser(db, bob.userId, (tx) => tx.$queryRaw<Array<{ user_id: string }>>`SELECT user_id FROM sessions`),
        );
        expect(unnamed).toHaveLength(1);
        expect(unnamed[0]).toMatch(/; SELECT user_id FROM sessions; COMMIT$/);
      }
    });

    it("writes values in as literals that read back exactly as parameters would", async () => {
      const text = `it's a "test" with \\ backslashes, 'quotes', $1 and ünïcødé 🎉`;
      const when = new Date("2026-12-06T10:11:12.345Z");
      const [row] = await readAsUser(
        db,
        bob.userId,
        (tx) =>
          tx.$queryRaw<Array<{ t: string; d: Date; b: boolean; a: string[]; n: number; z: string | null; u: string }>>`
          SELECT ${text}::text AS t, ${when}::timestamptz AS d, ${true}::boolean AS b, ${["x", "y'z"]}::text[] AS a,
                 ${42}::int AS n, ${null}::text AS z, ${bob.userId} AS u`,
      );
      expect(row).toEqual({ t: text, d: when, b: true, a: ["x", "y'z"], n: 42, z: null, u: bob.userId });
    });

    it("refuses a NUL character before anything is sent, and refuses writes", async () => {
      await expect(readAsUser(db, bob.userId, (tx) => tx.$queryRaw`SELECT ${"a\u0000b"}::text`)).rejects.toThrow(/NUL/);
      await expect(
        readAsUser(
          db,
          bob.userId,
          (tx) => tx.$queryRaw`UPDATE sessions SET name = 'x' WHERE user_id = ${bob.userId} RETURNING id`,
        ),
      ).rejects.toThrow(/read-only transaction/);
    });

    it("leaves the pool clean after a statement that fails", async () => {
      await expect(readAsUser(db, bob.userId, (tx) => tx.$queryRaw`SELECT 1 / ${0}::int`)).rejects.toThrow(
        /division by zero/,
      );
      const owner = await ownerRole();
      for (const connection of await everyPooledConnection()) {
        expect(connection.user).toBe(owner);
        expect(connection.setting ?? "").toBe("");
      }
    });
  });
});
