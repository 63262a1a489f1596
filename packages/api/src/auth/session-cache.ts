// Who a request's session cookie belongs to, looked up through Better Auth once and then remembered
// in this process for a few seconds, so the common request costs no session lookup at all. Whatever
// ends or changes a session or an account here (sign-out, revocation, a password change, an admin
// disabling, demoting or deleting someone) forgets the affected entries at once; other processes
// notice within SESSION_CACHE_TTL_MS, the longest a cached answer is ever used.
import type { SessionUser } from "../context.ts";
import { type Auth, resolveSessionUser } from "./auth.ts";

/** How long a looked-up session is trusted without asking the database again (README: "Sessions"). */
export const SESSION_CACHE_TTL_MS = 5_000;
/** Entries kept at most; the oldest go first. */
const MAX_ENTRIES = 10_000;
/** Better Auth's session cookie under the prefix createAuth sets, with __Secure- on HTTPS. */
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?lockstep\.session_token=([^;]*)/;

interface Entry {
  user: Promise<SessionUser | null>;
  /** Epoch ms after which the entry is looked up again. */
  until: number;
  /** Whose session it is once the lookup has answered; undefined while it runs. */
  userId?: string | null;
}

export interface SessionCacheOptions {
  ttlMs?: number;
  now?: () => number;
}

/** The session token a Cookie header carries, or null when it has none. */
export function sessionTokenOf(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  const value = SESSION_COOKIE.exec(cookieHeader)?.[1];
  return value ? value : null;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly auth: Auth,
    options: SessionCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? SESSION_CACHE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * The signed-in user behind `cookieHeader`, or null. A request without a session cookie is
   * anonymous without a lookup; `headers` (built only on a miss) is what Better Auth reads.
   */
  resolve(cookieHeader: string | undefined, headers: () => Headers): Promise<SessionUser | null> {
    const token = sessionTokenOf(cookieHeader);
    if (!token) return Promise.resolve(null);
    const now = this.now();
    const cached = this.entries.get(token);
    if (cached && cached.until > now) return cached.user;
    if (cached) this.entries.delete(token);
    // The promise itself is kept, so requests arriving together with one cookie share one lookup.
    const entry: Entry = { user: resolveSessionUser(this.auth, headers()), until: now + this.ttlMs };
    entry.user.then(
      (user) => {
        entry.userId = user?.id ?? null;
        // Only sessions are remembered, not their absence: a cookie refused for a disabled account
        // works again on the next request once the account is enabled.
        if (!user && this.entries.get(token) === entry) this.entries.delete(token);
      },
      () => {
        if (this.entries.get(token) === entry) this.entries.delete(token);
      },
    );
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, entry);
    return entry.user;
  }

  /**
   * Forgets every cached session of `userId` (disabled, demoted, deleted), and any lookup still
   * running, which may have read the account as it was before the change.
   */
  forgetUser(userId: string): void {
    for (const [token, entry] of this.entries) {
      if (entry.userId === undefined || entry.userId === userId) this.entries.delete(token);
    }
  }

  /** Forgets one cookie's session (signed out). */
  forgetToken(cookieHeader: string | undefined): void {
    const token = sessionTokenOf(cookieHeader);
    if (token) this.entries.delete(token);
  }

  /** Forgets everything: after an account change whose reach is not known here (a revocation by id). */
  clear(): void {
    this.entries.clear();
  }
}
