// Test helpers: people inserted into a test database, and tRPC callers acting as them, the way
// the HTTP host would build the context after reading a session cookie.
import { randomUUID } from "node:crypto";
import type { AiRuntime } from "@lockstep/ai";
import type { Database } from "@lockstep/db";
import type { RequestMeta, SessionUser } from "../context.ts";
import { createCaller } from "../root.ts";

export interface TestPerson extends SessionUser {
  caller: ReturnType<typeof createCaller>;
}

let counter = 0;

/** Inserts a user (as the owner) and returns a caller signed in as them. */
export async function createPerson(
  db: Database,
  options: { role?: "user" | "admin"; name?: string; ai?: AiRuntime } = {},
): Promise<TestPerson> {
  counter += 1;
  const id = `user-${randomUUID()}`;
  const email = `person${counter}-${id.slice(-8)}@example.com`;
  const name = options.name ?? `Person ${counter}`;
  const role = options.role ?? "user";
  await db.pool.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ($1, $2, $3, $4::"Role", now())`, [
    id,
    name,
    email,
    role.toUpperCase(),
  ]);
  const user: SessionUser = { id, email, name, role, authSessionId: null };
  return { ...user, caller: callerFor(db, user, options.ai) };
}

export function callerFor(db: Database, user: SessionUser | null, ai?: AiRuntime, meta: Partial<RequestMeta> = {}) {
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
