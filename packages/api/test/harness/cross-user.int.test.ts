// Every non-admin procedure with an id-like input, called by user B with user A's ids: A's rows must look absent and stay unchanged.
import { migrationsOnDisk } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter } from "../../src/root.ts";
import { protectedProcedure, router } from "../../src/trpc.ts";
import { harnessAi, type HarnessAi, seedLikeTheServer } from "./ai.ts";
import { insertUser } from "../testing/callers.ts";
import { databaseActors, harnessPerson, harnessServerInfo } from "./actors.ts";
import { crossUserProcedure, type CrossUserReport } from "./cross-user.ts";
import { type Access, accessOf, type DiscoveredProcedure, discoverProcedures } from "./discovery.ts";
import { createOwnedData, type OwnedData, snapshotOwnedRows } from "./fixtures.ts";
import { findIdFields, inputJsonSchema } from "./schema.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

const procedures = await discoverProcedures(appRouter);
const reports: CrossUserReport[] = [];
const exempt: string[] = [];

let db: TestDatabase;

let ai: HarnessAi;
let actors: ReturnType<typeof databaseActors>;
let owner: OwnedData;
const started = Date.now();

beforeAll(async () => {
  db = await createTestDatabase();
  // The server's default AI (offline provider), so procedures that call a model run as in production.
  ai = await harnessAi(db);
  actors = databaseActors(db, harnessServerInfo(await migrationsOnDisk()), { ai: ai.runtime });
  await seedLikeTheServer(db, ai);
  owner = await createOwnedData(db, (await insertUser(db, harnessPerson("user", "Owner A"))).id);
});

afterAll(async () => {
  const attempts = reports.reduce((n, r) => n + r.attempts, 0);
  const reached = reports.reduce((n, r) => n + r.reached, 0);
  const findings = reports.flatMap((r) => r.findings);
  console.log(
    [
      `\nCross-user (${db.runtime}, ${Date.now() - started} ms):`,
      ...reports
        .filter((r) => r.attempts > 0)
        .map((r) => {
          const codes = Object.entries(r.codes)
            .map(([code, n]) => `${code}:${n}`)
            .join(" ");
          return `  ${r.path.padEnd(26)} fields ${r.fields.join(",").padEnd(28)} attempts ${String(r.attempts).padStart(3)}  reached ${String(r.reached).padStart(3)}  ${codes}`;
        }),
      ...reports.flatMap((r) => r.clashes.map((c) => `  clash wording ${r.path} ${c}`)),
      `  exempt (admin): ${exempt.join(", ") || "none"}`,
      `  procedures with id-like input: ${reports.filter((r) => r.attempts > 0).length}, cross-user attempts: ${attempts}, past validation: ${reached}, findings: ${findings.length}`,
      ...findings.map((f) => `  FINDING ${f.path}: ${f.problem}\n    input: ${f.input}`),
    ].join("\n"),
  );
  await ai?.close();
  await db?.close();
});

it("walks the procedures that exist", () => {
  expect(procedures.map((p) => p.path)).toContain("health");
});

describe("the fixture", () => {
  it("has a row of every kind for A, and a snapshot that only changes when A's rows do", async () => {
    for (const ids of Object.values(owner.ids)) expect(ids.length).toBeGreaterThan(0);
    const before = await snapshotOwnedRows(db, owner.userId);
    expect(before).toContain(owner.marker);
    expect(await snapshotOwnedRows(db, owner.userId)).toBe(before);
    await db.pool.query(`UPDATE collections SET name = name || '!' WHERE id = $1`, [owner.ids.collection[0]]);
    expect(await snapshotOwnedRows(db, owner.userId)).not.toBe(before);
    await db.pool.query(`UPDATE collections SET name = rtrim(name, '!') WHERE id = $1`, [owner.ids.collection[0]]);
  });
});

describe("the check itself", () => {
  // Procedures with the classic isolation bugs, built with the real builders. They reach the
  // database as its owner (no row-level security), which is exactly the mistake being modelled.
  const broken = router({
    session: router({
      get: protectedProcedure.input(z.object({ id: z.uuid() })).query(async ({ input }) => {
        const { rows } = await db.pool.query(`SELECT id, name FROM sessions WHERE id = $1`, [input.id]);
        if (!rows[0]) throw new TRPCError({ code: "NOT_FOUND", message: "No such session." });
        return rows[0] as unknown;
      }),
      rename: protectedProcedure
        .input(z.object({ id: z.uuid(), name: z.string().min(1).max(20) }))
        .mutation(async ({ input }) => {
          const { rowCount } = await db.pool.query(`UPDATE sessions SET name = $2 WHERE id = $1`, [
            input.id,
            input.name,
          ]);
          if (!rowCount) throw new TRPCError({ code: "NOT_FOUND", message: "No such session." });
          return { ok: true };
        }),
      remove: protectedProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
        const { rows } = await db.pool.query<{ user_id: string }>(`SELECT user_id FROM sessions WHERE id = $1`, [
          input.id,
        ]);
        if (!rows[0]) throw new TRPCError({ code: "NOT_FOUND", message: "No such session." });
        if (rows[0].user_id !== ctx.user.id) throw new TRPCError({ code: "FORBIDDEN", message: "Not your session." });
        return { ok: true };
      }),
      create: protectedProcedure
        .input(z.object({ id: z.uuid(), name: z.string().min(1).max(20) }))
        .mutation(async ({ ctx, input }) => {
          const { rows } = await db.pool.query<{ user_id: string }>(`SELECT user_id FROM sessions WHERE id = $1`, [
            input.id,
          ]);
          if (rows[0] && rows[0].user_id !== ctx.user.id)
            throw new TRPCError({ code: "FORBIDDEN", message: "That id belongs to someone else." });
          return { id: input.id };
        }),
    }),
  });
  let brokenProcedures: DiscoveredProcedure[] = [];
  // An owner of its own: the broken rename really changes their rows.
  let victim: OwnedData;
  beforeAll(async () => {
    brokenProcedures = await discoverProcedures(broken);
    victim = await createOwnedData(db, (await insertUser(db, harnessPerson("user", "Victim"))).id);
  });

  it.each(["session.get", "session.rename", "session.remove", "session.create"])("catches %s", async (path) => {
    const procedure = brokenProcedures.find((p) => p.path === path);
    if (!procedure) throw new Error(`no ${path}`);
    const report = await crossUserProcedure(broken, procedure, { db, actors, owner: victim, seed: SEED });
    const problems = report.findings.map((f) => f.problem).join("\n");
    expect(report.findings.length).toBeGreaterThan(0);
    if (path === "session.get") expect(problems).toContain("reveals A's text");
    if (path === "session.rename") expect(problems).toContain("A's rows (or rows pointing at them) changed");
    if (path === "session.remove") expect(problems).toContain("FORBIDDEN");
    if (path === "session.create") expect(problems).toContain("must be a CONFLICT");
  });
});

describe.each(procedures.map((p) => [p.path, p] as const))("%s", (path, procedure) => {
  const fields = findIdFields(inputJsonSchema(procedure));
  it.skipIf(fields.length === 0)(
    `treats another user's ids as absent (${fields.map((f) => f.path.join(".")).join(", ")})`,
    async () => {
      const access: Access = await accessOf(appRouter, procedure, actors);
      // Operators may read across users by design; their isolation is the audit log's job.
      if (access === "admin") {
        exempt.push(path);
        return;
      }
      const report = await crossUserProcedure(appRouter, procedure, { db, actors, owner, seed: SEED });
      reports.push(report);
      expect(report.attempts).toBeGreaterThan(0);
      expect(report.findings).toEqual([]);
    },
  );
});
