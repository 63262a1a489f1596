// Test helpers: people inserted into a test database, and tRPC callers acting as them, the way
// the HTTP host would build the context after reading a session cookie.
import { randomUUID } from "node:crypto";
import type { AiRuntime } from "@lockstep/ai";
import type { Database, DataSettingsDefaults } from "@lockstep/db";
import type { RequestMeta, SessionUser } from "../../src/context.ts";
import { createCaller } from "../../src/root.ts";

export interface TestPerson extends SessionUser {
  caller: ReturnType<typeof createCaller>;
}

let counter = 0;

export interface TestUser extends SessionUser {
  createdAt: Date;
}

export interface InsertUserOptions {
  id?: string;
  email?: string;
  name?: string;
  role?: "user" | "admin";
  createdAt?: Date;
  disabled?: boolean;
  emailVerified?: boolean;
  /** Also insert a live auth session for them, as a sign-in would. */
  withAuthSession?: boolean;
}

/** Inserts a user as the database owner (no auth flow: tests need no password hash). */
export async function insertUser(db: Database, options: InsertUserOptions = {}): Promise<TestUser> {
  const id = options.id ?? randomUUID();
  const email = options.email ?? `${id}@example.com`;
  const name = options.name ?? `Person ${id.slice(0, 8)}`;
  const role = options.role ?? "user";
  const createdAt = options.createdAt ?? new Date();
  const user = [
    id,
    name,
    email,
    options.emailVerified ?? false,
    role.toUpperCase(),
    options.disabled ? new Date() : null,
    createdAt,
  ];
  const insertUserRow = `INSERT INTO users (id, name, email, email_verified, role, disabled_at, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5::"Role", $6, $7, now()) RETURNING id`;
  if (!options.withAuthSession) {
    await db.pool.query(insertUserRow, user);
    return { id, email, name, role, authSessionId: null, createdAt };
  }
  const authSessionId = randomUUID();
  // One statement for both rows: the fuzzer's fresh users per call make this a hot path.
  await db.pool.query(
    `WITH u AS (${insertUserRow})
     INSERT INTO auth_sessions (id, user_id, token, expires_at, ip_address, user_agent, created_at, updated_at)
     SELECT $8, u.id, $9, now() + interval '1 day', '127.0.0.1', 'lockstep-harness', now(), now() FROM u`,
    [...user, authSessionId, randomUUID()],
  );
  return { id, email, name, role, authSessionId, createdAt };
}

/** Inserts a user (as the owner) and returns a caller signed in as them. */
export async function createPerson(
  db: Database,
  options: { role?: "user" | "admin"; name?: string; ai?: AiRuntime } = {},
): Promise<TestPerson> {
  counter += 1;
  const id = `user-${randomUUID()}`;
  const inserted = await insertUser(db, {
    id,
    email: `person${counter}-${id.slice(-8)}@example.com`,
    name: options.name ?? `Person ${counter}`,
    role: options.role,
  });
  const user: SessionUser = {
    id: inserted.id,
    email: inserted.email,
    name: inserted.name,
    role: inserted.role,
    authSessionId: null,
  };
  return { ...user, caller: callerFor(db, user, { ai: options.ai }) };
}

export interface CallerOptions extends Partial<RequestMeta> {
  ai?: AiRuntime;
  dataDefaults?: DataSettingsDefaults;
}

/** A caller acting as `user` (or anonymous), with the request metadata the host would have read. */
export function callerFor(db: Database, user: SessionUser | null, options: CallerOptions = {}) {
  const { ai, dataDefaults, ...meta } = options;
  return createCaller({
    db,
    user: user && {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      authSessionId: user.authSessionId,
    },
    ...(ai ? { ai } : {}),
    ...(dataDefaults ? { dataDefaults } : {}),
    server: { version: "test", expectedMigrations: [] },
    requestMeta: { requestId: `test-${randomUUID()}`, ip: "127.0.0.1", userAgent: "vitest", ...meta },
  });
}

/** What a TRPCError carries, for assertions on code and message. */
export async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string; cause: unknown }> {
  try {
    await promise;
  } catch (error) {
    const trpc = error as { code?: string; message?: string; cause?: unknown };
    return { code: trpc.code ?? "UNKNOWN", message: trpc.message ?? String(error), cause: trpc.cause };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
