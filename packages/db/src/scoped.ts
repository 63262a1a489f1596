// Row-level-security scopes: every query the application makes on behalf of someone runs in one
// short transaction whose first statement assumes the lockstep_app role (or lockstep_admin for
// operators) and names the user in the transaction-local app.user_id. Both settings end with the
// transaction, so nothing leaks to the next borrower of a pooled connection.
import type { Database } from "./connection.ts";
import type { Prisma } from "./generated/prisma/client.ts";

/** The Prisma client inside a scoped transaction. */
export type ScopedTx = Prisma.TransactionClient;

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

/** Runs `work` as `userId`: it sees, inserts and changes only that user's rows. */
export function withUser<T>(
  db: Database,
  userId: string,
  work: (tx: ScopedTx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  if (!userId) throw new Error("withUser needs a user id");
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('role', ${APP_ROLE}, true), set_config('app.user_id', ${userId}, true)`;
    return work(tx);
  }, transactionOptions(options));
}

/** Runs `work` as the application with no user: shared catalogues only, no user-owned rows. */
export function withAnonymous<T>(
  db: Database,
  work: (tx: ScopedTx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('role', ${APP_ROLE}, true), set_config('app.user_id', '', true)`;
    return work(tx);
  }, transactionOptions(options));
}

/** Runs `work` as an operator (BYPASSRLS, mostly read-only grants); callers audit what they read. */
export function withAdmin<T>(db: Database, work: (tx: ScopedTx) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('role', ${ADMIN_ROLE}, true), set_config('app.user_id', '', true)`;
    return work(tx);
  }, transactionOptions(options));
}
