// A backup taken, rows changed, then a restore brings every table back to its counts at backup time, on the runtime under test.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BackupError, backupDatabase, restoreDatabase, type RestoreTarget } from "./backup.ts";
import { type Database, openDatabase } from "./connection.ts";
import { openPglite } from "./pglite.ts";
import { createTestDatabase } from "./testing/index.ts";
import { tableRowCounts, verifyDatabase } from "./verify.ts";

const onPostgres = Boolean(process.env.DATABASE_URL);
let scratch: string;
const savedDataDir = process.env.LOCKSTEP_DATA_DIR;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "lockstep-backup-test-"));
  // Anything that falls back to the default data directory lands in the scratch directory, never in .data/.
  process.env.LOCKSTEP_DATA_DIR = path.join(scratch, "default-data");
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  if (savedDataDir === undefined) delete process.env.LOCKSTEP_DATA_DIR;
  else process.env.LOCKSTEP_DATA_DIR = savedDataDir;
  await rm(scratch, { recursive: true, force: true });
});

interface Scratch {
  /** The database as the application would hold it. */
  db: Database;
  target: RestoreTarget;
  /** Opens the database again after a restore (PostgreSQL: a fresh pool; PGlite: the replaced directory). */
  reopen(): Promise<Database>;
}

/**
 * A migrated database in a place the test owns. PostgreSQL: the test database (its own url).
 * PGlite: a data directory in the scratch directory, started from a migrated test database, since
 * restore works on a directory and an in-memory database has none.
 */
async function scratchDatabase(): Promise<Scratch> {
  const test = await createTestDatabase();
  if (onPostgres) {
    const url = test.url as string;
    cleanups.push(() => test.close());
    return { db: test, target: { url }, reopen: () => openDatabase({ url, poolMax: 2 }) };
  }
  const dump = await (test.pglite as NonNullable<typeof test.pglite>).dumpDataDir("gzip");
  await test.close();
  const directory = path.join(scratch, `pglite-${randomUUID()}`);
  const opened = await openDatabase({
    pglite: await openPglite({ dataDir: directory, loadDataDir: dump }),
    ownPglite: true,
  });
  // The test closes it before restoring; closing twice would end the pool twice.
  let closing: Promise<void> | undefined;
  const db: Database = { ...opened, close: () => (closing ??= opened.close()) };
  cleanups.push(() => db.close());
  return { db, target: { pgliteDataDir: directory }, reopen: () => openDatabase({ pgliteDataDir: directory }) };
}

async function countRows(db: Database): Promise<Record<string, number>> {
  const client = await db.pool.connect();
  try {
    return await tableRowCounts(client);
  } finally {
    client.release();
  }
}

/** A person, a character, their engagement, two sessions with messages, a liked message, and a chunk with an embedding. */
async function insertRows(db: Database): Promise<{ userId: string; sessionId: string }> {
  const userId = randomUUID();
  await db.prisma.user.create({ data: { id: userId, name: "Backup", email: `${userId}@example.com` } });
  const character = await db.prisma.character.create({
    data: { slug: `coach-${userId}`, name: "Coach", description: "Backs things up", systemPrompt: "You are careful." },
  });
  const engagement = await db.prisma.engagement.create({ data: { userId, characterId: character.id } });
  const session = await db.prisma.session.create({
    data: { userId, type: "TEXT", characterId: character.id, engagementId: engagement.id, name: "kept" },
  });
  await db.prisma.session.create({ data: { userId, type: "SCREENSHOT", status: "COMPLETE" } });
  const first = await db.prisma.message.create({
    data: { sessionId: session.id, userId, text: "hello", author: "USER" },
  });
  await db.prisma.message.createMany({
    data: [
      { sessionId: session.id, userId, text: "hi there", author: "AI" },
      { sessionId: session.id, userId, text: "how do I start?", author: "USER" },
    ],
  });
  await db.prisma.userMessageInteraction.create({ data: { userId, messageId: first.id, type: "LIKED" } });
  await db.pool.query(
    `INSERT INTO knowledge_chunks (chunk_id, version, source, text_content, embedding_text, embedding, embedding_model, updated_at)
     VALUES ($1, '1.0.0', 'TEST', 'text', 'embedding text', array_fill(0.25::real, ARRAY[1536])::vector, 'test-embedding', now())`,
    [`chunk-${userId}`],
  );
  return { userId, sessionId: session.id };
}

describe(`backup and restore (${onPostgres ? "postgres" : "pglite"})`, () => {
  it("restores every table to its row count at backup time", async () => {
    const { db, target, reopen } = await scratchDatabase();
    const { userId, sessionId } = await insertRows(db);
    const atBackup = await countRows(db);
    expect(atBackup).toMatchObject({
      users: 1,
      characters: 1,
      engagements: 1,
      sessions: 2,
      messages: 3,
      user_message_interactions: 1,
      knowledge_chunks: 1,
    });

    const file = path.join(scratch, `backup-${randomUUID()}.${onPostgres ? "dump" : "tar.gz"}`);
    const backup = await backupDatabase(db, file);
    expect(backup).toMatchObject({ file, runtime: onPostgres ? "postgres" : "pglite" });
    expect(backup.bytes).toBeGreaterThan(1000);
    expect(backup.bytes).toBe((await readFile(file)).length);

    // Change things after the backup: deletions (cascading to messages and likes) and a new row.
    await db.prisma.session.delete({ where: { id: sessionId } });
    await db.prisma.knowledgeChunk.deleteMany({});
    await db.prisma.user.create({ data: { id: randomUUID(), name: "Later", email: `${randomUUID()}@example.com` } });
    const changed = await countRows(db);
    expect(changed).not.toEqual(atBackup);
    expect(changed).toMatchObject({
      users: 2,
      sessions: 1,
      messages: 0,
      user_message_interactions: 0,
      knowledge_chunks: 0,
    });

    if (!onPostgres) {
      // PGlite: a restore would replace the directory under an open database, so it refuses while one is.
      await expect(restoreDatabase(target, file)).rejects.toThrow(/looks in use .*stop the server first/);
      await db.close();
    }
    const restored = await restoreDatabase(target, file);
    expect(restored).toMatchObject({ file, bytes: backup.bytes, runtime: backup.runtime });

    const after = await reopen();
    try {
      expect(await countRows(after)).toEqual(atBackup);
      const messages = await after.prisma.message.findMany({
        where: { sessionId },
        orderBy: { text: "asc" },
        select: { text: true },
      });
      expect(messages.map((message) => message.text)).toEqual(["hello", "hi there", "how do I start?"]);
      // The trigger-maintained counter came back with the rows it counts.
      expect(await after.prisma.engagement.findFirst({ where: { userId }, select: { totalMessages: true } })).toEqual({
        totalMessages: 3,
      });
      const embedding = await after.pool.query<{ dims: number; first: number }>(
        `SELECT vector_dims(embedding) AS dims, (embedding::real[])[1] AS first FROM knowledge_chunks`,
      );
      expect(embedding.rows).toEqual([{ dims: 1536, first: 0.25 }]);
      const report = await verifyDatabase(after);
      expect(report.checks.filter((entry) => !entry.ok)).toEqual([]);
    } finally {
      await after.close();
    }

    if (!onPostgres) {
      // The replaced directory is kept, holding the data as it was just before the restore.
      expect(restored.previousDataDir).toMatch(/\.before-restore-\d{4}-\d\d-\d\dT/);
      const previous = await openDatabase({ pgliteDataDir: restored.previousDataDir as string });
      try {
        expect(await countRows(previous)).toEqual(changed);
      } finally {
        await previous.close();
      }
    }
  });

  it("refuses to overwrite an existing backup file unless forced", async () => {
    const { db } = await scratchDatabase();
    const file = path.join(scratch, `existing-${randomUUID()}.bak`);
    await writeFile(file, "precious");

    await expect(backupDatabase(db, file)).rejects.toThrow(BackupError);
    await expect(backupDatabase(db, file)).rejects.toThrow(/already exists; refusing to overwrite it \(pass --force/);
    expect(await readFile(file, "utf8")).toBe("precious");

    const forced = await backupDatabase(db, file, { force: true });
    expect(forced.bytes).toBeGreaterThan(1000);
    expect(await readFile(file, "utf8")).not.toBe("precious");
    // No partial file is left next to it.
    expect(existsSync(`${file}.partial-${process.pid}`)).toBe(false);
  });

  it("rejects a backup of the other kind before touching the target", async () => {
    const pgDump = path.join(scratch, `fake-${randomUUID()}.dump`);
    const tarball = path.join(scratch, `fake-${randomUUID()}.tar.gz`);
    await writeFile(pgDump, Buffer.concat([Buffer.from("PGDMP"), Buffer.alloc(64)]));
    await writeFile(tarball, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(64)]));
    const directory = path.join(scratch, `untouched-${randomUUID()}`);

    // Nothing listens on port 1: reaching the server at all would fail differently.
    await expect(restoreDatabase({ url: "postgresql://nobody@127.0.0.1:1/none" }, tarball)).rejects.toThrow(
      /not a pg_dump custom-format file \(it is an embedded-database backup/,
    );
    await expect(restoreDatabase({ pgliteDataDir: directory }, pgDump)).rejects.toThrow(
      /not an embedded-database backup .*it is a pg_dump file/,
    );
    await expect(restoreDatabase({ pgliteDataDir: directory }, path.join(scratch, "no-such-file"))).rejects.toThrow(
      /does not exist/,
    );
    expect(existsSync(directory)).toBe(false);
  });

  it.skipIf(onPostgres)("leaves the data directory alone when the backup cannot be loaded", async () => {
    const { db, target, reopen } = await scratchDatabase();
    await insertRows(db);
    const before = await countRows(db);
    await db.close();
    const broken = path.join(scratch, `broken-${randomUUID()}.tar.gz`);
    await writeFile(broken, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(256, 7)]));

    await expect(restoreDatabase(target, broken)).rejects.toThrow(/could not load .* into a new data directory/);
    const again = await reopen();
    try {
      expect(await countRows(again)).toEqual(before);
    } finally {
      await again.close();
    }
  });
});
