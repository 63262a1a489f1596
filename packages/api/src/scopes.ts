// What procedures use to reach the database: an anonymous scope (the application with no user:
// shared catalogues and the health check), a user scope (row-level security as that user) and, for operators, an admin scope whose every change is written to the audit log with its before
// and after, in the same transaction as the change.
import type { Database, ScopedTx, ScopeOptions, SqlReader, SqlTx } from "@lockstep/db";
import {
  appliedMigrations,
  readAsUser,
  recordAudit,
  withAdmin,
  withAnonymous,
  withAnonymousSql,
  withUser,
  withUserSql,
} from "@lockstep/db";
import type { RequestMeta, SessionUser } from "./context.ts";

/** What anyone may read, signed in or not; never a user's own rows. */
export interface AnonymousScope {
  /** One short transaction as lockstep_app with no user: shared catalogues only. */
  run<T>(work: (tx: ScopedTx) => Promise<T>, options?: ScopeOptions): Promise<T>;
  /** The same, for work that is plain SQL: without Prisma's transaction machinery, much cheaper. */
  sql<T>(work: (tx: SqlTx) => Promise<T>, options?: ScopeOptions): Promise<T>;
  /**
   * The names of the applied migrations and which database runtime this is, for the health check:
   * migration history is no user data, but only the owner can read it, so this one read is lent.
   */
  migrations(): Promise<string[]>;
  readonly runtime: Database["runtime"];
}

export interface UserScope {
  readonly userId: string;
  /** One short transaction as this user. Never hold it across a model call. */
  run<T>(work: (tx: ScopedTx) => Promise<T>, options?: ScopeOptions): Promise<T>;
  /**
   * The same, for work that is plain SQL (the request path's reads and writes): the same row-level
   * security without Prisma's transaction machinery, which costs several times the SQL itself.
   */
  sql<T>(work: (tx: SqlTx) => Promise<T>, options?: ScopeOptions): Promise<T>;
  /**
   * Reads as this user, each statement one round trip with its own transaction (no shared
   * snapshot): for the request path's pages and lookups, whose later statements only follow up.
   */
  read<T>(work: (tx: SqlReader) => Promise<T>): Promise<T>;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export interface AdminScope {
  readonly actorId: string;
  /** Reads across users (BYPASSRLS); `what` names what was read, for the audit log. */
  read<T>(what: Omit<AuditEntry, "before" | "after">, work: (tx: ScopedTx) => Promise<T>): Promise<T>;
  /** A change plus its audit row, atomically; `work` returns the before and after it made. */
  change<T>(
    what: Omit<AuditEntry, "before" | "after">,
    work: (tx: ScopedTx) => Promise<{ result: T; before: unknown; after: unknown }>,
  ): Promise<T>;
  /**
   * A read-only look at the database as a whole (catalogs, migration history, counts of every
   * table), which no role below the owner can see; audited before it runs. Only for reports that
   * read nothing personal, such as db:verify.
   */
  inspect<T>(what: Omit<AuditEntry, "before" | "after">, work: (db: Database) => Promise<T>): Promise<T>;
}

export function anonymousScope(db: Database): AnonymousScope {
  return {
    run: (work, options) => withAnonymous(db, work, options),
    sql: (work, options) => withAnonymousSql(db, work, options),
    migrations: () => appliedMigrations(db),
    runtime: db.runtime,
  };
}

export function userScope(db: Database, user: SessionUser): UserScope {
  return {
    userId: user.id,
    run: (work, options) => withUser(db, user.id, work, options),
    sql: (work, options) => withUserSql(db, user.id, work, options),
    read: (work) => readAsUser(db, user.id, work),
  };
}

export function adminScope(db: Database, user: SessionUser, meta: RequestMeta): AdminScope {
  const writeAudit = (tx: ScopedTx, entry: AuditEntry) =>
    recordAudit(tx, { ...entry, actorId: user.id, ipAddress: meta.ip, requestId: meta.requestId });
  return {
    actorId: user.id,
    read: (what, work) =>
      withAdmin(db, async (tx) => {
        const result = await work(tx);
        await writeAudit(tx, { ...what, before: null, after: null });
        return result;
      }),
    change: (what, work) =>
      withAdmin(db, async (tx) => {
        const { result, before, after } = await work(tx);
        await writeAudit(tx, { ...what, before, after });
        return result;
      }),
    inspect: async (what, work) => {
      await withAdmin(db, (tx) => writeAudit(tx, { ...what, before: null, after: null }));
      return work(db);
    },
  };
}
