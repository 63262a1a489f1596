// Knowledge retrieval: embed the query (outside any transaction), then the nearest active chunks through the HNSW index under the seed's filters, with what the filters did when asked.
import {
  type TKnowledgeFilterReport,
  type TKnowledgeFilters,
  type TKnowledgeSearchHit,
  type TKnowledgeSearchSettings,
  ZKnowledgeGoalSchema,
  ZKnowledgePhaseSchema,
  ZKnowledgeTypeSchema,
  ZRiskLevelSchema,
} from "@lockstep/contracts";
import {
  countKnowledgeFilterMatches,
  type Database,
  type KnowledgeVectorHit,
  searchKnowledgeChunks,
} from "@lockstep/db";
import type { AiProvider, GroundingChunk } from "../provider.ts";
import type { RetrievalOptions } from "../runtime.ts";
import { type EmbedLogging, embedTextsLoggingBehind } from "./embed.ts";
import { type KnowledgeReader, runRead } from "./scope.ts";

export interface KnowledgeSearchQuery extends TKnowledgeFilters {
  query: string;
  limit: number;
}

export interface SearchKnowledgeOptions {
  /** Also count what the filters let through (the admin playground); one more pass over the active rows. */
  explain?: boolean;
  logging?: EmbedLogging | undefined;
  signal?: AbortSignal | undefined;
  /** HNSW tuning, for tests and the benchmark; the defaults suit the knowledge base. */
  efSearch?: number;
  iterativeScan?: boolean;
  maxScanTuples?: number;
}

export interface KnowledgeSearchOutcome {
  items: TKnowledgeSearchHit[];
  settings: TKnowledgeSearchSettings;
  /** Only with `explain`. */
  filters: TKnowledgeFilterReport | null;
}

function orNull<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function toHit(row: KnowledgeVectorHit): TKnowledgeSearchHit {
  return {
    id: row.id,
    chunkId: row.chunkId,
    version: row.version,
    source: row.source,
    text: row.text,
    situation: row.situation,
    primaryIntent: row.primaryIntent,
    techniques: row.techniques,
    context: row.context,
    goal: orNull(ZKnowledgeGoalSchema, row.goal),
    phase: orNull(ZKnowledgePhaseSchema, row.phase),
    type: orNull(ZKnowledgeTypeSchema, row.type),
    riskLevel: orNull(ZRiskLevelSchema, row.riskLevel),
    // float4 vectors put the distance a hair outside [0, 2] for (anti)parallel vectors.
    score: Math.min(1, Math.max(-1, 1 - row.distance)),
  };
}

/**
 * The `limit` active chunks most similar to `query` that pass the filters (phase, goal, type; seed
 * 003 section 4.3). Similarity is cosine, `1 - (embedding <=> query)`, over chunks embedded by the
 * provider's own embedding model. The HNSW scan iterates (pgvector 0.8 relaxed_order) so a
 * selective filter still yields `limit` rows when that many match; `settings` says how the scan
 * was tuned, or that the database could not iterate.
 *
 * The provider is called before the transaction opens, so no transaction waits on a model.
 */
export async function searchKnowledge(
  db: KnowledgeReader,
  provider: AiProvider,
  input: KnowledgeSearchQuery,
  options: SearchKnowledgeOptions = {},
): Promise<KnowledgeSearchOutcome> {
  const { vectors, logged } = await embedTextsLoggingBehind(provider, [input.query], {
    logging: options.logging,
    signal: options.signal,
    purpose: "knowledge_search",
  });
  // The embedding's log write and the search run side by side; the search is answered once both are done.
  try {
    return await searchByVector(db, provider, input, vectors[0], options);
  } finally {
    await logged;
  }
}

/** The search itself, once the query is a vector: the nearest chunks in one read-only transaction. */
async function searchByVector(
  db: KnowledgeReader,
  provider: AiProvider,
  input: KnowledgeSearchQuery,
  vector: number[] | undefined,
  options: SearchKnowledgeOptions,
): Promise<KnowledgeSearchOutcome> {
  if (!vector) throw new Error("searchKnowledge: the provider returned no embedding");
  const filters = { phase: input.phase, goal: input.goal, type: input.type };
  return runRead(db, async (tx) => {
    const { hits, settings } = await searchKnowledgeChunks(tx, {
      ...filters,
      vector,
      embeddingModel: provider.embeddingModel,
      limit: input.limit,
      ...(options.efSearch !== undefined ? { efSearch: options.efSearch } : {}),
      ...(options.iterativeScan !== undefined ? { iterativeScan: options.iterativeScan } : {}),
      ...(options.maxScanTuples !== undefined ? { maxScanTuples: options.maxScanTuples } : {}),
    });
    const report = options.explain
      ? await countKnowledgeFilterMatches(tx, { ...filters, embeddingModel: provider.embeddingModel })
      : null;
    return {
      items: hits.map(toHit),
      settings: { ...settings, embeddingModel: provider.embeddingModel },
      filters: report,
    };
  });
}

/**
 * The AI runtime's `retrieve`: knowledge for a prompt as GroundingChunks. Reads as lockstep_app
 * with no user (the chunks are a shared catalogue); the query's embedding is logged when a log is
 * given, as a system call since retrieve is not told whose prompt it serves.
 */
export function createKnowledgeRetriever(
  db: Database,
  provider: AiProvider,
  logging?: EmbedLogging,
): (query: string, options: RetrievalOptions) => Promise<GroundingChunk[]> {
  return async (query, options) => {
    const outcome = await searchKnowledge(
      db,
      provider,
      {
        query,
        limit: options.limit,
        ...(options.phase !== undefined ? { phase: ZKnowledgePhaseSchema.parse(options.phase) } : {}),
        ...(options.goal !== undefined ? { goal: ZKnowledgeGoalSchema.parse(options.goal) } : {}),
        ...(options.type !== undefined ? { type: ZKnowledgeTypeSchema.parse(options.type) } : {}),
      },
      { logging },
    );
    // A search hit is a GroundingChunk with more fields; the prompt builder needs only these.
    return outcome.items.map(({ chunkId, text, situation, primaryIntent, techniques, goal, phase, score }) => ({
      chunkId,
      text,
      situation,
      primaryIntent,
      techniques,
      goal,
      phase,
      score,
    }));
  };
}
