// Row-level-security scopes: every query the application makes on behalf of someone runs in one
// short transaction whose first statement assumes the lockstep_app role (or lockstep_admin for
// operators) and names the user in the transaction-local app.user_id. Both settings end with the
// transaction, so nothing leaks to the next borrower of a pooled connection. The settings travel
// with the transaction's BEGIN, in the same round trip (carryScopeWithBegin), not as a statement
// of their own.
import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import type { Database } from "./connection.ts";
import type { Prisma } from "./generated/prisma/client.ts";
import { pgQueryOf, refuseNul, rowTypes, statementWithLiterals } from "./statements.ts";

/** The Prisma client inside a scoped transaction. */
export type ScopedTx = Prisma.TransactionClient;

/**
 * The part of a scoped transaction that plain SQL needs. Repositories written against it run in
 * either kind of scope: Prisma's (ScopedTx) or the lean one, straight on a pooled connection.
 */
export type SqlTx = Pick<ScopedTx, "$queryRaw" | "$executeRaw" | "$queryRawUnsafe" | "$executeRawUnsafe">;

/** What reads need: repositories that only read take this, so they also run in a read scope. */
export type SqlReader = Pick<SqlTx, "$queryRaw">;

export const APP_ROLE = "lockstep_app";
export const ADMIN_ROLE = "lockstep_admin";

export interface ScopeOptions {
  /** Longest the transaction may run; keep it short, and never hold one across a model call. */
  timeoutMs?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function transactionOptions(options: ScopeOptions) {
  return {
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxWait: 10_000,
    ...(options.isolationLevel ? { isolationLevel: options.isolationLevel } : {}),
  };
}

/** The settings a scoped transaction starts with; `applied` once its BEGIN carried them. */
interface PendingScope {
  role: string;
  userId: string;
  applied: boolean;
}

/** The scope whose transaction is being opened in this async context. */
const openingScope = new AsyncLocalStorage<PendingScope>();

/**
 * Makes the pool's connections send a scoped transaction's settings with its BEGIN, as one
 * simple-protocol message ("BEGIN; SELECT set_config(...)"), saving a round trip per request.
 * Only a BEGIN sent while a scope is being opened is rewritten, and only once.
 */
export function carryScopeWithBegin(pool: pg.Pool): void {
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const config = args[0] as { text?: unknown } | null;
      const scope = openingScope.getStore();
      if (scope && !scope.applied && config && typeof config === "object" && config.text === "BEGIN") {
        scope.applied = true;
        const settings = `SELECT set_config('role', ${client.escapeLiteral(scope.role)}, true), set_config('app.user_id', ${client.escapeLiteral(scope.userId)}, true)`;
        return query({ ...config, text: `BEGIN; ${settings}` }, ...args.slice(1));
      }
      return query(...args);
    };
  });
}

function scoped<T>(
  db: Database,
  role: string,
  userId: string,
  work: (tx: ScopedTx) => Promise<T>,
  options: ScopeOptions,
): Promise<T> {
  const scope: PendingScope = { role, userId, applied: false };
  return openingScope.run(scope, () =>
    db.prisma.$transaction(async (tx) => {
      // A pool without carryScopeWithBegin (or a BEGIN sent some other way): set them here instead.
      if (!scope.applied) {
        scope.applied = true;
        await tx.$executeRaw`SELECT set_config('role', ${role}, true), set_config('app.user_id', ${userId}, true)`;
      }
      return work(tx);
    }, transactionOptions(options)),
  );
}

/** SqlTx on one pooled connection: the same statements and the same row values as Prisma's raw queries. */
function sqlTxOn(client: pg.PoolClient): SqlTx {
  const rows = async (first: TemplateStringsArray | Prisma.Sql | string, values: unknown[]) =>
    (await client.query(pgQueryOf(first, values))).rows;
  const count = async (first: TemplateStringsArray | Prisma.Sql | string, values: unknown[]) =>
    (await client.query(pgQueryOf(first, values))).rowCount ?? 0;
  const tx = {
    $queryRaw: (first: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => rows(first, values),
    $executeRaw: (first: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => count(first, values),
    $queryRawUnsafe: (text: string, ...values: unknown[]) => rows(text, values),
    $executeRawUnsafe: (text: string, ...values: unknown[]) => count(text, values),
  };
  // Callers only await these; Prisma's lazy PrismaPromise adds nothing they use.
  return tx as unknown as SqlTx;
}

/** The SELECT that puts a scope's role, user and statement timeout in force until its transaction ends. */
function scopeSettings(client: pg.PoolClient, role: string, userId: string, timeoutMs: number): string {
  return `SELECT set_config('role', ${client.escapeLiteral(role)}, true), set_config('app.user_id', ${client.escapeLiteral(userId)}, true), set_config('statement_timeout', ${client.escapeLiteral(String(timeoutMs))}, true)`;
}

/**
 * Runs `use` on a pooled connection. When it fails, the transaction it left open (and aborted) is
 * rolled back before the connection is lent again; a connection that cannot even roll back is
 * dropped from the pool instead.
 */
async function onPooledConnection<T>(db: Database, use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  let broken: Error | undefined;
  try {
    return await use(client);
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * The lean scope: BEGIN with the scope's settings (one round trip), the work's statements, COMMIT,
 * on a connection of the pool, without Prisma's transaction machinery, which costs several times
 * the SQL itself on a short request. The statement timeout stands in for Prisma's transaction timeout.
 */
async function sqlScoped<T>(
  db: Database,
  role: string,
  userId: string,
  work: (tx: SqlTx) => Promise<T>,
  options: ScopeOptions,
): Promise<T> {
  return onPooledConnection(db, async (client) => {
    const level = options.isolationLevel ? ` ISOLATION LEVEL ${ISOLATION_SQL[options.isolationLevel]}` : "";
    await client.query(
      `BEGIN${level}; ${scopeSettings(client, role, userId, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)}`,
    );
    const result = await work(sqlTxOn(client));
    await client.query("COMMIT");
    return result;
  });
}

const ISOLATION_SQL: Record<Prisma.TransactionIsolationLevel, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};

/**
 * The read scope: each statement is one round trip, sent as one message with its own transaction:
 * "BEGIN READ ONLY; SELECT set_config(...); <statement>; COMMIT", the statement's values written in
 * as quoted literals (exactly the text node-postgres would send as parameters, so PostgreSQL infers
 * their types the same way). Statements of one read scope do not share a snapshot: for reads whose
 * later statements only follow up on earlier ones (an empty page: is there such a session?).
 *
 * On the embedded database a statement with parameters is instead BEGIN READ ONLY with the
 * settings, the statement prepared, and COMMIT. PGlite runs in this process, so a round trip costs
 * little, while planning costs much (every relation's size is an fstat through Node's file
 * system): a page of messages took 3.0 ms as one message and 2.2 ms prepared, planned once per
 * statement text.
 */
async function readScoped<T>(
  db: Database,
  role: string,
  userId: string,
  work: (tx: SqlReader) => Promise<T>,
): Promise<T> {
  const readInOneMessage = (first: TemplateStringsArray | Prisma.Sql, values: unknown[]) =>
    onPooledConnection(db, async (client) => {
      const statement = statementWithLiterals(first, values, (text) => client.escapeLiteral(text));
      const results = (await client.query({
        text: `BEGIN READ ONLY; ${scopeSettings(client, role, userId, DEFAULT_TIMEOUT_MS)}; ${statement}; COMMIT`,
        types: rowTypes,
      })) as unknown as pg.QueryResult[];
      return results[2]?.rows ?? [];
    });
  const readPrepared = async (statement: pg.QueryConfig) => {
    refuseNul(statement.values ?? []);
    return onPooledConnection(db, async (client) => {
      await client.query(`BEGIN READ ONLY; ${scopeSettings(client, role, userId, DEFAULT_TIMEOUT_MS)}`);
      const { rows } = await client.query(statement);
      await client.query("COMMIT");
      return rows;
    });
  };
  const read = (first: TemplateStringsArray | Prisma.Sql, values: unknown[]) => {
    if (db.runtime === "pglite") {
      const statement = pgQueryOf(first, values);
      // Only a statement with parameters is named, and so prepared; one without gains nothing from
      // three messages and goes as one.
      if (statement.name) return readPrepared(statement);
    }
    return readInOneMessage(first, values);
  };
  const reader = { $queryRaw: (first: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => read(first, values) };
  return work(reader as unknown as SqlReader);
}

/** withUser for reads (SqlReader): each statement one round trip, under the same row-level security. */
export function readAsUser<T>(db: Database, userId: string, work: (tx: SqlReader) => Promise<T>): Promise<T> {
  if (!userId) throw new Error("readAsUser needs a user id");
  return readScoped(db, APP_ROLE, userId, work);
}

/** withUser for work that is plain SQL (SqlTx): the same row-level security, a fraction of the overhead. */
export function withUserSql<T>(
  db: Database,
  userId: string,
  work: (tx: SqlTx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  if (!userId) throw new Error("withUserSql needs a user id");
  return sqlScoped(db, APP_ROLE, userId, work, options);
}

/** withAnonymous for work that is plain SQL (SqlTx). */
export function withAnonymousSql<T>(
  db: Database,
  work: (tx: SqlTx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  return sqlScoped(db, APP_ROLE, "", work, options);
}

/** Runs `work` as `userId`: it sees, inserts and changes only that user's rows. */
export function withUser<T>(
  db: Database,
  userId: string,
  work: (tx: ScopedTx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  if (!userId) throw new Error("withUser needs a user id");
  return scoped(db, APP_ROLE, userId, work, options);
}

/** Runs `work` as the application with no user: shared catalogues only, no user-owned rows. */
export function withAnonymous<T>(
  db: Database,
  work: (tx: ScopedTx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  return scoped(db, APP_ROLE, "", work, options);
}

/** Runs `work` as an operator (BYPASSRLS, mostly read-only grants); callers audit what they read. */
export function withAdmin<T>(db: Database, work: (tx: ScopedTx) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
  return scoped(db, ADMIN_ROLE, "", work, options);
}
