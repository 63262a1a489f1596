// Ingestion, embedding and retrieval of the knowledge base against a real database, as an operator (lockstep_admin) would run them, with a deterministic in-test embedder.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { TKnowledgeIngestReport } from "@lockstep/contracts";
import { REPO_ROOT, seedDatabase, withAdmin } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallOutcome, CallSpec, InteractionLog } from "../log/types.ts";
import { compareVersions, embedMissingChunks, ingestKnowledgeFile } from "./ingest.ts";
import type { KnowledgeWriteScope } from "./scope.ts";
import { createKnowledgeRetriever, searchKnowledge } from "./search.ts";
import { hashedWordsProvider, type HashedWordsProvider } from "../../test/testing-provider.ts";

let db: TestDatabase;
let provider: HashedWordsProvider;
/** What admin.knowledge.ingest runs on: lockstep_admin, which the knowledge migration lets write chunks. */
let asOperator: KnowledgeWriteScope;

beforeAll(async () => {
  db = await createTestDatabase();
  asOperator = {
    read: (work) => withAdmin(db, work),
    change: (work) => withAdmin(db, async (tx) => (await work(tx)).result),
  };
});
afterAll(async () => {
  await db?.close();
});
beforeEach(() => {
  provider = hashedWordsProvider();
});

interface ChunkSpec {
  id: string;
  version?: string;
  source?: string;
  text?: string;
  strings?: string[];
  phase?: string | number;
  goal?: string;
  type?: string;
}

/** A chunk in the source format (what authors write; see docs/architecture.md, Knowledge base). */
function sourceChunk(spec: ChunkSpec) {
  return {
    metadata: { chunk_id: spec.id, version: spec.version ?? "1.0.0", source: spec.source ?? "INGEST_TEST" },
    languageVariants: { en: { text: spec.text ?? `Advice ${spec.id}: ask about their weekend plans.` } },
    embeddingStrings: spec.strings ?? [`weekend plans question ${spec.id.replaceAll("_", " ")}`],
    tags: {
      phase: [spec.phase ?? "1"],
      goal: [spec.goal ?? "attraction"],
      type: [spec.type ?? "opener"],
      technique: ["open_question"],
    },
    situation: "Keeping a conversation going.",
    guidance: { primary_intent: "spark_curiosity", risk_level: "low" },
  };
}

async function rows(source: string) {
  const { rows: found } = await db.pool.query<{
    chunk_id: string;
    version: string;
    is_active: boolean;
    text_content: string;
    embedding: string | null;
    embedding_model: string | null;
    updated_at: Date;
  }>(
    `SELECT chunk_id, version, is_active, text_content, embedding::text AS embedding, embedding_model, updated_at
       FROM knowledge_chunks WHERE source = $1 ORDER BY chunk_id`,
    [source],
  );
  return found;
}

function expectCounts(report: TKnowledgeIngestReport, counts: Partial<TKnowledgeIngestReport>) {
  expect(report.errors).toEqual([]);
  expect(report).toMatchObject({
    ok: true,
    created: 0,
    updated: 0,
    unchanged: 0,
    deactivated: 0,
    embedded: 0,
    ...counts,
  });
}

describe("compareVersions", () => {
  it("orders by major, minor and patch as numbers", () => {
    expect(compareVersions("1.10.0", "1.9.9")).toBe(1);
    expect(compareVersions("2.0.0", "10.0.0")).toBe(-1);
    expect(compareVersions("1.2.3", "1.2.3")).toBe(0);
    expect(compareVersions("1.2", "1.2.0")).toBeNull();
  });
});

describe("ingestKnowledgeFile", () => {
  it("writes nothing for a malformed file and names each bad chunk and field", async () => {
    const file = {
      chunks: [
        sourceChunk({ id: "malformed_ok_001", source: "MALFORMED" }),
        {
          ...sourceChunk({ id: "malformed_bad_002", source: "MALFORMED" }),
          tags: { phase: ["9"], goal: ["romance"], type: ["opener"] },
        },
        sourceChunk({ id: "malformed_ok_001", source: "MALFORMED" }),
      ],
    };
    const report = await ingestKnowledgeFile(asOperator, provider, file);
    expect(report.ok).toBe(false);
    expect(report.created).toBe(0);
    expect(report.errors).toEqual([
      {
        index: 1,
        chunkId: "malformed_bad_002",
        path: "tags.phase.0",
        message: "phase must be 1, 2, 3 or 4 (as a number or a string)",
      },
      {
        index: 1,
        chunkId: "malformed_bad_002",
        path: "tags.goal.0",
        message: "goal must be one of: attraction, comfort, commitment, closing",
      },
      {
        index: 2,
        chunkId: "malformed_ok_001",
        path: "metadata.chunk_id",
        message: 'duplicate chunk_id "malformed_ok_001" (first used by chunk 0)',
      },
    ]);
    expect(await rows("MALFORMED")).toEqual([]);
    expect(provider.calls).toEqual([]);
  });

  it("refuses text PostgreSQL cannot store (NUL, unpaired surrogates) as a file error, not a failed write", async () => {
    const file = [
      sourceChunk({ id: "nul_001", source: "NUL", text: "before\u0000after" }),
      sourceChunk({ id: "nul_002", source: "NUL", strings: ["half a pair \ud800 here"] }),
    ];
    const report = await ingestKnowledgeFile(asOperator, provider, file);
    expect(report.errors).toEqual([
      {
        index: 0,
        chunkId: "nul_001",
        path: "languageVariants.en.text",
        message: "languageVariants.en.text must not contain a NUL character or an unpaired surrogate",
      },
      {
        index: 1,
        chunkId: "nul_002",
        path: "embeddingStrings",
        message: "embeddingStrings must not contain a NUL character or an unpaired surrogate",
      },
    ]);
    expect(await rows("NUL")).toEqual([]);
    expect(provider.calls).toEqual([]);
  });

  it("creates and embeds a new file, then changes nothing when the same file comes again", async () => {
    const file = [1, 2, 3].map((n) => sourceChunk({ id: `same_00${n}`, source: "SAME" }));
    expectCounts(await ingestKnowledgeFile(asOperator, provider, file), { created: 3, embedded: 3 });
    const first = await rows("SAME");
    expect(first.map((r) => [r.chunk_id, r.version, r.embedding_model, r.embedding !== null])).toEqual([
      ["same_001", "1.0.0", "test-hashed-words", true],
      ["same_002", "1.0.0", "test-hashed-words", true],
      ["same_003", "1.0.0", "test-hashed-words", true],
    ]);
    expect(provider.calls).toHaveLength(1);

    const again = await ingestKnowledgeFile(asOperator, provider, { chunks: file });
    expectCounts(again, { unchanged: 3 });
    expect(again.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect(await rows("SAME")).toEqual(first);
    // Nothing to embed, so the provider is not called at all.
    expect(provider.calls).toHaveLength(1);
  });

  it("replaces a chunk with a newer version and re-embeds it, and refuses an older one with nothing written", async () => {
    await ingestKnowledgeFile(asOperator, provider, [
      sourceChunk({ id: "ver_001", source: "VER" }),
      sourceChunk({ id: "ver_002", source: "VER" }),
    ]);
    const [before] = await rows("VER");

    const newer = sourceChunk({
      id: "ver_001",
      source: "VER",
      version: "1.1.0",
      text: "Newer advice.",
      strings: ["entirely different embedding words"],
    });
    const report = await ingestKnowledgeFile(asOperator, provider, [
      newer,
      sourceChunk({ id: "ver_002", source: "VER" }),
    ]);
    expectCounts(report, { updated: 1, unchanged: 1, embedded: 1 });
    expect(report.changes).toContainEqual({
      chunkId: "ver_001",
      action: "updated",
      fromVersion: "1.0.0",
      toVersion: "1.1.0",
    });
    const [after] = await rows("VER");
    expect(after).toMatchObject({
      version: "1.1.0",
      text_content: "Newer advice.",
      embedding_model: "test-hashed-words",
    });
    expect(after?.embedding).not.toBeNull();
    expect(after?.embedding).not.toEqual(before?.embedding);
    expect(provider.calls.at(-1)).toEqual(["entirely different embedding words"]);

    // Older than stored: refused for that chunk, and the new chunk in the same file is not created either.
    const calls = provider.calls.length;
    const older = await ingestKnowledgeFile(asOperator, provider, [
      sourceChunk({ id: "ver_003", source: "VER" }),
      sourceChunk({ id: "ver_001", source: "VER", version: "1.0.5" }),
    ]);
    expect(older.ok).toBe(false);
    expect(older.errors).toEqual([
      {
        index: 1,
        chunkId: "ver_001",
        path: "metadata.version",
        message:
          "version 1.0.5 is older than the stored version 1.1.0; the knowledge base only moves forward, so give the chunk a version above 1.1.0",
      },
    ]);
    expect((await rows("VER")).map((r) => [r.chunk_id, r.version])).toEqual([
      ["ver_001", "1.1.0"],
      ["ver_002", "1.0.0"],
    ]);
    expect(provider.calls.length).toBe(calls);
  });

  it("refuses changed content under the same version", async () => {
    await ingestKnowledgeFile(asOperator, provider, [sourceChunk({ id: "edit_001", source: "EDIT" })]);
    const report = await ingestKnowledgeFile(asOperator, provider, [
      sourceChunk({ id: "edit_001", source: "EDIT", text: "Quietly edited." }),
    ]);
    expect(report.errors).toEqual([
      {
        index: 0,
        chunkId: "edit_001",
        path: "metadata.version",
        message: "version 1.0.0 is already stored with different content; raise the version to replace it",
      },
    ]);
    expect((await rows("EDIT"))[0]?.text_content).not.toBe("Quietly edited.");
  });

  it("reports without embedding or writing in a dry run", async () => {
    const report = await ingestKnowledgeFile(asOperator, provider, [sourceChunk({ id: "dry_001", source: "DRY" })], {
      dryRun: true,
    });
    expect(report).toMatchObject({ ok: true, dryRun: true, created: 1, embedded: 1 });
    expect(await rows("DRY")).toEqual([]);
    expect(provider.calls).toEqual([]);
  });

  it("deactivates chunks missing from their source only when asked, and never deletes them", async () => {
    const all = [1, 2, 3].map((n) => sourceChunk({ id: `gone_00${n}`, source: "GONE" }));
    await ingestKnowledgeFile(asOperator, provider, all);
    await ingestKnowledgeFile(asOperator, provider, [sourceChunk({ id: "other_001", source: "OTHER" })]);
    const partial = all.slice(0, 2);

    expectCounts(await ingestKnowledgeFile(asOperator, provider, partial), { unchanged: 2 });
    expect((await rows("GONE")).map((r) => r.is_active)).toEqual([true, true, true]);

    const report = await ingestKnowledgeFile(asOperator, provider, partial, { deactivateMissing: true });
    expectCounts(report, { unchanged: 2, deactivated: 1 });
    expect(report.changes).toContainEqual({
      chunkId: "gone_003",
      action: "deactivated",
      fromVersion: "1.0.0",
      toVersion: "1.0.0",
    });
    expect((await rows("GONE")).map((r) => [r.chunk_id, r.is_active])).toEqual([
      ["gone_001", true],
      ["gone_002", true],
      ["gone_003", false],
    ]);
    // Only the file's own source is touched.
    expect((await rows("OTHER")).map((r) => r.is_active)).toEqual([true]);
  });

  it("holds every chunk to the source the file is ingested as", async () => {
    const report = await ingestKnowledgeFile(
      asOperator,
      provider,
      [sourceChunk({ id: "src_001", source: "RIGHT" }), sourceChunk({ id: "src_002", source: "WRONG" })],
      { source: "RIGHT" },
    );
    expect(report.errors).toEqual([
      {
        index: 1,
        chunkId: "src_002",
        path: "metadata.source",
        message: 'source is "WRONG", but this file is being ingested as "RIGHT"',
      },
    ]);
    expect(await rows("RIGHT")).toEqual([]);
  });

  it("embeds in batches, logging each provider call as an AI interaction", async () => {
    const calls: { spec: CallSpec; outcome?: CallOutcome }[] = [];
    const log: InteractionLog = {
      async begin(spec) {
        const call: { spec: CallSpec; outcome?: CallOutcome } = { spec };
        calls.push(call);
        return {
          id: String(calls.length),
          firstToken() {},
          succeed: async (outcome) => void (call.outcome = outcome),
          fail: async () => {},
        };
      },
      inFlight: () => 0,
      cancelInFlight: async () => 0,
    };
    const file = Array.from({ length: 150 }, (_, n) =>
      sourceChunk({ id: `batch_${String(n).padStart(3, "0")}`, source: "BATCH" }),
    );
    const report = await ingestKnowledgeFile(asOperator, provider, file, {
      logging: { log, context: { userId: null, sessionId: null, ip: null, dataSource: "admin" } },
    });
    expectCounts(report, { created: 150, embedded: 150 });
    expect(provider.calls.map((texts) => texts.length)).toEqual([64, 64, 22]);
    expect(calls.map((c) => [c.spec.operation, c.spec.model, c.spec.metadata?.batch, c.outcome?.response])).toEqual([
      ["embed", "test-hashed-words", 1, { embeddings: 64, dimensions: 1536 }],
      ["embed", "test-hashed-words", 2, { embeddings: 64, dimensions: 1536 }],
      ["embed", "test-hashed-words", 3, { embeddings: 22, dimensions: 1536 }],
    ]);
  });
});

describe("the seeded starter knowledge base", () => {
  let starter: unknown;

  beforeAll(async () => {
    starter = JSON.parse(await readFile(path.join(REPO_ROOT, "prisma/seed/data/knowledge/starter.json"), "utf8"));
    await seedDatabase(db);
  });

  it("gets its vectors from embedMissingChunks, once, and again for a new model", async () => {
    const { rows: missing } = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM knowledge_chunks WHERE source = 'LOCKSTEP_STARTER' AND embedding IS NULL",
    );
    expect(missing[0]?.n).toBeGreaterThan(40);

    const first = await embedMissingChunks(db, provider, { batchSize: 32 });
    expect(first.embedded).toBe(missing[0]?.n);
    expect(first).toMatchObject({ skipped: 0, empty: [] });
    expect(provider.calls.every((texts) => texts.length <= 32)).toBe(true);
    expect(await embedMissingChunks(db, provider)).toEqual({ embedded: 0, skipped: 0, empty: [] });

    // The same file, ingested afterwards, is entirely unchanged: the seed and the file agree.
    const report = await ingestKnowledgeFile(asOperator, provider, starter, { source: "LOCKSTEP_STARTER" });
    expectCounts(report, { unchanged: missing[0]?.n ?? -1 });

    // A different embedding model makes every stored vector foreign to its queries.
    const other = hashedWordsProvider("another-model");
    const { rows: total } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM knowledge_chunks");
    expect((await embedMissingChunks(db, other)).embedded).toBe(total[0]?.n);
    expect((await embedMissingChunks(db, provider)).embedded).toBe(total[0]?.n);
  });

  it("finds the chunk whose words a query uses, under the seed's filters, as lockstep_app", async () => {
    await embedMissingChunks(db, provider);
    const query = "I matched with someone and don't know what to write first";
    const outcome = await searchKnowledge(db, provider, { query, limit: 3 }, { explain: true });
    expect(outcome.items[0]?.chunkId).toBe("attraction_opener_001");
    expect(outcome.items).toHaveLength(3);
    const scores = outcome.items.map((item) => item.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(outcome.settings).toEqual({
      embeddingModel: "test-hashed-words",
      efSearch: 100,
      iterativeScan: "relaxed_order",
      maxScanTuples: 20_000,
    });
    expect(outcome.filters).toMatchObject({ byFilter: { phase: null, goal: null, type: null } });
    expect(outcome.filters?.matching).toBe(outcome.filters?.active);

    const filtered = await searchKnowledge(
      db,
      provider,
      { query, goal: "comfort", phase: 2, limit: 50 },
      { explain: true },
    );
    expect(filtered.items.length).toBe(filtered.filters?.searchable);
    expect(filtered.filters?.matching).toBeLessThan(filtered.filters?.active ?? 0);
    for (const item of filtered.items) expect(item).toMatchObject({ goal: "comfort", phase: 2 });

    const retrieve = createKnowledgeRetriever(db, provider);
    const grounding = await retrieve(query, { limit: 2, type: "opener" });
    expect(grounding.map((chunk) => chunk.chunkId)[0]).toBe("attraction_opener_001");
    expect(Object.keys(grounding[0] ?? {}).sort()).toEqual([
      "chunkId",
      "goal",
      "phase",
      "primaryIntent",
      "score",
      "situation",
      "techniques",
      "text",
    ]);
  });

  it("finds nothing, rather than failing, for a query the provider cannot embed", async () => {
    const outcome = await searchKnowledge(db, provider, { query: "?!", limit: 5 });
    expect(outcome.items).toEqual([]);
  });
});
