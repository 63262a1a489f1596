// Every procedure of appRouter, found by walking the router: classified by how it answers, and held to the access rules (issue "Identity and isolation", section 4).
import { migrationsOnDisk } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../src/root.ts";
import { harnessAi, type HarnessAi } from "./ai.ts";
import { databaseActors, harnessServerInfo } from "./actors.ts";
import {
  type Classification,
  classifyProcedure,
  discoverProcedures,
  formatClassificationTable,
  PUBLIC_PROCEDURES,
} from "./discovery.ts";

const procedures = await discoverProcedures(appRouter);
const classified = new Map<string, Classification>();

let db: TestDatabase;

let ai: HarnessAi;
let actors: ReturnType<typeof databaseActors>;
const started = Date.now();

beforeAll(async () => {
  db = await createTestDatabase();
  // The server's default AI (offline provider), so procedures that call a model run as in production.
  ai = await harnessAi(db);
  actors = databaseActors(db, harnessServerInfo(await migrationsOnDisk()), { ai: ai.runtime });
});

afterAll(async () => {
  const rows = procedures.map((p) => classified.get(p.path)).filter((r): r is Classification => r !== undefined);
  const stale = [...PUBLIC_PROCEDURES].filter((path) => !procedures.some((p) => p.path === path));
  console.log(
    [
      `\nProcedure classification (${db.runtime}, ${rows.length} procedures, ${actors.created()} users inserted, ${Date.now() - started} ms):`,
      formatClassificationTable(rows),
      ...rows.flatMap((r) => r.problems.map((p) => `  PROBLEM ${r.path}: ${p}`)),
      ...(stale.length ? [`  note: allow-listed but not in the router: ${stale.join(", ")}`] : []),
    ].join("\n"),
  );
  await ai?.close();
  await db?.close();
});

describe("procedure discovery", () => {
  it("finds the procedures that exist, nested routers included", () => {
    const paths = procedures.map((p) => p.path);
    expect(paths).toContain("health");
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of procedures) expect(["query", "mutation", "subscription"]).toContain(p.type);
  });
});

describe.each(procedures.map((p) => [p.path, p] as const))("%s", (path, procedure) => {
  it("refuses strangers (unless allow-listed as public) and plain users (if admin), before reading input", async () => {
    const result = await classifyProcedure(appRouter, procedure, actors);
    classified.set(path, result);
    expect(result.problems).toEqual([]);
    // Operators' procedures live under admin.*; one that a plain user may call is misfiled or unprotected.
    if (path.startsWith("admin.")) expect(result.access).toBe("admin");
    if (path === "health") expect(result.access).toBe("public");
  });
});
