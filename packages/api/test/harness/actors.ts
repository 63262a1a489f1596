// Who calls: anonymous, a plain user or an admin, as inner contexts the HTTP host would build, with real users in the test database.
import { randomUUID } from "node:crypto";
import type { Database } from "@lockstep/db";
import type { InnerContext, ServerInfo, SessionUser } from "../../src/context.ts";
import { type InsertUserOptions, insertUser } from "../testing/callers.ts";

export type ActorKind = "anonymous" | "user" | "admin";
export const ACTOR_KINDS: readonly ActorKind[] = ["anonymous", "user", "admin"];

export interface Actor {
  kind: ActorKind;
  user: SessionUser | null;
}

/**
 * Where the harness gets its callers. `fresh` asks for a user no other call shares, for calls that
 * may delete, disable or demote the caller; shared ones are cheaper for calls that cannot.
 */
export interface ActorSource {
  actor(kind: ActorKind, options?: { fresh?: boolean }): Promise<Actor>;
  /** A context for one call; each call gets its own request id, as each HTTP request does. */
  context(actor: Actor): InnerContext;
}

let requestCounter = 0;

export function nextRequestId(): string {
  requestCounter += 1;
  return `harness-${requestCounter}-${randomUUID().slice(0, 8)}`;
}

/** What insertUser needs for a harness person: signed in (an auth session), named after `label`. */
export function harnessPerson(role: "user" | "admin", label = "Harness"): InsertUserOptions {
  const id = randomUUID();
  return {
    id,
    role,
    email: `${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${id.slice(0, 8)}@example.test`,
    name: `${label} ${role} ${id.slice(0, 4)}`,
    emailVerified: true,
    withAuthSession: true,
  };
}

/** Is this user still there, enabled and in the role they had (a mutation may have changed that)? */
export async function stillIntact(db: Database, user: SessionUser | null): Promise<boolean> {
  if (!user) return true;
  const result = await db.pool.query<{ role: string; disabled: boolean }>(
    `SELECT role::text AS role, disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1`,
    [user.id],
  );
  const row = result.rows[0];
  return row !== undefined && !row.disabled && row.role === (user.role === "admin" ? "ADMIN" : "USER");
}

/** What the health procedure compares against; tests pass the real list (migrationsOnDisk). */
export function harnessServerInfo(expectedMigrations: readonly string[] = []): ServerInfo {
  return { version: "harness", expectedMigrations };
}

/** Context fields beyond the basics, e.g. the AI runtime for procedures that make model calls. */
export type ExtraContext = Partial<Omit<InnerContext, "db" | "server" | "user" | "requestMeta">>;

export function contextFor(
  db: Database,
  server: ServerInfo,
  user: SessionUser | null,
  extra: ExtraContext = {},
): InnerContext {
  return {
    ...extra,
    db,
    server,
    user,
    requestMeta: { requestId: nextRequestId(), ip: "127.0.0.1", userAgent: "lockstep-harness" },
  };
}

/** Actors backed by users inserted into `db`: shared ones made once, fresh ones made on demand. */
export function databaseActors(
  db: Database,
  server: ServerInfo,
  extra: ExtraContext = {},
): ActorSource & { created(): number } {
  const shared = new Map<ActorKind, Promise<Actor>>();
  let created = 0;
  const make = async (kind: ActorKind): Promise<Actor> => {
    if (kind === "anonymous") return { kind, user: null };
    created += 1;
    return { kind, user: await insertUser(db, harnessPerson(kind)) };
  };
  return {
    actor(kind, options = {}) {
      if (kind === "anonymous") return Promise.resolve({ kind, user: null });
      if (options.fresh) return make(kind);
      let actor = shared.get(kind);
      if (!actor) {
        actor = make(kind);
        shared.set(kind, actor);
      }
      return actor;
    },
    context: (actor) => contextFor(db, server, actor.user, extra),
    created: () => created,
  };
}

/**
 * Actors for routers that never touch the database (the harness's own unit tests): the users exist
 * only in the context, which is all the auth middleware looks at.
 */
export function offlineActors(): ActorSource {
  const fake = {} as Database;
  const server = harnessServerInfo();
  return {
    actor(kind) {
      if (kind === "anonymous") return Promise.resolve({ kind, user: null });
      const id = randomUUID();
      return Promise.resolve({
        kind,
        user: {
          id,
          email: `${kind}-${id.slice(0, 8)}@example.test`,
          name: `Offline ${kind}`,
          role: kind,
          authSessionId: null,
        },
      });
    },
    context: (actor) => contextFor(fake, server, actor.user),
  };
}
