// Re-embedding the knowledge base for a new embedding model, against a real database and the fake
// OpenAI-compatible server (each model embeds to its own vectors): search answers from the old
// vectors until every chunk has a new one, then switches; a second change during a run wins; a change
// back drops the run; a run cut short mid-batch is finished by the queue's retry without embedding a
// done chunk again; progress and the switch are visible to operators and audited.
import {
  type AiRuntime,
  createInteractionLog,
  createModelRouter,
  embedMissingChunks,
  type ModelRouter,
  reembedKnowledge,
  SessionStreams,
  searchKnowledge,
} from "@lockstep/ai";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { loadConfigGroup } from "@lockstep/config";
import { createKeyBox, type JobQueue, openJobQueue, seedDatabase } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, insertUser, type TestUser } from "../../test/testing/callers.ts";
import { resumeReembedding, startReembedWorker } from "./knowledge-reembed.ts";
import { prepareQueues } from "./worker.ts";

let db: TestDatabase;
let fake: FakeOpenAiServer;
let models: ModelRouter;
let runtime: AiRuntime;
let queue: JobQueue;
let admin: TestUser;
let providerId: string;
let total: number;
/** A chunk whose own embedding text, as a query, must find it first under any one model. */
let probe: { chunkId: string; text: string };

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await insertUser(db, { name: "Model Operator", role: "admin" });
  fake = await startFakeOpenAiServer({ embeddingDimensions: 1536, embeddingsPerModel: true });
  await seedDatabase(db);
  const log = createInteractionLog(db);
  models = await createModelRouter(db, {
    env: loadConfigGroup("ai", {
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: "test-key",
      OPENAI_CHAT_MODEL: "chat-a",
      OPENAI_EMBEDDING_MODEL: "embed-a",
      AI_RETRY_ATTEMPTS: "3",
    }),
    keys: createKeyBox("a-test-secret-that-is-long-enough-for-aes"),
    log,
  });
  // The environment's endpoint became the first provider and the defaults; the knowledge is embedded with it.
  await embedMissingChunks(db, models.provider);
  queue = await openJobQueue(db, { schedule: false, supervise: false });
  await prepareQueues(queue);
  runtime = {
    provider: models.provider,
    log,
    streams: new SessionStreams(),
    retrieve: async () => [],
    models,
    jobs: queue,
  };
  const { rows } = await db.pool.query<{ id: string }>(`SELECT id::text FROM providers WHERE configured`);
  providerId = rows[0]!.id;
  const chunks = await db.pool.query<{ chunk_id: string; embedding_text: string; n: number }>(
    `SELECT chunk_id, embedding_text, count(*) OVER ()::int AS n FROM knowledge_chunks WHERE is_active ORDER BY chunk_id LIMIT 1`,
  );
  probe = { chunkId: chunks.rows[0]!.chunk_id, text: chunks.rows[0]!.embedding_text };
  total = Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM knowledge_chunks`)).rows[0]!.n);
}, 120_000);

afterAll(async () => {
  await queue?.stop({ graceful: false, close: true });
  await fake?.close();
  await db?.close();
});

const operator = () => callerFor(db, admin, { ai: runtime });
const setEmbedding = (model: string) =>
  operator().admin.models.updateDefaults({
    chat: { providerId, model: "chat-a" },
    embedding: { providerId, model },
    vision: null,
  });
const status = () => operator().admin.models.embeddingStatus();
const search = (query: string) => searchKnowledge(db, runtime.provider, { query, limit: 3 });

async function modelsOfChunks() {
  const { rows } = await db.pool.query<{ model: string | null; pending: string | null; n: number }>(
    `SELECT embedding_model AS model, pending_embedding_model AS pending, count(*)::int AS n
       FROM knowledge_chunks GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return rows;
}

/** The texts sent to the fake server to embed with `model`. */
function embeddedTexts(model: string): string[] {
  return fake
    .requestsTo("embeddings")
    .filter((request) => request.body?.model === model)
    .flatMap((request) => (Array.isArray(request.body.input) ? request.body.input : [request.body.input]));
}

async function auditRows(action: string) {
  const { rows } = await db.pool.query<{ actor_id: string | null; before: unknown; after: unknown }>(
    `SELECT actor_id, before, after FROM audit_log WHERE action = $1 ORDER BY created_at`,
    [action],
  );
  return rows;
}

describe("re-embedding the knowledge base for a new embedding model", () => {
  it("keeps search on the old vectors while the new ones are computed, then switches", async () => {
    expect(total).toBeGreaterThan(20);
    const before = await search(probe.text);
    expect(before.settings.embeddingModel).toBe("embed-a");
    expect(before.items[0]?.chunkId).toBe(probe.chunkId);

    await setEmbedding("embed-b");
    // Search still embeds its queries with the model whose vectors are complete.
    expect(runtime.provider.embeddingModel).toBe("embed-a");
    expect(models.embeddingTarget.embeddingModel).toBe("embed-b");
    expect(await status()).toEqual({
      servingModel: "embed-a",
      reembedding: { model: "embed-b", embedded: 0, total, startedAt: expect.any(Number), error: null },
    });

    const during: { model: string; top: string | undefined; embedded: number | undefined }[] = [];
    const report = await reembedKnowledge(db, models, {
      batchSize: 10,
      onBatch: async () => {
        if (during.length > 0) return;
        const found = await search(probe.text);
        during.push({
          model: found.settings.embeddingModel,
          top: found.items[0]?.chunkId,
          embedded: (await status()).reembedding?.embedded,
        });
      },
    });
    expect(during).toEqual([{ model: "embed-a", top: probe.chunkId, embedded: 10 }]);
    expect(report).toEqual({ status: "switched", from: "embed-a", model: "embed-b", written: total, chunks: total });

    fake.reset();
    const after = await search(probe.text);
    expect(after.settings.embeddingModel).toBe("embed-b");
    expect(after.items[0]?.chunkId).toBe(probe.chunkId);
    // The query's own vector: identical text under the same model.
    expect(after.items[0]?.score).toBeGreaterThan(0.999);
    expect(embeddedTexts("embed-b")).toEqual([probe.text]);
    expect(await modelsOfChunks()).toEqual([{ model: "embed-b", pending: null, n: total }]);
    expect(await status()).toEqual({ servingModel: "embed-b", reembedding: null });

    const saved = await auditRows("admin.models.updateDefaults");
    expect(saved.at(-1)).toMatchObject({
      actor_id: admin.id,
      after: { reembedding: { action: "started", serving: { model: "embed-a" }, model: "embed-b" } },
    });
    const switched = await auditRows("knowledge.reembedding.switch");
    expect(switched).toEqual([
      {
        actor_id: null,
        before: expect.objectContaining({ servingModel: "embed-a", reembeddingModel: "embed-b" }),
        after: { servingModel: "embed-b", chunks: total },
      },
    ]);
  });

  it("lets a second change during a run win: the run computes the newer model and switches to it", async () => {
    await setEmbedding("embed-d");
    let changed = false;
    const seen: string[] = [];
    const report = await reembedKnowledge(db, models, {
      batchSize: 10,
      onBatch: async ({ model }) => {
        seen.push(model);
        if (changed) return;
        changed = true;
        await setEmbedding("embed-e");
        // Still the complete vectors: those of embed-b, not the half-done embed-d.
        const found = await search(probe.text);
        expect(found.settings.embeddingModel).toBe("embed-b");
        expect(found.items[0]?.chunkId).toBe(probe.chunkId);
        expect((await status()).reembedding).toMatchObject({ model: "embed-e", embedded: 0, total });
      },
    });
    expect(seen[0]).toBe("embed-d");
    expect(seen.slice(1).every((model) => model === "embed-e")).toBe(true);
    expect(report).toMatchObject({ status: "switched", from: "embed-b", model: "embed-e", chunks: total });
    expect(await modelsOfChunks()).toEqual([{ model: "embed-e", pending: null, n: total }]);
    const found = await search(probe.text);
    expect(found.settings.embeddingModel).toBe("embed-e");
    expect(found.items[0]?.chunkId).toBe(probe.chunkId);
    expect((await auditRows("admin.models.updateDefaults")).at(-1)).toMatchObject({
      after: { reembedding: { action: "superseded", from: "embed-d", model: "embed-e" } },
    });
  });

  it("drops an unfinished run when the default goes back to the model search uses", async () => {
    await setEmbedding("embed-f");
    await reembedKnowledge(db, models, {
      batchSize: 10,
      onBatch: () => {
        throw new Error("stop after one batch");
      },
    }).catch(() => undefined);
    expect((await status()).reembedding).toMatchObject({ model: "embed-f", embedded: 10 });
    await setEmbedding("embed-e");
    expect(await status()).toEqual({ servingModel: "embed-e", reembedding: null });
    expect(await modelsOfChunks()).toEqual([{ model: "embed-e", pending: null, n: total }]);
    expect(runtime.provider.embeddingModel).toBe("embed-e");
    expect(await reembedKnowledge(db, models)).toEqual({ status: "idle", written: 0 });
  });

  it("finishes a run cut short mid-batch through the queue's retry, embedding no finished chunk again", async () => {
    await setEmbedding("embed-c");
    // The process dies while the third batch is with the model: two batches are written, the third is lost.
    const crash = new AbortController();
    const cut = reembedKnowledge(db, models, {
      batchSize: 7,
      signal: crash.signal,
      onBatch: ({ written }) => {
        if (written === 14) {
          fake.enqueue({ kind: "hang", endpoint: "embeddings" });
          setTimeout(() => crash.abort(new Error("process killed")), 300);
        }
      },
    });
    await expect(cut).rejects.toThrow();
    expect((await status()).reembedding).toMatchObject({ model: "embed-c", embedded: 14, total });
    expect((await search(probe.text)).settings.embeddingModel).toBe("embed-e");
    const sentBeforeRetry = embeddedTexts("embed-c");
    expect(sentBeforeRetry).toHaveLength(21);

    // A worker (another process, or this one restarted) takes the queued job and finishes.
    fake.reset();
    await startReembedWorker({ db, ai: runtime, queue, batchSize: 7 });
    await resumeReembedding(queue, db);
    const deadline = Date.now() + 90_000;
    while ((await status()).reembedding !== null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await status()).toEqual({ servingModel: "embed-c", reembedding: null });
    // Only the chunks without a written vector were embedded again (the lost batch among them).
    const retried = embeddedTexts("embed-c");
    expect(retried).toHaveLength(total - 14);
    expect(retried).toEqual(expect.arrayContaining(sentBeforeRetry.slice(14)));
    expect(retried.some((text) => sentBeforeRetry.slice(0, 14).includes(text))).toBe(false);
    expect(await modelsOfChunks()).toEqual([{ model: "embed-c", pending: null, n: total }]);
    const found = await search(probe.text);
    expect(found.settings.embeddingModel).toBe("embed-c");
    expect(found.items[0]?.chunkId).toBe(probe.chunkId);
    // Each embedding call is logged as a system call, as every model call is.
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ai_interactions
        WHERE model_name = 'embed-c' AND metadata->>'purpose' = 'knowledge_reembed' AND status = 'SUCCESS'`,
    );
    expect(rows[0]!.n).toBe(Math.ceil((total - 14) / 7));
  }, 120_000);
});
