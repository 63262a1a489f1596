// The harness must be able to fail: a tiny router built with the real builders, with one procedure breaking each rule, is caught.
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../../src/errors.ts";
import { adminProcedure, protectedProcedure, publicProcedure, router } from "../../src/trpc.ts";
import { offlineActors } from "./actors.ts";
import { hostileValue, inputArbitraries } from "./arbitraries.ts";
import { isCreateWithClientId } from "./cross-user.ts";
import { classifyAll, type DiscoveredProcedure, discoverProcedures, formatClassificationTable } from "./discovery.ts";
import { kindsForField } from "./fixtures.ts";
import { fuzzProcedure } from "./fuzz.ts";
import { invoke } from "./invoke.ts";
import { findLeaks, isServerError, problemsOfErrorShape } from "./leaks.ts";
import { findIdFields, inputJsonSchema, passesInputValidation } from "./schema.ts";

const tiny = router({
  open: publicProcedure.query(() => "hello"),
  // Public by mistake: nobody put it on the allow-list.
  forgotten: publicProcedure.input(z.object({ id: z.uuid() })).query(({ input }) => input.id),
  // Checks the session only after validating input, so a stranger learns the input rules.
  validatesFirst: publicProcedure
    .input(z.object({ n: z.number() }))
    .use(({ ctx, next }) => {
      if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to do this." });
      return next();
    })
    .query(() => 1),
  mine: protectedProcedure.input(z.object({ id: z.uuid() })).query(({ input }) => input.id),
  operators: router({ ban: adminProcedure.input(z.object({ id: z.string() })).mutation(() => true) }),
  // A plain Error with a stack and a file path in its message.
  crash: publicProcedure.query(() => {
    throw new Error("boom at /work/main/packages/api/src/secret.ts:12:3");
  }),
  // A client error whose message is the database's.
  chatty: protectedProcedure.input(z.object({ sessionId: z.string().optional() }).optional()).mutation(() => {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: 'insert or update on table "messages" violates foreign key constraint "messages_session_id_fkey"',
    });
  }),
  polite: protectedProcedure.mutation(() => {
    throw new AppError("NOT_FOUND", "No such session.");
  }),
  // An AppError thrown inside a stream, after the middleware that maps AppErrors has returned.
  stream: protectedProcedure.subscription(async function* () {
    yield* [];
    throw new AppError("NOT_FOUND", "No such session.");
  }),
});

const ALLOW = new Set(["open", "crash"]);
const procedures = await discoverProcedures(tiny);
const byPath = (path: string): DiscoveredProcedure => {
  const found = procedures.find((p) => p.path === path);
  if (!found) throw new Error(`no ${path}`);
  return found;
};

describe("discovery", () => {
  it("walks nested routers", () => {
    expect(procedures.map((p) => `${p.path}:${p.type}`)).toEqual([
      "chatty:mutation",
      "crash:query",
      "forgotten:query",
      "mine:query",
      "open:query",
      "operators.ban:mutation",
      "polite:mutation",
      "stream:subscription",
      "validatesFirst:query",
    ]);
  });

  it("classifies by behaviour and flags public procedures missing from the allow-list", async () => {
    const rows = await classifyAll(tiny, procedures, offlineActors(), ALLOW);
    const table = formatClassificationTable(rows);
    expect(table).toContain("operators.ban");
    const access = Object.fromEntries(rows.map((r) => [r.path, r.access]));
    expect(access).toMatchObject({
      open: "public",
      crash: "public",
      mine: "protected",
      chatty: "protected",
      stream: "protected",
      "operators.ban": "admin",
    });
    const flagged = rows.filter((r) => r.problems.length > 0).map((r) => r.path);
    // forgotten: public and unlisted; validatesFirst: answers strangers with BAD_REQUEST; crash: 500;
    // chatty: database words. (stream's AppError keeps its own code, so it is not flagged.)
    expect(flagged.sort()).toEqual(["chatty", "crash", "forgotten", "validatesFirst"]);
    expect(rows.find((r) => r.path === "forgotten")?.problems.join()).toContain("not in PUBLIC_PROCEDURES");
  });
});

describe("error formatting and leaks", () => {
  it("formats a thrown Error as the server does: INTERNAL, no stack, no message, still a 5xx", async () => {
    const actors = offlineActors();
    const ctx = actors.context(await actors.actor("anonymous"));
    const outcome = await invoke(tiny, byPath("crash"), ctx, undefined);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.code).toBe("INTERNAL_SERVER_ERROR");
    expect(outcome.shape).toMatchObject({
      message: "Internal error",
      data: { appCode: "INTERNAL", requestId: ctx.requestMeta.requestId },
    });
    expect(findLeaks(outcome.shape)).toEqual([]);
    expect(problemsOfErrorShape(outcome.shape, { requestId: ctx.requestMeta.requestId })).toEqual([]);
    expect(isServerError(outcome.shape as { data: { httpStatus: number } })).toBe(true);

    // The same shape reaches an HTTP client (fetch adapter, same router, same context).
    const response = await fetchRequestHandler({
      endpoint: "/trpc",
      req: new Request("http://local/trpc/crash"),
      router: tiny,
      createContext: () => ctx,
    });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: unknown }).error).toEqual(outcome.shape);
  });

  it("keeps the code of an AppError thrown inside a subscription (a 404, not a 500)", async () => {
    const actors = offlineActors();
    const ctx = actors.context(await actors.actor("user"));
    const outcome = await invoke(tiny, byPath("stream"), ctx, undefined);
    if (outcome.ok) throw new Error("stream must fail");
    expect(outcome.shape).toMatchObject({ data: { code: "NOT_FOUND", httpStatus: 404, appCode: "NOT_FOUND" } });
    expect(problemsOfErrorShape(outcome.shape, { requestId: ctx.requestMeta.requestId })).toEqual([]);
  });

  it("reports a foreign request id and database words in a client error", async () => {
    const actors = offlineActors();
    const ctx = actors.context(await actors.actor("user"));
    const outcome = await invoke(tiny, byPath("chatty"), ctx, undefined);
    if (outcome.ok) throw new Error("chatty must fail");
    const problems = problemsOfErrorShape(outcome.shape, { requestId: "someone-else" });
    expect(problems.some((p) => p.includes("requestId"))).toBe(true);
    expect(problems.some((p) => p.includes("database error"))).toBe(true);
  });

  it("finds stack frames, paths, SQL and Prisma, and ignores what the client sent itself", () => {
    const stack = new Error("x").stack ?? "";
    expect(findLeaks({ message: stack }).map((l) => l.rule)).toContain("stack frame");
    expect(findLeaks("Error at /work/main/packages/db/src/x.ts:1:2").map((l) => l.rule)).toEqual(
      expect.arrayContaining(["server path", "source file position"]),
    );
    expect(findLeaks("Invalid `prisma.session.findUnique()` invocation").map((l) => l.rule)).toContain("prisma");
    expect(findLeaks('SELECT * FROM "sessions"').map((l) => l.rule)).toContain("SQL statement");
    expect(findLeaks('duplicate key value violates unique constraint "users_email_key"').length).toBeGreaterThan(0);
    expect(findLeaks({ data: { stack: "hidden" } }).map((l) => l.rule)).toContain("stack property");
    expect(
      findLeaks({ message: "Invalid input: name: name must not be empty", data: { appCode: "BAD_INPUT" } }),
    ).toEqual([]);
    // A validator repeating a hostile key back is not a leak; the same words from the server are.
    const input = { "SELECT * FROM users": 1 };
    expect(findLeaks({ formErrors: ['Unrecognized key: "SELECT * FROM users"'] }, { echo: input })).toEqual([]);
    expect(findLeaks({ formErrors: ["SELECT * FROM sessions failed"] }, { echo: input })).not.toEqual([]);
  });
});

describe("fuzzing", () => {
  const options = { actors: offlineActors(), runs: 40, seed: 7 };

  it("catches a 5xx", async () => {
    const report = await fuzzProcedure(tiny, byPath("crash"), "public", "anonymous", options);
    expect(report.sent).toBe(40);
    expect(report.findings.some((f) => f.problem.startsWith("server error"))).toBe(true);
  });

  it("catches database words in an error message", async () => {
    const report = await fuzzProcedure(tiny, byPath("chatty"), "protected", "user", options);
    expect(report.findings.some((f) => f.problem.includes("database error"))).toBe(true);
  });

  it("passes procedures that keep the rules, and checks the refusals", async () => {
    for (const [path, access, kind] of [
      ["mine", "protected", "anonymous"],
      ["mine", "protected", "user"],
      ["operators.ban", "admin", "user"],
      ["operators.ban", "admin", "admin"],
      ["polite", "protected", "admin"],
    ] as const) {
      const report = await fuzzProcedure(tiny, byPath(path), access, kind, options);
      expect(report.findings, `${path} as ${kind}`).toEqual([]);
    }
    const strangers = await fuzzProcedure(tiny, byPath("mine"), "protected", "anonymous", options);
    expect(strangers.codes).toEqual({ UNAUTHORIZED: 40 });
  });

  it("reports a procedure that lets a stranger through", async () => {
    const report = await fuzzProcedure(tiny, byPath("validatesFirst"), "protected", "anonymous", options);
    expect(report.findings.some((f) => f.problem.includes("must answer UNAUTHORIZED"))).toBe(true);
  });
});

describe("inputs", () => {
  const schema = z.object({
    id: z.uuid().optional(),
    name: z.string().trim().min(1).max(20),
    limit: z.number().int().min(1).max(100).default(20),
    filter: z.object({ sessionIds: z.array(z.uuid()).max(3), cursor: z.string().nullish() }).optional(),
  });
  const proc = { inputs: [schema] };

  it("finds id-like fields at any depth", () => {
    expect(findIdFields(inputJsonSchema(proc)).map((f) => `${f.path.join(".")}${f.isArray ? "[]" : ""}`)).toEqual([
      "id",
      "filter.sessionIds[]",
      "filter.cursor",
    ]);
  });

  it("derives valid-shaped values from the zod schema", () => {
    const values = fc.sample(inputArbitraries(proc).valid, { numRuns: 200, seed: 1 });
    const valid = values.filter((v) => passesInputValidation(proc, v)).length;
    expect(valid).toBeGreaterThan(150);
  });

  it("produces the hostile values the brief asks for", () => {
    const values = fc.sample(hostileValue, { numRuns: 2000, seed: 3 });
    const strings = values.filter((v): v is string => typeof v === "string");
    expect(strings.some((s) => s.length >= 100_000)).toBe(true);
    expect(strings.some((s) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s))).toBe(
      true,
    );
    expect(values.some((v) => typeof v === "number" && Number.isNaN(v))).toBe(true);
    let deepest = 0;
    for (const value of values) {
      let depth = 0;
      let node: unknown = value;
      while (node !== null && typeof node === "object") {
        node = Array.isArray(node) ? node[0] : Object.values(node)[0];
        depth += 1;
      }
      deepest = Math.max(deepest, depth);
    }
    expect(deepest).toBeGreaterThanOrEqual(50);
  });

  it("maps field names to the kinds of row they point at", () => {
    expect(kindsForField("sessionId")).toEqual(["session"]);
    expect(kindsForField("messageIds")).toEqual(["message"]);
    expect(kindsForField("id").length).toBeGreaterThan(5);
    expect(kindsForField("characterId").length).toBeGreaterThan(5);
    expect(isCreateWithClientId("session.create", { path: ["id"], key: "id", isArray: false })).toBe(true);
    expect(isCreateWithClientId("session.rename", { path: ["id"], key: "id", isArray: false })).toBe(false);
  });
});
