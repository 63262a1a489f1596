// The knowledge repository against a real database: the grants and the stale-embedding rule, conditional writes, and filtered HNSW search over a few thousand synthetic chunks compared with an exact scan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAdmin, withAnonymous, type ScopedTx } from "../scoped.ts";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";
import {
  countKnowledgeFilterMatches,
  findChunksNeedingEmbedding,
  KNOWLEDGE_EMBEDDING_DIMENSIONS,
  KnowledgeWriteConflictError,
  listKnowledgeChunksForAdmin,
  searchKnowledgeChunks,
  setChunkEmbeddings,
  setKnowledgeChunkActive,
  toVectorLiteral,
  writeKnowledgeChanges,
  type KnowledgeChunkWrite,
  type KnowledgeVectorQuery,
} from "./knowledge.ts";

const DIM = KNOWLEDGE_EMBEDDING_DIMENSIONS;
const MODEL = "test-model";

let db: TestDatabase;

/** mulberry32: a tiny seeded PRNG, so every run builds the same corpus. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function normalise(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function randomUnit(random: () => number): number[] {
  return normalise(Array.from({ length: DIM }, () => gaussian(random)));
}

function near(center: readonly number[], spread: number, random: () => number): number[] {
  return normalise(center.map((value) => value + spread * gaussian(random)));
}

function chunk(chunkId: string, overrides: Partial<KnowledgeChunkWrite> = {}): KnowledgeChunkWrite {
  return {
    chunkId,
    version: "1.0.0",
    source: "REPO_TEST",
    textContent: `text of ${chunkId}`,
    embeddingText: `embedding text of ${chunkId}`,
    phase: 1,
    goal: "attraction",
    type: "opener",
    techniques: ["open_question"],
    context: [],
    situation: null,
    primaryIntent: null,
    riskLevel: null,
    embedding: randomUnit(prng(chunkId.length * 7919 + chunkId.charCodeAt(chunkId.length - 1))),
    embeddingModel: MODEL,
    ...overrides,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function row(chunkId: string) {
  const { rows } = await db.pool.query<{
    version: string;
    has_embedding: boolean;
    embedding_model: string | null;
    is_active: boolean;
    text_content: string;
  }>(
    `SELECT version, embedding IS NOT NULL AS has_embedding, embedding_model, is_active, text_content FROM knowledge_chunks WHERE chunk_id = $1`,
    [chunkId],
  );
  return rows[0];
}

describe("grants and rules", () => {
  it("lets lockstep_admin insert and update chunks, and lockstep_app only read them", async () => {
    await withAdmin(db, (tx) =>
      writeKnowledgeChanges(tx, { create: [chunk("grant_admin_001")], update: [], embed: [], deactivate: [] }),
    );
    expect(await row("grant_admin_001")).toMatchObject({
      version: "1.0.0",
      has_embedding: true,
      embedding_model: MODEL,
    });
    await expect(
      withAnonymous(db, (tx) =>
        writeKnowledgeChanges(tx, { create: [chunk("grant_app_001")], update: [], embed: [], deactivate: [] }),
      ),
    ).rejects.toThrow(/permission denied/);
    const seen = await withAnonymous(
      db,
      (tx) => tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM knowledge_chunks`,
    );
    expect(seen[0]?.n).toBeGreaterThan(0);
  });

  it("clears a vector whose text changed without it, so it is re-embedded rather than stale", async () => {
    await withAdmin(db, (tx) =>
      writeKnowledgeChanges(tx, { create: [chunk("stale_001")], update: [], embed: [], deactivate: [] }),
    );
    // A writer that knows nothing of embeddings (the seed, a hand edit) changes only the text.
    await db.pool.query(`UPDATE knowledge_chunks SET embedding_text = 'new words' WHERE chunk_id = 'stale_001'`);
    expect(await row("stale_001")).toMatchObject({ has_embedding: false, embedding_model: null });
    // Other columns leave the vector alone.
    await withAdmin(db, (tx) =>
      writeKnowledgeChanges(tx, { create: [chunk("stale_002")], update: [], embed: [], deactivate: [] }),
    );
    await db.pool.query(`UPDATE knowledge_chunks SET text_content = 'shown text only' WHERE chunk_id = 'stale_002'`);
    expect(await row("stale_002")).toMatchObject({ has_embedding: true, embedding_model: MODEL });
    const missing = await withAdmin(db, (tx) => findChunksNeedingEmbedding(tx, MODEL, 1000));
    expect(missing.map((m) => m.embeddingText)).toContain("new words");
    expect(missing.map((m) => m.embeddingText)).not.toContain("embedding text of stale_002");
  });

  it("refuses a vector without its model and a model without a vector", async () => {
    await expect(
      db.pool.query(`UPDATE knowledge_chunks SET embedding_model = NULL WHERE chunk_id = 'stale_002'`),
    ).rejects.toThrow(/knowledge_chunks_embedding_model_check/);
  });

  it("sets a filled-in vector only while the text is still the one embedded", async () => {
    const [target] = (await withAdmin(db, (tx) => findChunksNeedingEmbedding(tx, MODEL, 1000))).filter(
      (m) => m.embeddingText === "new words",
    );
    expect(target).toBeDefined();
    const vector = randomUnit(prng(5));
    const stale = await withAdmin(db, (tx) =>
      setChunkEmbeddings(tx, [{ id: target!.id, embeddingText: "older words", embedding: vector }], MODEL),
    );
    expect(stale).toBe(0);
    const set = await withAdmin(db, (tx) =>
      setChunkEmbeddings(tx, [{ id: target!.id, embeddingText: "new words", embedding: vector }], MODEL),
    );
    expect(set).toBe(1);
    expect(await row("stale_001")).toMatchObject({ has_embedding: true, embedding_model: MODEL });
  });
});

describe("writeKnowledgeChanges", () => {
  it("updates only from the version the plan saw, and writes nothing of a file when one chunk conflicts", async () => {
    await withAdmin(db, (tx) =>
      writeKnowledgeChanges(tx, {
        create: [chunk("write_001"), chunk("write_002")],
        update: [],
        embed: [],
        deactivate: [],
      }),
    );
    const newer = (id: string, expectedVersion: string) => ({
      ...chunk(id, { version: "1.1.0", textContent: `newer ${id}`, embeddingText: `newer words of ${id}` }),
      expectedVersion,
    });
    // write_002's plan saw a version that is no longer stored: the whole write rolls back.
    const conflict = withAdmin(db, (tx) =>
      writeKnowledgeChanges(tx, {
        create: [chunk("write_003")],
        update: [newer("write_001", "1.0.0"), newer("write_002", "0.9.0")],
        embed: [],
        deactivate: [],
      }),
    );
    await expect(conflict).rejects.toBeInstanceOf(KnowledgeWriteConflictError);
    await expect(conflict).rejects.toMatchObject({ chunkIds: ["write_002"] });
    expect(await row("write_001")).toMatchObject({ version: "1.0.0", text_content: "text of write_001" });
    expect(await row("write_003")).toBeUndefined();

    const result = await withAdmin(db, (tx) =>
      writeKnowledgeChanges(tx, {
        create: [],
        update: [newer("write_001", "1.0.0")],
        embed: [],
        deactivate: [{ chunkId: "write_002", version: "1.0.0" }],
      }),
    );
    expect(result).toEqual({ created: 0, updated: 1, embedded: 0, deactivated: 1 });
    expect(await row("write_001")).toMatchObject({
      version: "1.1.0",
      text_content: "newer write_001",
      has_embedding: true,
    });
    expect(await row("write_002")).toMatchObject({ is_active: false });
  });

  it("keeps the new vector even when the new text embeds exactly like the old one", async () => {
    const same = chunk("write_same");
    await withAdmin(db, (tx) => writeKnowledgeChanges(tx, { create: [same], update: [], embed: [], deactivate: [] }));
    await withAdmin(db, (tx) =>
      writeKnowledgeChanges(tx, {
        create: [],
        update: [{ ...same, version: "2.0.0", embeddingText: "reworded but same vector", expectedVersion: "1.0.0" }],
        embed: [],
        deactivate: [],
      }),
    );
    expect(await row("write_same")).toMatchObject({ version: "2.0.0", has_embedding: true, embedding_model: MODEL });
  });
});

describe("admin list and switch", () => {
  it("pages by chunk_id with filters, and switches a chunk off and on", async () => {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listKnowledgeChunksForAdmin>> = await withAdmin(db, (tx) =>
        listKnowledgeChunksForAdmin(tx, { goal: "attraction", afterChunkId: after, limit: 2 }),
      );
      ids.push(...page.items.map((item) => item.chunkId));
      after = page.nextChunkId;
    } while (after);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("write_001");

    const inactive = await withAdmin(db, (tx) => listKnowledgeChunksForAdmin(tx, { active: false, limit: 50 }));
    expect(inactive.items.map((item) => item.chunkId)).toEqual(["write_002"]);
    const target = inactive.items[0]!;
    const on = await withAdmin(db, (tx) => setKnowledgeChunkActive(tx, target.id, true));
    expect(on?.before.isActive).toBe(false);
    expect(on?.after.isActive).toBe(true);
    expect(
      await withAdmin(db, (tx) => setKnowledgeChunkActive(tx, "00000000-0000-4000-8000-000000000000", true)),
    ).toBeNull();
  });
});

// ------------------------------------------------------------------ filtered search

const CLUSTERS = 30;
const PER_CLUSTER = 100;
/** One chunk in a hundred is a closing: a filter that selective starves a plain HNSW scan. */
const RARE_TYPE_EVERY = 100;
const SEARCH_SOURCE = "SYNTHETIC";

let centroids: number[][];

/** Inserted as the owner, straight through pg: the corpus is fixture data, not what is under test. */
async function insertCorpus(): Promise<void> {
  const random = prng(42);
  centroids = Array.from({ length: CLUSTERS }, () => randomUnit(random));
  const rows: { chunkId: string; type: string; goal: string; phase: number; vector: string }[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    for (let i = 0; i < PER_CLUSTER; i++) {
      const n = c * PER_CLUSTER + i;
      rows.push({
        chunkId: `synthetic_${String(n).padStart(5, "0")}`,
        // One per cluster, at a different place in each, so goal and phase (below) vary among them.
        type: i === (c * 37) % RARE_TYPE_EVERY ? "closing" : "response",
        goal: ["attraction", "comfort", "commitment", "closing"][n % 4]!,
        phase: (n % 4) + 1,
        vector: toVectorLiteral(near(centroids[c]!, 0.04, random)),
      });
    }
  }
  // Building the HNSW graph once over all rows is far quicker than growing it row by row (minutes
  // on PGlite), so the index is dropped and re-created from its own definition, unchanged.
  const definition = await db.pool.query<{ def: string }>(
    "SELECT pg_get_indexdef('knowledge_chunks_embedding_hnsw_idx'::regclass) AS def",
  );
  await db.pool.query("DROP INDEX knowledge_chunks_embedding_hnsw_idx");
  for (let start = 0; start < rows.length; start += 250) {
    const batch = rows.slice(start, start + 250);
    await db.pool.query(
      `INSERT INTO knowledge_chunks (chunk_id, version, source, text_content, embedding_text, embedding, embedding_model, phase, goal, type, updated_at)
       SELECT id, '1.0.0', $6, 'synthetic', 'synthetic', v::vector, $7, p, g, t, now()
         FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[]) AS u(id, v, p, g, t)`,
      [
        batch.map((r) => r.chunkId),
        batch.map((r) => r.vector),
        batch.map((r) => r.phase),
        batch.map((r) => r.goal),
        batch.map((r) => r.type),
        SEARCH_SOURCE,
        MODEL,
      ],
    );
  }
  await db.pool.query(definition.rows[0]!.def);
  await db.pool.query("ANALYZE knowledge_chunks");
}

/** The true nearest rows: the same query with index scans off, so it is a sequential scan and a sort. */
async function exactSearch(query: KnowledgeVectorQuery) {
  return withAnonymous(db, async (tx) => {
    await tx.$executeRaw`SELECT set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`;
    return (await searchKnowledgeChunks(tx, query)).hits;
  });
}

/** Makes the planner take the HNSW index, as it does on a base large enough that a sequential scan loses. */
async function forceVectorIndex(tx: ScopedTx): Promise<void> {
  await tx.$executeRaw`SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`;
}

async function planUsesHnsw(tx: ScopedTx, vector: string): Promise<boolean> {
  const plan = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
    `EXPLAIN SELECT id FROM knowledge_chunks WHERE is_active AND embedding_model = '${MODEL}' AND type = 'closing' ORDER BY embedding <=> '${vector}'::vector LIMIT 10`,
  );
  return plan
    .map((line) => line["QUERY PLAN"])
    .join("\n")
    .includes("knowledge_chunks_embedding_hnsw_idx");
}

describe("searchKnowledgeChunks over a few thousand chunks", () => {
  beforeAll(async () => {
    await insertCorpus();
  }, 300_000);

  it("accepts and reports pgvector's iterative-scan settings on this runtime", async () => {
    const shown = await withAnonymous(db, async (tx) => {
      const settings = await searchKnowledgeChunks(tx, { vector: centroids[0]!, embeddingModel: MODEL, limit: 3 });
      const show = await tx.$queryRaw<{ iterative: string; tuples: string; ef: string }[]>`
        SELECT current_setting('hnsw.iterative_scan') AS iterative, current_setting('hnsw.max_scan_tuples') AS tuples,
               current_setting('hnsw.ef_search') AS ef`;
      return { settings: settings.settings, show: show[0] };
    });
    // PGlite ships pgvector 0.8.x and the PostgreSQL build here is 0.8.0: both iterate.
    expect(shown.settings).toEqual({ efSearch: 100, iterativeScan: "relaxed_order", maxScanTuples: 20_000 });
    expect(shown.show).toEqual({ iterative: "relaxed_order", tuples: "20000", ef: "100" });
    // SET LOCAL: the next transaction on the connection starts from the defaults again.
    const after = await withAnonymous(
      db,
      (tx) => tx.$queryRaw<{ iterative: string }[]>`SELECT current_setting('hnsw.iterative_scan') AS iterative`,
    );
    expect(after[0]?.iterative).toBe("off");
  });

  it("returns `limit` rows, nearest first, under an unselective filter, agreeing with the exact scan", async () => {
    const random = prng(7);
    const query: KnowledgeVectorQuery = {
      vector: near(centroids[3]!, 0.04, random),
      embeddingModel: MODEL,
      goal: "comfort",
      limit: 10,
    };
    const approximate = await withAnonymous(db, (tx) => searchKnowledgeChunks(tx, query));
    const exact = await exactSearch(query);
    expect(approximate.hits).toHaveLength(10);
    const distances = approximate.hits.map((hit) => hit.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    const overlap = approximate.hits.filter((hit) => exact.some((e) => e.chunkId === hit.chunkId)).length;
    expect(overlap / exact.length).toBeGreaterThanOrEqual(0.9);
    for (const hit of approximate.hits) expect(hit.goal).toBe("comfort");
  });

  it("still returns `limit` rows under a selective filter when that many match, where plain HNSW returns fewer", async () => {
    const random = prng(11);
    const vector = near(centroids[5]!, 0.04, random);
    const query: KnowledgeVectorQuery = { vector, embeddingModel: MODEL, type: "closing", limit: 10 };
    const counts = await withAnonymous(db, (tx) =>
      countKnowledgeFilterMatches(tx, { type: "closing", embeddingModel: MODEL }),
    );
    expect(counts.matching).toBe((CLUSTERS * PER_CLUSTER) / RARE_TYPE_EVERY);
    expect(counts.searchable).toBe(counts.matching);
    expect(counts.byFilter).toEqual({ phase: null, goal: null, type: counts.matching });

    const exact = await exactSearch(query);
    expect(exact).toHaveLength(10);

    // Plain HNSW: ef_search candidates come back from the index and the filter keeps ~1% of them.
    const plain = await withAnonymous(db, async (tx) => {
      await forceVectorIndex(tx);
      expect(await planUsesHnsw(tx, toVectorLiteral(vector))).toBe(true);
      return searchKnowledgeChunks(tx, { ...query, efSearch: 40, iterativeScan: false });
    });
    expect(plain.settings.iterativeScan).toBe("off");
    expect(plain.hits.length).toBeLessThan(10);

    // The same forced index scan, iterating: it keeps walking the graph until ten pass the filter.
    const iterative = await withAnonymous(db, async (tx) => {
      await forceVectorIndex(tx);
      expect(await planUsesHnsw(tx, toVectorLiteral(vector))).toBe(true);
      return searchKnowledgeChunks(tx, { ...query, efSearch: 40 });
    });
    expect(iterative.hits).toHaveLength(10);
    for (const hit of iterative.hits) expect(hit.type).toBe("closing");
    const overlap = iterative.hits.filter((hit) => exact.some((e) => e.chunkId === hit.chunkId)).length;
    expect(overlap).toBeGreaterThanOrEqual(8);

    // Left to the planner (the production path), the answer is complete too.
    const planned = await withAnonymous(db, (tx) => searchKnowledgeChunks(tx, query));
    expect(planned.hits).toHaveLength(10);
  });

  it("returns every match, and no more, when fewer than `limit` pass the filters", async () => {
    const query: KnowledgeVectorQuery = {
      vector: centroids[9]!,
      embeddingModel: MODEL,
      type: "closing",
      goal: "commitment",
      phase: 3,
      limit: 20,
    };
    const counts = await withAnonymous(db, (tx) => countKnowledgeFilterMatches(tx, { ...query }));
    expect(counts.matching).toBeGreaterThan(0);
    expect(counts.matching).toBeLessThan(20);
    const iterative = await withAnonymous(db, async (tx) => {
      await forceVectorIndex(tx);
      return searchKnowledgeChunks(tx, query);
    });
    expect(iterative.hits).toHaveLength(counts.matching);
  });

  it("leaves out inactive chunks and chunks embedded by another model", async () => {
    const query: KnowledgeVectorQuery = { vector: centroids[1]!, embeddingModel: MODEL, limit: 5 };
    const before = await withAnonymous(db, (tx) => searchKnowledgeChunks(tx, query));
    const [first, second] = before.hits;
    await db.pool.query(`UPDATE knowledge_chunks SET is_active = false WHERE chunk_id = $1`, [first!.chunkId]);
    await db.pool.query(`UPDATE knowledge_chunks SET embedding_model = 'another-model' WHERE chunk_id = $1`, [
      second!.chunkId,
    ]);
    const after = await withAnonymous(db, (tx) => searchKnowledgeChunks(tx, query));
    expect(after.hits.map((hit) => hit.chunkId)).not.toContain(first!.chunkId);
    expect(after.hits.map((hit) => hit.chunkId)).not.toContain(second!.chunkId);
    expect(after.hits).toHaveLength(5);
  });
});
