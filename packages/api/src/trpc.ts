// The one tRPC instance of the server. Only the builders below leave this file: public,
// protected (signed in; database reachable only as that user) and admin (role ADMIN).
import type { TAppErrorData } from "@lockstep/contracts";
import { initTRPC, TRPCError } from "@trpc/server";
import type { InnerContext } from "./context.ts";
import { AppError, appCodeOf, toTRPCError } from "./errors.ts";
import { adminScope, userScope } from "./scopes.ts";

interface SchemaIssue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

/** Validation issues (zod or any standard schema) as field -> messages, which field and why. */
function flattenIssues(cause: unknown): Pick<TAppErrorData, "fieldErrors" | "formErrors"> | null {
  const issues = (cause as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return null;
  const fieldErrors: Record<string, string[]> = {};
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
    return {
      code: shape.code,
      // Internal failures say nothing about their cause; the stack stays in the server log.
      message: internal ? "Internal error" : flat ? describeIssues(flat) : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
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

const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to do this." });
  return next({ ctx: { user: ctx.user } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

export const publicProcedure = t.procedure.use(appErrors);

/**
 * Signed in. The raw database is taken away: the only way in is `ctx.userDb`, whose transactions
 * run under row-level security as this user.
 */
export const protectedProcedure = publicProcedure.use(signedIn).use(({ ctx, next }) =>
  next({ ctx: { db: undefined, userDb: userScope(ctx.db, ctx.user) } }),
);

/** Signed in as an ADMIN. `ctx.adminDb` reads across users and audits every change. */
export const adminProcedure = publicProcedure.use(signedIn).use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Operators only." });
  return next({
    ctx: {
      db: undefined,
      userDb: userScope(ctx.db, ctx.user),
      adminDb: adminScope(ctx.db, ctx.user, ctx.requestMeta),
    },
  });
});
