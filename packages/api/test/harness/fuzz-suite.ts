// The fuzz suite over appRouter, as a stranger, a plain user and an admin (never a 5xx, never a leak, always the promised refusal), split in shards so vitest's workers share it.
import { migrationsOnDisk } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../src/root.ts";
import { harnessAi, type HarnessAi, seedLikeTheServer } from "./ai.ts";
import { insertUser } from "../testing/callers.ts";
import { ACTOR_KINDS, databaseActors, harnessPerson, harnessServerInfo, stillIntact } from "./actors.ts";
import { type Access, accessOf, discoverProcedures } from "./discovery.ts";
import { createOwnedData, cursorsFor, kindsForField, kindsForProcedure, type OwnedData } from "./fixtures.ts";
import { type FuzzReport, fuzzProcedure, SELF_EMAIL, SELF_ID, selfCursor, selfRow } from "./fuzz.ts";
import type { ValueHints } from "./schema.ts";

/** Inputs per procedure and caller; FUZZ_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/** Fixed by default so a failure reproduces; FUZZ_SEED explores other inputs. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

function seedFor(text: string): number {
  let hash = SEED;
  for (const char of text) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

/** Registers the fuzz tests of one shard (0-based) of `shards`; call it from a test file. */
export async function fuzzSuite(shard: number, shards: number): Promise<void> {
  const all = await discoverProcedures(appRouter);
  // Every shard-th procedure, so each shard gets a mix of cheap and expensive ones.
  const procedures = all.filter((_, i) => i % shards === shard);
  const reports: FuzzReport[] = [];

  let db: TestDatabase;

  let ai: HarnessAi;
  let actors: ReturnType<typeof databaseActors>;
  let bystander: OwnedData;
  const access = new Map<string, Access>();
  const started = Date.now();

  beforeAll(async () => {
    db = await createTestDatabase();
    // The server's default AI (offline provider), so procedures that call a model run as in production.
    ai = await harnessAi(db);
    actors = databaseActors(db, harnessServerInfo(await migrationsOnDisk()), { ai: ai.runtime });
    await seedLikeTheServer(db, ai);
    // Someone else's rows, so generated ids sometimes point at a stranger's row, not only at nothing.
    bystander = await createOwnedData(db, (await insertUser(db, harnessPerson("user", "Bystander"))).id);
  });

  /**
   * What id-like, email and cursor fields are offered: mostly the caller's own rows (placeholders,
   * resolved per caller), so valid-shaped inputs reach real rows and the writes behind them, and
   * sometimes the bystander's. A bare `id` means a row of the procedure's own router when it has one.
   */
  function hintsFor(path: string): ValueHints {
    const domain = kindsForProcedure(path);
    const kindsOf = (key: string) =>
      (key === "id" || key === "ids") && domain.length > 0 ? domain : kindsForField(key);
    return {
      ids: (key) => {
        const kinds = kindsOf(key);
        // Every caller's fixture has the bystander's shape, so its counts say which placeholders resolve.
        const own = kinds.flatMap((kind) =>
          bystander.ids[kind].flatMap((_, i) => [selfRow(kind, i), selfRow(kind, i)]),
        );
        return [SELF_ID, ...own, ...kinds.flatMap((kind) => bystander.ids[kind])];
      },
      emails: [SELF_EMAIL, SELF_EMAIL, bystander.email],
      cursors: [0, 1, 2, 3]
        .map(selfCursor)
        .concat(bystander.ids.session.flatMap((id) => cursorsFor(id, bystander.createdAtMs))),
    };
  }

  afterAll(async () => {
    const sent = reports.reduce((n, r) => n + r.sent, 0);
    const valid = reports.reduce((n, r) => n + r.valid, 0);
    const findings = reports.flatMap((r) => r.findings);
    const lines = reports.map((r) => {
      const codes = Object.entries(r.codes)
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => `${code}:${n}`)
        .join(" ");
      return `  ${r.path.padEnd(26)} ${r.actor.padEnd(9)} sent ${String(r.sent).padStart(4)}  valid ${String(r.valid).padStart(4)}  ${codes}`;
    });
    console.log(
      [
        `\nFuzz shard ${shard + 1}/${shards} (${db.runtime}, seed ${SEED}, ${RUNS} inputs per procedure and caller, ${Date.now() - started} ms):`,
        ...lines,
        `  procedures walked: ${new Set(reports.map((r) => r.path)).size}, inputs sent: ${sent}, valid-shaped that passed validation: ${valid}, users inserted: ${actors.created()}, findings: ${findings.length}`,
        ...findings.map((f) => `  FINDING ${f.path} as ${f.actor}: ${f.problem}\n    input: ${f.input}`),
      ].join("\n"),
    );
    await ai?.close();
    await db?.close();
  });

  it("walks the procedures that exist", () => {
    expect(all.map((p) => p.path)).toContain("health");
  });

  // A shard may be empty while the router is small; the other shard then holds everything.
  if (procedures.length > 0)
    describe.each(procedures.map((p) => [p.path, p] as const))("%s", (path, procedure) => {
      it.each(ACTOR_KINDS.map((kind) => [kind]))(
        `gets ${RUNS} random inputs as %s: no 5xx, no leak, the promised refusal`,
        async (kind) => {
          if (!access.has(path)) access.set(path, await accessOf(appRouter, procedure, actors));
          const report = await fuzzProcedure(appRouter, procedure, access.get(path) ?? "public", kind, {
            actors,
            runs: RUNS,
            seed: seedFor(`${path}:${kind}`),
            hints: hintsFor(path),
            ownRows: (actor) => (actor.user ? createOwnedData(db, actor.user.id) : Promise.resolve(undefined)),
            stillIntact: (actor) => stillIntact(db, actor.user),
          });
          reports.push(report);
          expect(report.sent).toBe(RUNS);
          expect(report.findings).toEqual([]);
        },
      );
    });
}
