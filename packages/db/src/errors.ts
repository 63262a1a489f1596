// Classifies database errors for callers that decide what to do next: retry a transient failure, report a unique-key clash as a conflict.
import { Prisma } from "./generated/prisma/client.ts";

const TRANSIENT_KINDS = new Set([
  "TransactionWriteConflict",
  "TooManyConnections",
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
]);
// P1001/P1002: server unreachable or timed out; P1008: operation timeout; P1017: server closed the
// connection; P2024: pool timeout; P2028: transaction API error (expired, closed); P2034: write
// conflict or deadlock.
const TRANSIENT_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2034"]);
const TRANSIENT_NODE_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "ENOTFOUND"]);
const TRANSIENT_MESSAGE =
  /Connection terminated|connection (?:is )?closed|Client has encountered a connection error|timeout exceeded when trying to connect|terminating connection/i;

/** SQLSTATE classes that mean "try again": connection exceptions, serialization failures, deadlocks, server restarts, no free connection. */
function isTransientSqlState(code: string): boolean {
  return code.startsWith("08") || ["40001", "40P01", "53300", "57P01", "57P02", "57P03"].includes(code);
}

/**
 * Whether an error from a query is worth retrying: the connection dropped, the server restarted,
 * the pool was exhausted, or the transaction lost a serialization race. Walks causes and Prisma's
 * wrapped driver errors, since the same failure reaches callers in several wrappings.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): boolean => {
    if (value === null || typeof value !== "object" || seen.has(value) || depth > 6) return false;
    seen.add(value);
    const e = value as {
      code?: unknown;
      kind?: unknown;
      originalCode?: unknown;
      message?: unknown;
      cause?: unknown;
      meta?: unknown;
    };
    if (typeof e.kind === "string" && TRANSIENT_KINDS.has(e.kind)) return true;
    if (typeof e.code === "string") {
      if (TRANSIENT_PRISMA_CODES.has(e.code) || TRANSIENT_NODE_CODES.has(e.code)) return true;
      if (/^[0-9A-Z]{5}$/.test(e.code) && isTransientSqlState(e.code)) return true;
    }
    if (typeof e.originalCode === "string" && isTransientSqlState(e.originalCode)) return true;
    if (typeof e.message === "string" && TRANSIENT_MESSAGE.test(e.message)) return true;
    const meta = e.meta as { driverAdapterError?: unknown } | undefined;
    return visit(e.cause, depth + 1) || visit(meta?.driverAdapterError, depth + 1) || visit(meta, depth + 1);
  };
  return visit(error, 0);
}

/**
 * Whether an error is a unique-constraint violation (Prisma's P2002, or PostgreSQL's 23505 from raw
 * SQL). Callers turn it into a conflict naming the field rather than an internal error.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  return (error as { code?: unknown } | null)?.code === "23505";
}
