// How knowledge code reaches the database: a Database (the owner, for the seed, the server's start-up and scripts), a transaction runner (a user's or operator's scope), or one open transaction.
import { type Database, inKnowledgeOwnerTransaction, type ScopedTx, withAnonymous } from "@lockstep/db";

/** What ingestion and embedding need: short read transactions, and one change transaction that may be audited. */
export interface KnowledgeWriteScope {
  read<T>(work: (tx: ScopedTx) => Promise<T>): Promise<T>;
  /** One transaction for the change; `before` and `after` are for an audit row, when the scope keeps one. */
  change<T>(work: (tx: ScopedTx) => Promise<{ result: T; before: unknown; after: unknown }>): Promise<T>;
}

/** Something that runs a transaction: the API's `ctx.userDb`, or an adapter over `ctx.adminDb.read`. */
export interface TransactionRunner {
  run<T>(work: (tx: ScopedTx) => Promise<T>): Promise<T>;
}

/** Search reads only: from a Database, a runner, or inside a transaction the caller already holds. */
export type KnowledgeReader = Database | TransactionRunner | ScopedTx;

function isDatabase(value: object): value is Database {
  return "prisma" in value && "pool" in value;
}

function isRunner(value: object): value is TransactionRunner {
  return typeof (value as Partial<TransactionRunner>).run === "function";
}

/**
 * Runs as the connection's own role, the owner, as the seed does: for console commands and the
 * server's start-up, which act for nobody in particular. Writes are not audited here; callers that
 * act for an operator use the admin scope, which is.
 */
export function ownerKnowledgeScope(db: Database): KnowledgeWriteScope {
  return {
    read: (work) => inKnowledgeOwnerTransaction(db, work),
    change: (work) => inKnowledgeOwnerTransaction(db, async (tx) => (await work(tx)).result),
  };
}

export function toWriteScope(db: Database | KnowledgeWriteScope): KnowledgeWriteScope {
  return isDatabase(db) ? ownerKnowledgeScope(db) : db;
}

/**
 * Runs `work` in a transaction of the reader. A Database is read as lockstep_app with no user,
 * because knowledge chunks are a shared catalogue that role may read, and nothing more is needed.
 */
export async function runRead<T>(reader: KnowledgeReader, work: (tx: ScopedTx) => Promise<T>): Promise<T> {
  if (isDatabase(reader)) return withAnonymous(reader, work);
  if (isRunner(reader)) return reader.run(work);
  // Already inside the caller's transaction: SET LOCAL settings then last until it ends.
  return work(reader);
}
