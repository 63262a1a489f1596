// Request context, split in two: the inner context is what procedures see and what tests build
// directly for createCaller; the host derives it from an HTTP request (cookie, client IP, id).
import type { AiRuntime } from "@lockstep/ai";
import type { TRole } from "@lockstep/contracts";
import type { Database, DataSettingsDefaults } from "@lockstep/db";

export interface RequestMeta {
  requestId: string;
  /** The client's address as the host determined it (proxy headers only from trusted proxies). */
  ip: string | null;
  userAgent: string | null;
}

export interface ServerInfo {
  version: string;
  /** Migration names shipped with this build, for the health check. */
  expectedMigrations: readonly string[];
}

/** The signed-in person, as the session cookie proved. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: TRole;
  /** The auth session (cookie) this request came with, so it can be told apart in a list. */
  authSessionId: string | null;
}

/** Who is signed in, or how to find out: the host resolves the session only for procedures that need a user. */
export type UserSource = SessionUser | null | (() => Promise<SessionUser | null>);

/** What an account change tells the host's session cache, so the change takes effect on the next request. */
export interface SessionInvalidation {
  forgetUser(userId: string): void;
}

export interface InnerContext {
  db: Database;
  server: ServerInfo;
  requestMeta: RequestMeta;
  user: UserSource;
  /** The host's session cache, told about disabled, demoted and deleted accounts; absent in tests of the API alone. */
  sessions?: SessionInvalidation;
  /** The AI layer; absent in contexts that make no model calls (some tests, operator scripts). */
  ai?: AiRuntime;
  /** The configured data settings (AI_LOG_RETENTION_DAYS) shown before operators save their own; default 90 days. */
  dataDefaults?: DataSettingsDefaults;
}

/** The parts of an HTTP request the metadata comes from; Fastify's request has them, as may any host's. */
export interface RequestLike {
  id: string;
  ip?: string | null;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The request metadata every entry point (tRPC, uploads, exports) hands to services and the audit
 * log, built one way: the host's request id, the client address it determined, the user agent.
 */
export function requestMetaOf(request: RequestLike): RequestMeta {
  const userAgent = request.headers["user-agent"];
  return {
    requestId: request.id,
    ip: request.ip ?? null,
    userAgent: (Array.isArray(userAgent) ? userAgent[0] : userAgent) ?? null,
  };
}

export function createInnerContext(options: InnerContext): InnerContext {
  return options;
}
