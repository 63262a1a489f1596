// The one tRPC instance of the server. Only the builders below leave this file: public (database
// reachable only as an anonymous visitor, or as the person if signed in), anonymous (catalogues and
// the health check: no session lookup at all), protected (signed in; database reachable only as
// that user) and admin (role ADMIN).
import { isStorableText, type TAppErrorData } from "@lockstep/contracts";
import { initTRPC, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import type { InnerContext, SessionUser } from "./context.ts";
import { AppError, appCodeOf, toTRPCError } from "./errors.ts";
import { adminScope, anonymousScope, userScope } from "./scopes.ts";

interface SchemaIssue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

/** Validation issues (zod or any standard schema) as field -> messages, which field and why. */
function flattenIssues(cause: unknown): Pick<TAppErrorData, "fieldErrors" | "formErrors"> | null {
  const issues = (cause as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return null;
  // No prototype: a client's field may well be called "constructor" or "__proto__".
  const fieldErrors: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const formErrors: string[] = [];
  for (const issue of issues as SchemaIssue[]) {
    const path = (issue.path ?? []).map((part) => String(typeof part === "object" ? part.key : part)).join(".");
    if (path) (fieldErrors[path] ??= []).push(issue.message);
    else formErrors.push(issue.message);
  }
  return { fieldErrors, formErrors };
}

function describeIssues(flat: Pick<TAppErrorData, "fieldErrors" | "formErrors">): string {
  const parts = [
    ...(flat.formErrors ?? []),
    ...Object.entries(flat.fieldErrors ?? {}).map(([field, messages]) => `${field}: ${messages.join(", ")}`),
  ];
  return `Invalid input: ${parts.join("; ")}`;
}

const t = initTRPC.context<InnerContext>().create({
  // Plain JSON on the wire (no transformer): timestamps are epoch milliseconds, so any HTTP
  // client can call the API.
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const appCode = appCodeOf(error);
    const internal = appCode === "INTERNAL";
    const flat = error.code === "BAD_REQUEST" ? flattenIssues(error.cause) : null;
    const details = error.cause instanceof AppError ? error.cause.details : undefined;
    // An AppError thrown where the middleware cannot map it (inside a stream) still gets its own code.
    const mapped =
      error.cause instanceof AppError && error.code === "INTERNAL_SERVER_ERROR" ? toTRPCError(error.cause) : null;
    return {
      code: mapped ? TRPC_ERROR_CODES_BY_KEY[mapped.code] : shape.code,
      // Internal failures say nothing about their cause; the stack stays in the server log.
      message: internal ? "Internal error" : flat ? describeIssues(flat) : shape.message,
      data: {
        code: mapped ? mapped.code : shape.data.code,
        httpStatus: mapped ? getHTTPStatusCodeFromError(mapped) : shape.data.httpStatus,
        path: shape.data.path,
        appCode,
        requestId: ctx?.requestMeta.requestId,
        ...(flat ?? {}),
        ...(details ? { details } : {}),
      },
    };
  },
});

/** Services throw AppError; this turns it into the tRPC error its code maps to. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error.cause);
  return result;
});

/** The path of the first string or key holding a NUL or an unpaired UTF-16 surrogate, or null. */
function findUnstorableText(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === "string") return isStorableText(value) ? null : path;
  if (path.length > 64 || value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key)) return [...path, key];
    const found = findUnstorableText(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** Carries the field at fault in the shape the error formatter flattens for bad input. */
class UnstorableTextError extends Error {
  readonly issues: { message: string; path: string[] }[];
  constructor(path: string[]) {
    const message = "must not contain NUL characters or unpaired surrogates";
    super(message);
    this.issues = [{ message, path }];
  }
}

/**
 * PostgreSQL cannot store NUL characters or malformed UTF-16 in text; refuse them at the door as
 * bad input, for every procedure, instead of letting one reach the database as a 500.
 */
async function refuseUnstorableText(getRawInput: () => Promise<unknown>): Promise<void> {
  const path = findUnstorableText(await getRawInput().catch(() => undefined));
  if (path) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid text", cause: new UnstorableTextError(path) });
}

/** Who is signed in: the session lookup runs here, once per request, and only for procedures that use it. */
async function userOf(ctx: InnerContext): Promise<SessionUser | null> {
  return typeof ctx.user === "function" ? ctx.user() : ctx.user;
}

function signedInUser(user: SessionUser | null): SessionUser {
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to do this." });
  return user;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

const baseProcedure = t.procedure.use(appErrors);

// Each kind of procedure below is one middleware after the error mapping (each tRPC middleware
// costs a context copy on every call): who may call, then the input check, then the database handles.

/**
 * Anyone, and no matter who: catalogues and the health check. Only `ctx.anonymousDb` is there,
 * and the session cookie is never looked up.
 */
export const anonymousProcedure = baseProcedure.use(async ({ ctx, getRawInput, next }) => {
  await refuseUnstorableText(getRawInput);
  return next({ ctx: { db: undefined, user: null, anonymousDb: anonymousScope(ctx.db) } });
});

/**
 * Anyone, answering differently when signed in. The raw database is taken away here too:
 * `ctx.anonymousDb` reads what a visitor may, and `ctx.userDb` is the person's own scope when signed in.
 */
export const publicProcedure = baseProcedure.use(async ({ ctx, getRawInput, next }) => {
  const user = await userOf(ctx);
  await refuseUnstorableText(getRawInput);
  return next({
    ctx: {
      db: undefined,
      user,
      anonymousDb: anonymousScope(ctx.db),
      userDb: user ? userScope(ctx.db, user) : null,
    },
  });
});

/**
 * Signed in. The raw database is taken away: the only way in is `ctx.userDb`, whose transactions
 * run under row-level security as this user.
 */
export const protectedProcedure = baseProcedure.use(async ({ ctx, getRawInput, next }) => {
  const user = signedInUser(await userOf(ctx));
  await refuseUnstorableText(getRawInput);
  return next({ ctx: { db: undefined, user, userDb: userScope(ctx.db, user) } });
});

/** Signed in as an ADMIN. `ctx.adminDb` reads across users and audits every change. */
export const adminProcedure = baseProcedure.use(async ({ ctx, getRawInput, next }) => {
  const user = signedInUser(await userOf(ctx));
  if (user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Operators only." });
  await refuseUnstorableText(getRawInput);
  return next({
    ctx: {
      db: undefined,
      user,
      userDb: userScope(ctx.db, user),
      adminDb: adminScope(ctx.db, user, ctx.requestMeta),
    },
  });
});
