// Test helpers for the host over real HTTP: a built app listening on a free port, and "browsers"
// that keep their own cookies and send what a browser sends (Origin on writes, a client IP).
import { randomInt, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type Auth, type AuthConfig, appRouter, createAuth } from "@lockstep/api";
import { migrationsOnDisk } from "@lockstep/db";
import type { TestDatabase } from "@lockstep/db/testing";
import type { FastifyInstance } from "fastify";
import { type BuildAppOptions, buildApp } from "../app.ts";

export const TEST_SECRET = "lockstep-http-test-secret-0123456789abcdef";
export const PASSWORD = "correct horse battery staple";

export interface TestServer {
  app: FastifyInstance;
  /** The server's Better Auth instance (tests count its session lookups). */
  auth: Auth;
  /** http://127.0.0.1:<port>, which is also the app's own origin. */
  url: string;
  close(): Promise<void>;
}

export interface StartServerOptions {
  db: TestDatabase;
  /** Overrides for createAuth (baseURL, limiter sizes); trustedOrigins follow `trustedOrigins` below. */
  auth?: Partial<Omit<AuthConfig, "db" | "secret" | "trustedOrigins">>;
  trustedOrigins?: string[];
  trustProxy?: BuildAppOptions["trustProxy"];
  bodyLimit?: number;
  logger?: BuildAppOptions["logger"];
  /** The AI layer (OCR, analysis); without it those answer SERVICE_UNAVAILABLE. */
  ai?: BuildAppOptions["ai"];
  /** Screenshot storage; a test should give its own (a temporary directory). */
  storage?: BuildAppOptions["storage"];
}

/** Builds the app as main.ts does (minus static apps) and listens on 127.0.0.1, port chosen by the OS. */
export async function startServer(options: StartServerOptions): Promise<TestServer> {
  const trustedOrigins = options.trustedOrigins ?? [];
  const auth = createAuth({ db: options.db, secret: TEST_SECRET, trustedOrigins, ...options.auth });
  const app = await buildApp({
    db: options.db,
    auth,
    trustedOrigins,
    trustProxy: options.trustProxy ?? false,
    server: { version: "0.0.0-test", expectedMigrations: await migrationsOnDisk() },
    bodyLimit: options.bodyLimit ?? 16 * 1024,
    logger: options.logger ?? false,
    ...(options.ai ? { ai: options.ai } : {}),
    ...(options.storage ? { storage: options.storage } : {}),
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, auth, url, close: () => app.close() };
}

/** A fresh address per browser, so Better Auth's per-IP limiter (process-wide) never mixes tests. */
let ipCounter = randomInt(1, 200) * 256;
export function freshIp(): string {
  ipCounter += 1;
  return `10.${randomInt(0, 256)}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export function freshEmail(label = "person"): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; valueless ones (HttpOnly, Secure) map to "". */
  attributes: Map<string, string>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...rest] = header.split(";");
  const eq = pair.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const index = part.indexOf("=");
    const name = (index === -1 ? part : part.slice(0, index)).trim().toLowerCase();
    if (name) attributes.set(name, index === -1 ? "" : part.slice(index + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

export interface BrowserOptions {
  /** What Origin to send on non-GET requests: the site's own by default, null for none. */
  origin?: string | null;
  /** Sent as X-Forwarded-For (only believed by servers built with trustProxy). */
  ip?: string;
}

/** One browser profile: its own cookie jar, same-origin by default, like fetch from the web app. */
export class Browser {
  readonly jar = new Map<string, string>();
  /** Every Set-Cookie header seen, newest last, for attribute checks. */
  readonly setCookies: SetCookie[] = [];
  origin: string | null;
  ip: string | undefined;

  constructor(
    readonly baseUrl: string,
    options: BrowserOptions = {},
  ) {
    this.origin = options.origin === undefined ? new URL(baseUrl).origin : options.origin;
    this.ip = options.ip;
  }

  get cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const method = (init.method ?? "GET").toUpperCase();
    if (this.jar.size && !headers.has("cookie")) headers.set("cookie", this.cookieHeader);
    // Browsers send Origin on every non-GET fetch, and Better Auth insists on it.
    if (method !== "GET" && method !== "HEAD" && this.origin && !headers.has("origin"))
      headers.set("origin", this.origin);
    if (this.ip && !headers.has("x-forwarded-for")) headers.set("x-forwarded-for", this.ip);
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers });
    this.store(response);
    return response;
  }

  postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  }

  signUp(email: string, password = PASSWORD, name = "Test Person"): Promise<Response> {
    return this.postJson("/api/auth/sign-up/email", { email, password, name });
  }

  signIn(email: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<Response> {
    return this.postJson("/api/auth/sign-in/email", { email, password }, headers);
  }

  signOut(): Promise<Response> {
    // Better Auth's client posts an empty JSON object here.
    return this.postJson("/api/auth/sign-out", {});
  }

  /** Better Auth's own view of the cookie: the session's user, or null. */
  async session(): Promise<{ user: { id: string; email: string } } | null> {
    const response = await this.fetch("/api/auth/get-session");
    if (response.status !== 200) throw new Error(`get-session answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { user: { id: string; email: string } } | null;
  }

  /** A tRPC query over plain GET, answered as { status, body }. */
  async query(path: string, input?: unknown): Promise<{ status: number; body: TrpcBody }> {
    const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const response = await this.fetch(`/trpc/${path}${search}`);
    return { status: response.status, body: (await response.json()) as TrpcBody };
  }

  private store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(header);
      this.setCookies.push(cookie);
      const maxAge = cookie.attributes.get("max-age");
      const expires = cookie.attributes.get("expires");
      const expired =
        (maxAge !== undefined && Number(maxAge) <= 0) ||
        (expires !== undefined && Date.parse(expires) <= Date.now()) ||
        cookie.value === "";
      if (expired) this.jar.delete(cookie.name);
      else this.jar.set(cookie.name, cookie.value);
    }
  }
}

export interface TrpcBody {
  result?: { data: unknown };
  error?: { message: string; data: { code: string; httpStatus: number; appCode?: string } };
}

/** Whether the router (being extended by others) has this procedure yet. */
export function hasProcedure(path: string): boolean {
  return Object.hasOwn(appRouter._def.procedures, path);
}

/** Row counts that a refused request must leave alone. */
export async function countRows(db: TestDatabase): Promise<{ users: number; accounts: number; authSessions: number }> {
  const { rows } = await db.pool.query<{ users: string; accounts: string; auth_sessions: string }>(
    `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM accounts) AS accounts,
            (SELECT count(*) FROM auth_sessions) AS auth_sessions`,
  );
  const row = rows[0];
  if (!row) throw new Error("count query returned no row");
  return { users: Number(row.users), accounts: Number(row.accounts), authSessions: Number(row.auth_sessions) };
}
