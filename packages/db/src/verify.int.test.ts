// db:verify passes on a freshly migrated database and names what broke when the data or schema drifts.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";
import { formatVerifyReport, type OrphanRow, verifyDatabase, type VerifyCheck, type VerifyReport } from "./verify.ts";

const opened: TestDatabase[] = [];
async function testDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  opened.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

function check(report: VerifyReport, name: string): VerifyCheck {
  const found = report.checks.find((entry) => entry.name === name);
  if (!found) throw new Error(`no check named ${name}; have ${report.checks.map((entry) => entry.name).join(", ")}`);
  return found;
}

function failedChecks(report: VerifyReport): string[] {
  return report.checks.filter((entry) => !entry.ok).map((entry) => entry.name);
}

async function createUser(db: TestDatabase): Promise<string> {
  const id = randomUUID();
  await db.prisma.user.create({ data: { id, name: "Verify", email: `${id}@example.com` } });
  return id;
}

describe(`verifyDatabase (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("passes every check on a freshly migrated database, and the report survives JSON", async () => {
    const db = await testDatabase();
    const report = await verifyDatabase(db);

    expect(failedChecks(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.runtime).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
    expect(report.checks.map((entry) => entry.name)).toEqual([
      "migrations",
      "row-counts",
      "foreign-keys",
      "renamed-tables",
      "engagement-columns",
      "engagement-links",
      "character-columns",
      "indexes",
      "triggers",
      "vector-extension",
      "enums",
    ]);
    expect(Object.keys(report.counts)).toEqual(
      expect.arrayContaining(["users", "sessions", "engagements", "messages", "knowledge_chunks"]),
    );
    expect(report.counts).not.toHaveProperty("_prisma_migrations");
    expect(Object.values(report.counts).every((count) => count === 0)).toBe(true);
    expect(check(report, "foreign-keys").detail).toMatch(/^\d+ foreign keys, no orphaned rows$/);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);

    const text = formatVerifyReport(report);
    expect(text.split("\n").filter((line) => line.startsWith("OK "))).toHaveLength(report.checks.length);
    expect(text).toMatch(/^ {2}sessions +0$/m);
    expect(text).toContain("all 11 checks passed");
  });

  it("counts rows per table", async () => {
    const db = await testDatabase();
    const userId = await createUser(db);
    await db.prisma.session.createMany({
      data: [
        { userId, type: "TEXT" },
        { userId, type: "SCREENSHOT" },
      ],
    });
    const report = await verifyDatabase(db);
    expect(report.counts).toMatchObject({ users: 1, sessions: 2, messages: 0 });
    expect(check(report, "row-counts").detail).toMatch(/ 3 rows$/);
  });

  it("fails the foreign-key check on an orphaned row, naming the table and column", async () => {
    const db = await testDatabase();
    const userId = await createUser(db);
    const missingEngagement = randomUUID();
    const client = await db.pool.connect();
    try {
      // The constraint holds in normal operation...
      await expect(
        client.query(`INSERT INTO sessions (user_id, type, engagement_id, updated_at) VALUES ($1, 'TEXT', $2, now())`, [
          userId,
          missingEngagement,
        ]),
      ).rejects.toThrow(/foreign key/);
      // ...so the orphan is planted with the FK triggers switched off, as a bad restore or manual edit would.
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query(
        `INSERT INTO sessions (user_id, type, engagement_id, updated_at) VALUES ($1, 'TEXT', $2, now())`,
        [userId, missingEngagement],
      );
      await client.query("COMMIT");
    } finally {
      client.release();
    }

    const report = await verifyDatabase(db);
    expect(report.ok).toBe(false);
    // The orphan query of docs/decisions/0003 finds the same orphan.
    expect(failedChecks(report)).toEqual(["foreign-keys", "engagement-links"]);
    expect(check(report, "engagement-links").detail).toBe("1 session points at a missing engagement");
    const foreignKeys = check(report, "foreign-keys");
    expect(foreignKeys.detail).toBe("sessions.engagement_id -> engagements(id): 1 orphaned row");
    expect(foreignKeys.rows).toEqual([
      {
        constraint: "sessions_engagement_id_fkey",
        table: "sessions",
        columns: ["engagement_id"],
        references: "engagements(id)",
        orphans: 1,
        examples: [{ engagement_id: missingEngagement }],
      } satisfies OrphanRow,
    ]);
    expect(formatVerifyReport(report)).toContain("FAIL  foreign-keys");
    expect(formatVerifyReport(report)).toContain("2 of 11 checks FAILED");
  });

  it("fails the engagement-links check when the sessions -> engagements key is gone or no longer SET NULL (seed 001 1.4, 4.2)", async () => {
    const db = await testDatabase();
    const userId = await createUser(db);
    expect(check(await verifyDatabase(db), "engagement-links").detail).toBe(
      "no orphaned engagement ids; sessions_engagement_id_fkey is ON DELETE SET NULL",
    );

    await db.pool.query(`ALTER TABLE "sessions" DROP CONSTRAINT "sessions_engagement_id_fkey"`);
    await db.pool.query(
      `INSERT INTO sessions (user_id, type, engagement_id, updated_at) VALUES ($1, 'TEXT', $2, now())`,
      [userId, randomUUID()],
    );
    let report = await verifyDatabase(db);
    // Without the constraint the generic check has nothing to look at; the seed's query still finds the orphan.
    expect(failedChecks(report)).toEqual(["engagement-links"]);
    expect(check(report, "engagement-links").detail).toBe(
      "1 session points at a missing engagement; sessions.engagement_id has no foreign key to engagements",
    );

    await db.pool.query(`DELETE FROM sessions WHERE engagement_id IS NOT NULL`);
    await db.pool.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "sessions_engagement_id_fkey" FOREIGN KEY ("engagement_id") REFERENCES "engagements"("id") ON DELETE CASCADE`,
    );
    report = await verifyDatabase(db);
    expect(failedChecks(report)).toEqual(["engagement-links"]);
    expect(check(report, "engagement-links").detail).toBe(
      "sessions_engagement_id_fkey is not ON DELETE SET NULL (confdeltype=c)",
    );
  });

  it("fails the index check when an expected index is gone, matching by columns and method, not by name", async () => {
    const db = await testDatabase();
    await db.pool.query(`DROP INDEX "sessions_user_id_status_idx"`);
    let report = await verifyDatabase(db);
    expect(failedChecks(report)).toEqual(["indexes"]);
    expect(check(report, "indexes").detail).toBe(
      "missing: sessions (user_id, status) btree [sessions_user_id_status_idx]",
    );

    // The same columns in the wrong order do not serve `WHERE user_id = ? AND status = ?` as a prefix.
    await db.pool.query(`CREATE INDEX "sessions_status_user_idx" ON "sessions" ("status", "user_id")`);
    expect(check(await verifyDatabase(db), "indexes").ok).toBe(false);

    // Under another name, the right columns satisfy it.
    await db.pool.query(`CREATE INDEX "renamed_sessions_status" ON "sessions" ("user_id", "status")`);
    expect(check(await verifyDatabase(db), "indexes").ok).toBe(true);

    // An IVFFlat index on the embedding is not the HNSW index the design asks for.
    await db.pool.query(`DROP INDEX "knowledge_chunks_embedding_hnsw_idx"`);
    await db.pool.query(
      `CREATE INDEX "chunks_ivfflat" ON "knowledge_chunks" USING ivfflat ("embedding" vector_cosine_ops) WITH (lists = 1)`,
    );
    report = await verifyDatabase(db);
    expect(check(report, "indexes").detail).toBe(
      "missing: knowledge_chunks (embedding) hnsw vector_cosine_ops [knowledge_chunks_embedding_hnsw_idx]",
    );
    // Nor is an HNSW index with the wrong distance.
    await db.pool.query(`CREATE INDEX "chunks_hnsw_l2" ON "knowledge_chunks" USING hnsw ("embedding" vector_l2_ops)`);
    expect(check(await verifyDatabase(db), "indexes").ok).toBe(false);
    await db.pool.query(
      `CREATE INDEX "chunks_hnsw_cosine" ON "knowledge_chunks" USING hnsw ("embedding" vector_cosine_ops)`,
    );
    expect(check(await verifyDatabase(db), "indexes").ok).toBe(true);

    // A unique expectation needs a unique index over exactly its columns.
    await db.pool.query(`ALTER TABLE "engagements" DROP CONSTRAINT IF EXISTS "engagements_user_id_character_id_key"`);
    await db.pool.query(`DROP INDEX IF EXISTS "engagements_user_id_character_id_key"`);
    await db.pool.query(`CREATE INDEX "engagements_pair_plain" ON "engagements" ("user_id", "character_id")`);
    report = await verifyDatabase(db);
    expect(check(report, "indexes").detail).toBe(
      "missing: engagements (user_id, character_id) unique btree [engagements_user_id_character_id_key]",
    );
  });

  it("fails the enum check when the database and the contracts disagree, in either direction", async () => {
    const db = await testDatabase();
    await db.pool.query(`ALTER TYPE "SessionStatus" ADD VALUE 'ARCHIVED'`);
    let report = await verifyDatabase(db);
    expect(failedChecks(report)).toEqual(["enums"]);
    expect(check(report, "enums").detail).toBe("SessionStatus: database has ARCHIVED not in contracts");
    expect(check(report, "enums").rows).toContainEqual({
      type: "SessionStatus",
      database: [
        "PENDING_USER_INPUT",
        "PREVIEWING_SCREENSHOT",
        "UPLOADING",
        "ANALYSIS_IN_PROGRESS",
        "VERIFYING_OCR",
        "COMPLETE",
        "ERROR",
        "ARCHIVED",
      ],
      contract: [
        "PENDING_USER_INPUT",
        "PREVIEWING_SCREENSHOT",
        "UPLOADING",
        "ANALYSIS_IN_PROGRESS",
        "VERIFYING_OCR",
        "COMPLETE",
        "ERROR",
      ],
    });

    await db.pool.query(`CREATE TYPE "Mood" AS ENUM ('CALM')`);
    await db.pool.query(`ALTER TYPE "MemoryKind" RENAME TO "MemoryKindOld"`);
    report = await verifyDatabase(db);
    const detail = check(report, "enums").detail;
    expect(detail).toContain("MemoryKind: in contracts but not in the database");
    expect(detail).toContain("Mood: in the database but has no contract");
    expect(detail).toContain("MemoryKindOld: in the database but has no contract");
  });

  it("fails the enum check when the labels are in another order", async () => {
    const db = await testDatabase();
    // Same labels, different order: Prisma and ORDER BY on the column would both disagree with the contract.
    await db.pool.query(`ALTER TYPE "SessionType" RENAME TO "SessionTypeOld"`);
    await db.pool.query(`CREATE TYPE "SessionType" AS ENUM ('TEXT', 'SCREENSHOT')`);
    const report = await verifyDatabase(db);
    expect(check(report, "enums").detail).toContain(
      "SessionType: order differs: database TEXT, SCREENSHOT; contracts SCREENSHOT, TEXT",
    );
  });

  it("fails the seed 001 checks, the trigger check and the migrations check when the schema is rolled back or edited", async () => {
    const db = await testDatabase();
    await db.pool.query(`ALTER TABLE "engagements" ADD COLUMN "stage" TEXT`);
    await db.pool.query(`ALTER TABLE "engagements" RENAME COLUMN "total_sessions" TO "total_episodes"`);
    await db.pool.query(`ALTER TABLE "characters" ADD COLUMN "relationship_stage_thresholds" JSONB`);
    await db.pool.query(`CREATE TABLE "episodes" ("id" INT)`);
    await db.pool.query(`ALTER TABLE "sessions" DISABLE TRIGGER "session_end_trigger"`);
    await db.pool.query(`DROP TRIGGER "message_count_trigger" ON "messages"`);
    await db.pool.query(
      `DELETE FROM "_prisma_migrations" WHERE "migration_name" = (SELECT max("migration_name") FROM "_prisma_migrations")`,
    );

    const report = await verifyDatabase(db);
    expect(failedChecks(report).sort()).toEqual(
      ["character-columns", "engagement-columns", "migrations", "renamed-tables", "triggers"].sort(),
    );
    expect(check(report, "renamed-tables").detail).toBe("episodes still exists");
    expect(check(report, "engagement-columns").detail).toBe(
      "engagements.stage still exists; engagements.total_sessions is missing",
    );
    expect(check(report, "character-columns").detail).toBe("characters.relationship_stage_thresholds still exists");
    expect(check(report, "triggers").detail).toBe(
      "trigger session_end_trigger on sessions is disabled (tgenabled=D); trigger message_count_trigger on messages is missing",
    );
    expect(check(report, "migrations").detail).toMatch(/^\d+ applied; pending: \S+$/);
    // The new table is counted like any other.
    expect(report.counts).toHaveProperty("episodes", 0);
  });
});
