// Request context, split in two: the inner context is what procedures see and what tests build
// directly for createCaller; the outer one is derived from an HTTP request by the host.
import type { Database } from "@lockstep/db";

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

export interface InnerContext {
  db: Database;
  server: ServerInfo;
  requestMeta: RequestMeta;
}

export function createInnerContext(options: InnerContext): InnerContext {
  return options;
}
