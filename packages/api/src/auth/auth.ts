// Accounts with Better Auth: email and password (argon2id), sessions in the auth_sessions table,
// origin checks, and a refusal to open a session for a disabled account. The HTTP host mounts
// its handler at /api/auth/*; the tRPC context reads the session through `resolveSessionUser`.
import { waitInWords } from "@lockstep/contracts";
import { type Database, hashPassword, isAccountDisabled, verifyPassword } from "@lockstep/db";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { SessionUser } from "../context.ts";
import type { Mailer } from "./mail.ts";

/** The header the host sets from the client address it trusts; a client's own value is dropped. */
export const CLIENT_IP_HEADER = "x-lockstep-client-ip";

export interface AuthConfig {
  db: Database;
  /** Signs session cookies; at least 32 characters. */
  secret: string;
  /** The public URL of the app (scheme decides whether cookies are Secure). */
  baseURL?: string | undefined;
  /** Origins allowed to call the auth endpoints besides the app's own. */
  trustedOrigins: string[];
  /** Per-IP limit on sign-in and sign-up attempts per minute. */
  ipAttemptsPerMinute?: number;
  /** Failed sign-ins one account may take per lockout window before it is locked for the rest of it. */
  accountFailuresPer15Minutes?: number;
  /** The window failed sign-ins are counted in, and so the longest a lock lasts (default 15 minutes). */
  lockoutSeconds?: number;
  /** How long a password reset link works (default one hour); it works once. */
  resetExpiresSeconds?: number;
  /** Sends the reset links; without one, asking for a reset is refused as not enabled. */
  mailer?: Mailer | undefined;
  /**
   * Where failed sign-ins are counted when several processes serve the app (each would count its
   * own otherwise). Without it they are counted in this process, enough for the embedded mode.
   */
  redis?: Redis | null | undefined;
}

const ACCOUNT_WINDOW_SECONDS = 15 * 60;
/** The page of the chat app a reset link lands on (with ?token=, or ?error=INVALID_TOKEN). */
export const RESET_PASSWORD_PAGE = "/reset-password";

export type Auth = ReturnType<typeof createAuth>;

export function createAuth(config: AuthConfig) {
  const secure = config.baseURL?.startsWith("https://") ?? false;
  const perMinute = config.ipAttemptsPerMinute ?? 10;
  // Guessing one account's password from many addresses is stopped per account; the per-IP
  // rule below stops one address trying many accounts. Only failures count against an account,
  // so its owner is not locked out by their own successful sign-ins.
  const accountBudget = {
    points: config.accountFailuresPer15Minutes ?? 5,
    duration: config.lockoutSeconds ?? ACCOUNT_WINDOW_SECONDS,
  };
  const accountFailures = config.redis
    ? new RateLimiterRedis({ ...accountBudget, storeClient: config.redis, keyPrefix: "lockstep:sign-in-failures" })
    : new RateLimiterMemory(accountBudget);
  const accountKey = (body: unknown) => {
    const email = (body as { email?: unknown } | undefined)?.email;
    return typeof email === "string" ? email.trim().toLowerCase() : null;
  };
  return betterAuth({
    appName: "Lockstep",
    secret: config.secret,
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    basePath: "/api/auth",
    database: prismaAdapter(config.db.prisma, { provider: "postgresql" }),
    telemetry: { enabled: false },
    // Same-origin requests are always allowed; anything else must be listed.
    trustedOrigins: (request) => {
      const origins: string[] = [...config.trustedOrigins];
      const host = request?.headers.get("host");
      if (host) origins.push(`${secure ? "https" : "http"}://${host}`);
      return origins;
    },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 256,
      autoSignIn: true,
      password: {
        hash: hashPassword,
        verify: ({ hash, password }) => verifyPassword(hash, password),
      },
      resetPasswordTokenExpiresIn: config.resetExpiresSeconds ?? 60 * 60,
      // Whoever held the old password (or a stolen session) is signed out everywhere by a reset.
      revokeSessionsOnPasswordReset: true,
      ...(config.mailer
        ? {
            sendResetPassword: async ({ user, url }: { user: { email: string; name: string }; url: string }) => {
              const minutes = Math.round((config.resetExpiresSeconds ?? 60 * 60) / 60);
              await config.mailer?.send({
                to: user.email,
                subject: "Reset your Lockstep password",
                text: [
                  `Hello ${user.name},`,
                  "",
                  "Someone (we hope you) asked to reset the password of your Lockstep account. Open this link to choose a new one:",
                  "",
                  url,
                  "",
                  `The link works once and for ${minutes} minutes. If you did not ask, ignore this message: your password stays as it is.`,
                ].join("\n"),
              });
            },
          }
        : {}),
    },
    user: {
      modelName: "user",
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "USER", returned: true },
        disabledAt: { type: "date", input: false, required: false, returned: true },
      },
      deleteUser: { enabled: false },
    },
    session: {
      modelName: "authSession",
      expiresIn: 60 * 60 * 24 * 30,
      updateAge: 60 * 60 * 24,
    },
    account: { modelName: "account" },
    verification: { modelName: "verification" },
    rateLimit: {
      // On in every environment, tests included: the limiter is part of what is tested.
      enabled: true,
      // In the database, so every process counts the same attempts (Better Auth updates it atomically).
      storage: "database",
      modelName: "rateLimit",
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: perMinute },
        "/sign-up/email": { window: 60, max: perMinute },
      },
    },
    // Better Auth's own profile and e-mail endpoints bypass our validation (user.updateProfile).
    disabledPaths: ["/update-user", "/change-email", "/delete-user"],
    advanced: {
      // Both default to "off" whenever NODE_ENV=test or TEST is set; they must never be off.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure },
      cookiePrefix: "lockstep",
      database: { generateId: () => crypto.randomUUID() },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const key = accountKey(ctx.body);
        if (!key) return;
        const state = await accountFailures.get(key);
        if (state && state.remainingPoints <= 0) {
          // The person is told how long, so they neither hammer the form nor give up for good.
          const retryAfterSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
          throw new APIError(
            "TOO_MANY_REQUESTS",
            {
              message: `Too many failed sign-ins for this account. Try again in ${waitInWords(retryAfterSeconds)}.`,
              code: "TOO_MANY_ATTEMPTS",
              retryAfterSeconds,
            },
            { "Retry-After": String(retryAfterSeconds) },
          );
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        // A disabled account's live session must not look alive through Better Auth's own endpoint either.
        if (ctx.path === "/get-session") {
          const returned = ctx.context.returned as { user?: { disabledAt?: unknown } } | null | undefined;
          if (returned?.user?.disabledAt) return ctx.json(null);
          return;
        }
        if (ctx.path !== "/sign-in/email") return;
        const key = accountKey(ctx.body);
        if (!key) return;
        const returned = ctx.context.returned;
        const failed = returned instanceof APIError && returned.statusCode === 401;
        if (failed) await accountFailures.penalty(key, 1);
        else if (!(returned instanceof Error)) await accountFailures.delete(key);
      }),
    },
    databaseHooks: {
      session: {
        create: {
          // Runs only after the password was checked, so it reveals nothing to a guesser.
          before: async (session) => {
            if (await isAccountDisabled(config.db.prisma, session.userId)) {
              throw new APIError("FORBIDDEN", { message: "This account is disabled.", code: "ACCOUNT_DISABLED" });
            }
          },
        },
      },
    },
  });
}

/** The signed-in user behind the request's cookie, or null (no cookie, expired, or disabled). */
export async function resolveSessionUser(auth: Auth, headers: Headers): Promise<SessionUser | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: string; disabledAt?: Date | null };
  // A disabled account is refused even while one of its sessions is still alive.
  if (user.disabledAt) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role === "ADMIN" ? "admin" : "user",
    authSessionId: session.session.id,
  };
}
