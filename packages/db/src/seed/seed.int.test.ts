// The seed loads the demo users, characters, templates and knowledge base; a second run changes
// nothing; a malformed file names the item and field and writes nothing.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DATA_DIR } from "../paths.ts";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";
import { DEMO_ADMIN, DEMO_USER, loadSeedData, SeedValidationError, seedDatabase } from "./index.ts";
import { verifyPassword } from "./passwords.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

async function snapshot(): Promise<string> {
  const tables = ["users", "accounts", "characters", "episode_templates", "knowledge_chunks"];
  const parts: unknown[] = [];
  for (const table of tables) {
    parts.push((await db.pool.query(`SELECT * FROM ${table} ORDER BY 1`)).rows);
  }
  return JSON.stringify(parts);
}

describe("seed", () => {
  it("loads demo users, characters with templates and a knowledge base covering every phase and goal", async () => {
    const report = await seedDatabase(db);
    expect(report.created).toBeGreaterThan(60);

    const users = await db.prisma.user.findMany({ select: { email: true, role: true }, orderBy: { email: "asc" } });
    expect(users).toEqual([
      { email: DEMO_ADMIN.email, role: "ADMIN" },
      { email: DEMO_USER.email, role: "USER" },
    ]);
    const account = await db.prisma.account.findFirstOrThrow({ where: { user: { email: DEMO_USER.email } } });
    expect(account.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(account.password as string, DEMO_USER.password)).toBe(true);

    const characters = await db.prisma.character.findMany({ include: { episodeTemplates: true } });
    expect(characters.length).toBeGreaterThanOrEqual(3);
    for (const character of characters) expect(character.episodeTemplates.length).toBeGreaterThanOrEqual(2);

    const coverage = await db.pool.query<{ phase: number; goal: string; n: string }>(
      "SELECT phase, goal, count(*) AS n FROM knowledge_chunks GROUP BY phase, goal",
    );
    const total = coverage.rows.reduce((sum, row) => sum + Number(row.n), 0);
    expect(total).toBeGreaterThanOrEqual(60);
    expect(new Set(coverage.rows.map((row) => row.phase))).toEqual(new Set([1, 2, 3, 4]));
    expect(new Set(coverage.rows.map((row) => row.goal))).toEqual(
      new Set(["attraction", "comfort", "commitment", "closing"]),
    );
  });

  it("changes nothing when run again", async () => {
    const before = await snapshot();
    const report = await seedDatabase(db);
    expect(report).toMatchObject({ created: 0, updated: 0 });
    expect(report.unchanged).toBeGreaterThan(60);
    expect(await snapshot()).toBe(before);
  });

  it("names the chunk and field of a malformed knowledge file and writes nothing", async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), "lockstep-seed-"));
    try {
      await cp(SEED_DATA_DIR, directory, { recursive: true });
      const file = path.join(directory, "knowledge", "starter.json");
      const knowledge = JSON.parse(await readFile(file, "utf8")) as {
        chunks: { metadata: { chunk_id: string }; tags: { goal: string[] } }[];
      };
      const broken = knowledge.chunks[3];
      if (!broken) throw new Error("the starter knowledge base has fewer than 4 chunks");
      broken.tags.goal = ["world_domination"];
      knowledge.chunks.push({
        ...broken,
        metadata: { ...broken.metadata, chunk_id: "a_brand_new_chunk" },
        tags: { ...broken.tags, goal: ["comfort"] },
      });
      await writeFile(file, JSON.stringify(knowledge));

      const before = await snapshot();
      const error = await loadSeedData(directory).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(SeedValidationError);
      const problems = (error as SeedValidationError).problems;
      expect(problems).toEqual([expect.objectContaining({ item: broken.metadata.chunk_id, path: "tags.goal.0" })]);
      expect((error as Error).message).toContain(broken.metadata.chunk_id);
      expect(await snapshot()).toBe(before);
      expect(await db.prisma.knowledgeChunk.count({ where: { chunkId: "a_brand_new_chunk" } })).toBe(0);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
