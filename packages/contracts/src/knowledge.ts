// Inputs and outputs of the knowledge-base procedures: retrieval (knowledge.search) and the operators' ingestion, list, switch and search playground (admin.knowledge.*).
import { z } from "zod";
import {
  type TKnowledgeFileError,
  ZKnowledgeGoalSchema,
  ZKnowledgePhaseSchema,
  ZKnowledgeTypeSchema,
  ZRiskLevelSchema,
} from "./codecs.ts";
import { ZKnowledgeChunkDtoSchema } from "./dto.ts";
import { pageOf, ZPageInputSchema } from "./pagination.ts";

/** A search query is a situation described in a few sentences; longer text is a pasted conversation, which the pipeline summarises first. */
export const KNOWLEDGE_QUERY_MAX = 2000;
export const KNOWLEDGE_SEARCH_LIMIT_DEFAULT = 5;
/** Prompts ground on a handful of chunks; the playground may look further, but not at the whole base. */
export const KNOWLEDGE_SEARCH_LIMIT_MAX = 50;
export const KNOWLEDGE_SOURCE_MAX = 100;

const ZCountSchema = z.number().int().nonnegative();

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether PostgreSQL can store the text: a text column cannot hold NUL, and UTF-8 cannot encode an
 * unpaired UTF-16 surrogate. Either would otherwise fail deep in a query as an internal error.
 */
export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !LONE_SURROGATE.test(text);
}
export const UNSTORABLE_TEXT_MESSAGE = "must not contain a NUL character or an unpaired surrogate";

// ------------------------------------------------------------------ search

/** The retrieval filters (docs/decisions/0008); is_active = true is always applied. */
export const ZKnowledgeFiltersSchema = z.object({
  phase: ZKnowledgePhaseSchema.optional(),
  goal: ZKnowledgeGoalSchema.optional(),
  type: ZKnowledgeTypeSchema.optional(),
});
export type TKnowledgeFilters = z.infer<typeof ZKnowledgeFiltersSchema>;

export const ZKnowledgeSearchInputSchema = ZKnowledgeFiltersSchema.extend({
  query: z
    .string({ error: "query must be a string" })
    .trim()
    .min(1, { error: "query must not be empty" })
    .max(KNOWLEDGE_QUERY_MAX, { error: `query must be at most ${KNOWLEDGE_QUERY_MAX} characters` })
    // The query is stored as the prompt of its logged embedding call.
    .refine(isStorableText, { error: `query ${UNSTORABLE_TEXT_MESSAGE}` }),
  limit: z
    .number({ error: "limit must be a number" })
    .int({ error: "limit must be a whole number" })
    .min(1, { error: "limit must be at least 1" })
    .max(KNOWLEDGE_SEARCH_LIMIT_MAX, { error: `limit must be at most ${KNOWLEDGE_SEARCH_LIMIT_MAX}` })
    .default(KNOWLEDGE_SEARCH_LIMIT_DEFAULT),
});
export type TKnowledgeSearchInput = z.infer<typeof ZKnowledgeSearchInputSchema>;

/**
 * One retrieved chunk: the GroundingChunk a prompt is built from (chunkId, text, situation,
 * primaryIntent, techniques, goal, phase, score) plus what the admin tool shows beside it.
 * Output schemas check shape, not formats, as in dto.ts.
 */
export const ZKnowledgeSearchHitSchema = z.object({
  id: z.string().min(1),
  chunkId: z.string(),
  version: z.string(),
  source: z.string(),
  text: z.string(),
  situation: z.string().nullable(),
  primaryIntent: z.string().nullable(),
  techniques: z.array(z.string()),
  context: z.array(z.string()),
  goal: ZKnowledgeGoalSchema.nullable(),
  phase: ZKnowledgePhaseSchema.nullable(),
  type: ZKnowledgeTypeSchema.nullable(),
  riskLevel: ZRiskLevelSchema.nullable(),
  /** Cosine similarity, 1 - cosine distance: 1 is the same direction, 0 unrelated, -1 opposite. */
  score: z.number().min(-1.0001).max(1.0001),
});
export type TKnowledgeSearchHit = z.infer<typeof ZKnowledgeSearchHitSchema>;

export const ZKnowledgeSearchResultSchema = z.object({ items: z.array(ZKnowledgeSearchHitSchema) });
export type TKnowledgeSearchResult = z.infer<typeof ZKnowledgeSearchResultSchema>;

/** How the approximate (HNSW) scan was tuned for one search. */
export const ZKnowledgeSearchSettingsSchema = z.object({
  /** The model the query was embedded with; only chunks embedded by the same model are compared. */
  embeddingModel: z.string(),
  /** Candidates the HNSW scan keeps per step (pgvector's hnsw.ef_search). */
  efSearch: ZCountSchema,
  /**
   * relaxed_order: the scan goes on past ef_search until `limit` rows pass the filters;
   * off: plain HNSW, which can return fewer rows than `limit` under a selective filter;
   * unsupported: the database's pgvector predates iterative scans (0.8.0).
   */
  iterativeScan: z.enum(["relaxed_order", "off", "unsupported"]),
  /** Where an iterative scan gives up (pgvector's hnsw.max_scan_tuples); null when not iterating. */
  maxScanTuples: ZCountSchema.nullable(),
});
export type TKnowledgeSearchSettings = z.infer<typeof ZKnowledgeSearchSettingsSchema>;

/** What the filters did, so the playground can tell a query with no similar chunk apart from filters that let nothing through. */
export const ZKnowledgeFilterReportSchema = z.object({
  /** Active chunks, whatever the filters. */
  active: ZCountSchema,
  /** Active chunks each filter alone lets through; null for a filter that was not given. */
  byFilter: z.object({ phase: ZCountSchema.nullable(), goal: ZCountSchema.nullable(), type: ZCountSchema.nullable() }),
  /** Active chunks that pass every filter: the most any search with these filters can return. */
  matching: ZCountSchema,
  /** Of those, the ones with an embedding from the query's model (the rest wait for embedMissingChunks). */
  searchable: ZCountSchema,
});
export type TKnowledgeFilterReport = z.infer<typeof ZKnowledgeFilterReportSchema>;

export const ZAdminKnowledgeSearchResultSchema = ZKnowledgeSearchResultSchema.extend({
  filters: ZKnowledgeFilterReportSchema,
  settings: ZKnowledgeSearchSettingsSchema,
});
export type TAdminKnowledgeSearchResult = z.infer<typeof ZAdminKnowledgeSearchResultSchema>;

// ------------------------------------------------------------------ ingestion

/** The zod form of TKnowledgeFileError (codecs.ts), checked against it below. */
export const ZKnowledgeFileErrorSchema = z.object({
  index: z.number().int().min(-1),
  chunkId: z.string().nullable(),
  path: z.string(),
  message: z.string(),
});
// Fails to compile when the interface and the schema drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const fileErrorSchemaMatches: Same<z.infer<typeof ZKnowledgeFileErrorSchema>, TKnowledgeFileError> = true;
void fileErrorSchemaMatches;

export const ZKnowledgeSourceNameSchema = z
  .string({ error: "source must be a string" })
  .trim()
  .min(1, { error: "source must not be empty" })
  .max(KNOWLEDGE_SOURCE_MAX, { error: `source must be at most ${KNOWLEDGE_SOURCE_MAX} characters` })
  .refine(isStorableText, { error: `source ${UNSTORABLE_TEXT_MESSAGE}` });

export const ZAdminKnowledgeIngestInputSchema = z.object({
  /** The knowledge source file as JSON; validated by parseKnowledgeFile, whose errors come back in the report. */
  file: z.unknown(),
  /** Validate and compare with what is stored, but embed and write nothing. */
  dryRun: z.boolean({ error: "dryRun must be true or false" }).default(false),
  /** The file is the whole of its source: active chunks of that source missing from it are deactivated. */
  deactivateMissing: z.boolean({ error: "deactivateMissing must be true or false" }).default(false),
  /** The source the file must be (every chunk's metadata.source); defaults to the sources the file names. */
  source: ZKnowledgeSourceNameSchema.optional(),
});
export type TAdminKnowledgeIngestInput = z.infer<typeof ZAdminKnowledgeIngestInputSchema>;

export const ZKnowledgeChunkActionSchema = z.enum(["created", "updated", "unchanged", "deactivated"]);
export type TKnowledgeChunkAction = z.infer<typeof ZKnowledgeChunkActionSchema>;

export const ZKnowledgeIngestChangeSchema = z.object({
  chunkId: z.string(),
  action: ZKnowledgeChunkActionSchema,
  /** The stored version before; null for a new chunk. */
  fromVersion: z.string().nullable(),
  /** The version after; for a deactivated chunk, the version it keeps. */
  toVersion: z.string(),
});
export type TKnowledgeIngestChange = z.infer<typeof ZKnowledgeIngestChangeSchema>;

export const ZKnowledgeIngestReportSchema = z.object({
  /** False when there are errors: then nothing was written. */
  ok: z.boolean(),
  dryRun: z.boolean(),
  created: ZCountSchema,
  updated: ZCountSchema,
  unchanged: ZCountSchema,
  deactivated: ZCountSchema,
  /** Vectors computed (in a dry run: that would be): new and newer chunks, and stored ones without a vector of the current model. */
  embedded: ZCountSchema,
  /** Every problem found, each naming the chunk (index and chunk_id) and the field. */
  errors: z.array(ZKnowledgeFileErrorSchema),
  /** What happened (or would) to each chunk; unchanged ones included, so the list accounts for the whole file. */
  changes: z.array(ZKnowledgeIngestChangeSchema),
});
export type TKnowledgeIngestReport = z.infer<typeof ZKnowledgeIngestReportSchema>;

// ------------------------------------------------------------------ admin list and switch

/** Versions as the source format writes them, so a filter that can never match is refused up front. */
export const ZKnowledgeVersionSchema = z
  .string({ error: "version must be a string" })
  .regex(/^\d+\.\d+\.\d+$/, { error: 'version must look like "major.minor.patch", e.g. "2.0.0"' });

export const ZAdminKnowledgeListInputSchema = ZPageInputSchema.extend({
  ...ZKnowledgeFiltersSchema.shape,
  active: z.boolean({ error: "active must be true or false" }).optional(),
  version: ZKnowledgeVersionSchema.optional(),
});
export type TAdminKnowledgeListInput = z.infer<typeof ZAdminKnowledgeListInputSchema>;

export const ZAdminKnowledgeChunkSchema = ZKnowledgeChunkDtoSchema.extend({
  /** The model that made the embedding; null when the chunk has none yet. */
  embeddingModel: z.string().nullable(),
});
export type TAdminKnowledgeChunk = z.infer<typeof ZAdminKnowledgeChunkSchema>;

/** Ordered by chunk_id, so pages are stable and an operator can find a chunk by its name. */
export const ZAdminKnowledgeListPageSchema = pageOf(ZAdminKnowledgeChunkSchema);

export const ZAdminKnowledgeSetActiveInputSchema = z.object({
  id: z.uuid({ error: "id must be a UUID" }),
  active: z.boolean({ error: "active must be true or false" }),
});
export type TAdminKnowledgeSetActiveInput = z.infer<typeof ZAdminKnowledgeSetActiveInputSchema>;

/** The playground searches like knowledge.search, and reports what the filters and the index did. */
export const ZAdminKnowledgeSearchInputSchema = ZKnowledgeSearchInputSchema;
