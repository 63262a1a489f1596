// The knowledge base in SQL: reading chunks for ingestion, writing a planned file in one transaction, filling missing embeddings, filtered vector search through the HNSW index, and the operators' list and switch.
import {
  toEpochMs,
  type TAdminKnowledgeChunk,
  type TKnowledgeChunkRow,
  type TKnowledgeFilterReport,
  type TKnowledgeSearchSettings,
  ZKnowledgeGoalSchema,
  ZKnowledgePhaseSchema,
  ZKnowledgeTypeSchema,
  ZRiskLevelSchema,
} from "@lockstep/contracts";
import type { Database } from "../connection.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";

/** The width of knowledge_chunks.embedding (vector(1536)); the AI package's EMBEDDING_DIMENSIONS is the same number. */
export const KNOWLEDGE_EMBEDDING_DIMENSIONS = 1536;

/**
 * pgvector's text form, `[x,y,...]`. Values are checked here because a NaN or a wrong length
 * would otherwise fail deep inside a multi-row statement with an error naming no row.
 */
export function toVectorLiteral(vector: readonly number[]): string {
  if (vector.length !== KNOWLEDGE_EMBEDDING_DIMENSIONS) {
    throw new RangeError(
      `toVectorLiteral: expected ${KNOWLEDGE_EMBEDDING_DIMENSIONS} dimensions, got ${vector.length}`,
    );
  }
  for (const value of vector) {
    if (!Number.isFinite(value)) throw new RangeError(`toVectorLiteral: ${value} is not a finite number`);
  }
  // String(x) round-trips a double exactly; pgvector stores float4, so shorter forms would lose nothing
  // it keeps, but the longer text costs only bytes on the wire.
  return `[${vector.join(",")}]`;
}

/**
 * A transaction as the connection's own role (the owner), as the seed writes: for console commands
 * and start-up work that act for nobody in particular. Longer than a request's transaction, since
 * a large file writes a few MB of vectors, but still never held across a model call.
 */
export function inKnowledgeOwnerTransaction<T>(db: Database, work: (tx: ScopedTx) => Promise<T>): Promise<T> {
  return db.prisma.$transaction((tx) => work(tx), { timeout: 120_000, maxWait: 30_000 });
}

// ------------------------------------------------------------------ rows

/** Every column but the vector itself (1536 floats nobody reads back), with whether it is there. */
const CHUNK_COLUMNS = Prisma.sql`
  id::text AS "id", chunk_id AS "chunkId", version, source, is_active AS "isActive",
  text_content AS "textContent", embedding_text AS "embeddingText",
  (embedding IS NOT NULL) AS "hasEmbedding", embedding_model AS "embeddingModel",
  phase, goal, type, techniques, context, situation, primary_intent AS "primaryIntent",
  risk_level AS "riskLevel", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A stored chunk as the columns hold it: the enum-like columns are plain text and may be null. */
export interface StoredKnowledgeChunk {
  id: string;
  chunkId: string;
  version: string;
  source: string;
  isActive: boolean;
  textContent: string;
  embeddingText: string;
  hasEmbedding: boolean;
  embeddingModel: string | null;
  phase: number | null;
  goal: string | null;
  type: string | null;
  techniques: string[];
  context: string[];
  situation: string | null;
  primaryIntent: string | null;
  riskLevel: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Rows only come from parseKnowledgeFile, but a hand-edited value outside the enum shows as null rather than failing the whole page. */
function orNull<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function toAdminKnowledgeChunkDto(row: StoredKnowledgeChunk): TAdminKnowledgeChunk {
  return {
    id: row.id,
    chunkId: row.chunkId,
    version: row.version,
    source: row.source,
    isActive: row.isActive,
    textContent: row.textContent,
    embeddingText: row.embeddingText,
    hasEmbedding: row.hasEmbedding,
    embeddingModel: row.embeddingModel,
    phase: orNull(ZKnowledgePhaseSchema, row.phase),
    goal: orNull(ZKnowledgeGoalSchema, row.goal),
    type: orNull(ZKnowledgeTypeSchema, row.type),
    techniques: row.techniques,
    context: row.context,
    situation: row.situation,
    primaryIntent: row.primaryIntent,
    riskLevel: orNull(ZRiskLevelSchema, row.riskLevel),
    createdAt: toEpochMs(row.createdAt),
    updatedAt: toEpochMs(row.updatedAt),
  };
}

/** The stored rows of these chunk ids (any that exist), for ingestion to compare a file against. */
export async function findKnowledgeChunksByChunkIds(
  tx: ScopedTx,
  chunkIds: readonly string[],
): Promise<StoredKnowledgeChunk[]> {
  if (chunkIds.length === 0) return [];
  return tx.$queryRaw<StoredKnowledgeChunk[]>`
    SELECT ${CHUNK_COLUMNS} FROM knowledge_chunks WHERE chunk_id = ANY(${[...chunkIds]}::text[]) ORDER BY chunk_id`;
}

/** Active chunks of these sources that are not among `presentChunkIds`: what deactivateMissing would switch off. */
export async function findActiveChunksMissingFromSources(
  tx: ScopedTx,
  sources: readonly string[],
  presentChunkIds: readonly string[],
): Promise<{ chunkId: string; version: string }[]> {
  if (sources.length === 0) return [];
  return tx.$queryRaw<{ chunkId: string; version: string }[]>`
    SELECT chunk_id AS "chunkId", version FROM knowledge_chunks
     WHERE is_active AND source = ANY(${[...sources]}::text[]) AND NOT (chunk_id = ANY(${[...presentChunkIds]}::text[]))
     ORDER BY chunk_id`;
}

// ------------------------------------------------------------------ writing an ingested file

export interface KnowledgeChunkWrite extends TKnowledgeChunkRow {
  embedding: readonly number[];
  embeddingModel: string;
}

export interface KnowledgeWritePlan {
  create: KnowledgeChunkWrite[];
  /** Newer versions of stored chunks; `expectedVersion` is what the plan saw stored. */
  update: (KnowledgeChunkWrite & { expectedVersion: string })[];
  /** Stored chunks whose content stays but which get a vector (none yet, or one from another model). */
  embed: {
    chunkId: string;
    expectedVersion: string;
    embeddingText: string;
    embedding: readonly number[];
    embeddingModel: string;
  }[];
  deactivate: { chunkId: string; version: string }[];
}

export interface KnowledgeWriteResult {
  created: number;
  updated: number;
  embedded: number;
  deactivated: number;
}

/**
 * The stored rows are not what the plan was made from: another ingestion (or an operator) wrote
 * these chunks between the plan's read and this write. Thrown inside the transaction, so nothing
 * of the file is written; running the ingestion again plans against the new rows.
 */
export class KnowledgeWriteConflictError extends Error {
  override readonly name = "KnowledgeWriteConflictError";
  constructor(readonly chunkIds: string[]) {
    super(`knowledge chunks changed while the file was being ingested: ${chunkIds.join(", ")}`);
  }
}

/** Rows per statement: a row carries a ~20 kB vector literal, so a few hundred keep each statement a few MB. */
const WRITE_BATCH = 200;

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** One JSON document per statement (jsonb_to_recordset), so a batch is one round trip however many rows it has. */
function contentRecord(chunk: KnowledgeChunkWrite) {
  return {
    chunk_id: chunk.chunkId,
    version: chunk.version,
    source: chunk.source,
    text_content: chunk.textContent,
    embedding_text: chunk.embeddingText,
    embedding: toVectorLiteral(chunk.embedding),
    embedding_model: chunk.embeddingModel,
    phase: chunk.phase,
    goal: chunk.goal,
    type: chunk.type,
    techniques: chunk.techniques,
    context: chunk.context,
    situation: chunk.situation,
    primary_intent: chunk.primaryIntent,
    risk_level: chunk.riskLevel,
  };
}

const RECORD_COLUMNS = Prisma.sql`r(chunk_id text, version text, expected_version text, source text, text_content text,
  embedding_text text, embedding text, embedding_model text, phase int, goal text, type text, techniques jsonb,
  context jsonb, situation text, primary_intent text, risk_level text)`;

/**
 * Writes a planned file. Run it in one transaction, after every vector has been computed: the
 * transaction then holds its locks for milliseconds, never across a model call. Updates and
 * re-embeds are conditional on the version the plan saw, so a concurrent writer is detected
 * (KnowledgeWriteConflictError) instead of silently overwritten.
 */
export async function writeKnowledgeChanges(tx: ScopedTx, plan: KnowledgeWritePlan): Promise<KnowledgeWriteResult> {
  const conflicts: string[] = [];

  for (const batch of batches(plan.create, WRITE_BATCH)) {
    const inserted = await tx.$queryRaw<{ chunkId: string }[]>`
      INSERT INTO knowledge_chunks (chunk_id, version, source, text_content, embedding_text, embedding, embedding_model,
                                    phase, goal, type, techniques, context, situation, primary_intent, risk_level, updated_at)
      SELECT r.chunk_id, r.version, r.source, r.text_content, r.embedding_text, r.embedding::vector, r.embedding_model,
             r.phase, r.goal, r.type,
             ARRAY(SELECT jsonb_array_elements_text(r.techniques)), ARRAY(SELECT jsonb_array_elements_text(r.context)),
             r.situation, r.primary_intent, r.risk_level, now()
        FROM jsonb_to_recordset(${JSON.stringify(batch.map(contentRecord))}::jsonb) AS ${RECORD_COLUMNS}
      ON CONFLICT (chunk_id) DO NOTHING
      RETURNING chunk_id AS "chunkId"`;
    const done = new Set(inserted.map((row) => row.chunkId));
    conflicts.push(...batch.filter((chunk) => !done.has(chunk.chunkId)).map((chunk) => chunk.chunkId));
  }

  for (const batch of batches(plan.update, WRITE_BATCH)) {
    const records = JSON.stringify(
      batch.map((chunk) => ({ ...contentRecord(chunk), expected_version: chunk.expectedVersion })),
    );
    // Content first: changing embedding_text clears the old vector (the stale-embedding trigger),
    // then the second statement sets the new one. One statement would do unless the new text
    // happened to embed to the very same vector, which the trigger cannot tell from a stale one.
    const updated = await tx.$queryRaw<{ chunkId: string }[]>`
      UPDATE knowledge_chunks k
         SET version = r.version, source = r.source, text_content = r.text_content, embedding_text = r.embedding_text,
             phase = r.phase, goal = r.goal, type = r.type,
             techniques = ARRAY(SELECT jsonb_array_elements_text(r.techniques)),
             context = ARRAY(SELECT jsonb_array_elements_text(r.context)),
             situation = r.situation, primary_intent = r.primary_intent, risk_level = r.risk_level, updated_at = now()
        FROM jsonb_to_recordset(${records}::jsonb) AS ${RECORD_COLUMNS}
       WHERE k.chunk_id = r.chunk_id AND k.version = r.expected_version
      RETURNING k.chunk_id AS "chunkId"`;
    const done = new Set(updated.map((row) => row.chunkId));
    conflicts.push(...batch.filter((chunk) => !done.has(chunk.chunkId)).map((chunk) => chunk.chunkId));
    await tx.$executeRaw`
      UPDATE knowledge_chunks k SET embedding = r.embedding::vector, embedding_model = r.embedding_model
        FROM jsonb_to_recordset(${records}::jsonb) AS ${RECORD_COLUMNS}
       WHERE k.chunk_id = r.chunk_id AND k.version = r.version`;
  }

  for (const batch of batches(plan.embed, WRITE_BATCH)) {
    const records = batch.map((row) => ({
      chunk_id: row.chunkId,
      expected_version: row.expectedVersion,
      embedding_text: row.embeddingText,
      embedding: toVectorLiteral(row.embedding),
      embedding_model: row.embeddingModel,
    }));
    // Also conditional on the text: a vector must be of the text it was computed from.
    const embedded = await tx.$queryRaw<{ chunkId: string }[]>`
      UPDATE knowledge_chunks k SET embedding = r.embedding::vector, embedding_model = r.embedding_model, updated_at = now()
        FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS ${RECORD_COLUMNS}
       WHERE k.chunk_id = r.chunk_id AND k.version = r.expected_version AND k.embedding_text = r.embedding_text
      RETURNING k.chunk_id AS "chunkId"`;
    const done = new Set(embedded.map((row) => row.chunkId));
    conflicts.push(...batch.filter((row) => !done.has(row.chunkId)).map((row) => row.chunkId));
  }

  if (conflicts.length) throw new KnowledgeWriteConflictError(conflicts);

  // Not conditional: a chunk someone else switched off meanwhile is off either way, so it is only not counted.
  let deactivated = 0;
  if (plan.deactivate.length) {
    deactivated = await tx.$executeRaw`
      UPDATE knowledge_chunks SET is_active = false, updated_at = now()
       WHERE is_active AND chunk_id = ANY(${plan.deactivate.map((row) => row.chunkId)}::text[])`;
  }
  return { created: plan.create.length, updated: plan.update.length, embedded: plan.embed.length, deactivated };
}

// ------------------------------------------------------------------ filling missing embeddings

/**
 * Chunks without a vector from `embeddingModel`: never embedded (the seed writes none), cleared
 * by the stale-embedding trigger, or embedded by another model before the provider changed.
 * Keyset on id, so a caller walking the table always moves forward.
 */
export async function findChunksNeedingEmbedding(
  tx: ScopedTx,
  embeddingModel: string,
  limit: number,
  afterId: string | null = null,
): Promise<{ id: string; embeddingText: string }[]> {
  const after = afterId === null ? Prisma.empty : Prisma.sql`AND id > ${afterId}::uuid`;
  return tx.$queryRaw<{ id: string; embeddingText: string }[]>`
    SELECT id::text AS "id", embedding_text AS "embeddingText" FROM knowledge_chunks
     WHERE (embedding IS NULL OR embedding_model IS DISTINCT FROM ${embeddingModel}) ${after}
     ORDER BY id LIMIT ${limit}`;
}

/** Sets vectors computed from `embeddingText`; a row whose text changed since is left alone. Returns how many were set. */
export async function setChunkEmbeddings(
  tx: ScopedTx,
  rows: readonly { id: string; embeddingText: string; embedding: readonly number[] }[],
  embeddingModel: string,
): Promise<number> {
  let count = 0;
  for (const batch of batches(rows, WRITE_BATCH)) {
    const records = batch.map((row) => ({
      id: row.id,
      embedding_text: row.embeddingText,
      embedding: toVectorLiteral(row.embedding),
    }));
    count += await tx.$executeRaw`
      UPDATE knowledge_chunks k SET embedding = r.embedding::vector, embedding_model = ${embeddingModel}, updated_at = now()
        FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(id uuid, embedding_text text, embedding text)
       WHERE k.id = r.id AND k.embedding_text = r.embedding_text`;
  }
  return count;
}

// ------------------------------------------------------------------ search

export interface KnowledgeFilterValues {
  phase?: number | undefined;
  goal?: string | undefined;
  type?: string | undefined;
}

export interface KnowledgeVectorQuery extends KnowledgeFilterValues {
  vector: readonly number[];
  /** Only rows embedded by this model are compared with the query. */
  embeddingModel: string;
  limit: number;
  /** hnsw.ef_search; pgvector's default is 40, too few for a limit near it. */
  efSearch?: number;
  /** Keep scanning past ef_search until `limit` rows pass the filters (pgvector >= 0.8). Default true. */
  iterativeScan?: boolean;
  /** Where an iterative scan gives up (hnsw.max_scan_tuples). */
  maxScanTuples?: number;
}

export interface KnowledgeVectorHit {
  id: string;
  chunkId: string;
  version: string;
  source: string;
  text: string;
  situation: string | null;
  primaryIntent: string | null;
  techniques: string[];
  context: string[];
  goal: string | null;
  phase: number | null;
  type: string | null;
  riskLevel: string | null;
  /** Cosine distance, 0..2. */
  distance: number;
}

export const KNOWLEDGE_EF_SEARCH_DEFAULT = 100;
/**
 * pgvector's own default. A knowledge base of a few thousand chunks fits in it whole, so a filter
 * matching only a handful still finds them all; on a far larger base it bounds the work a very
 * selective filter can cause, at the price of possibly returning fewer than `limit` rows.
 */
export const KNOWLEDGE_MAX_SCAN_TUPLES_DEFAULT = 20_000;

function filterConditions(filters: KnowledgeFilterValues): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filters.phase !== undefined) conditions.push(Prisma.sql`phase = ${filters.phase}`);
  if (filters.goal !== undefined) conditions.push(Prisma.sql`goal = ${filters.goal}`);
  if (filters.type !== undefined) conditions.push(Prisma.sql`type = ${filters.type}`);
  return conditions;
}

/**
 * Tunes the HNSW scan for the rest of the transaction (set_config(..., true) is SET LOCAL, so a
 * pooled connection never keeps it), in one round trip before the search. Iterative index scans
 * (hnsw.iterative_scan) arrived in pgvector 0.8.0 and an older one rejects their settings, which
 * would abort the caller's transaction; so the same statement reads the installed version, and
 * CASE (which evaluates a branch only when its condition holds) sets them only where they exist.
 */
export async function tuneVectorScan(
  tx: ScopedTx,
  options: { efSearch: number; iterativeScan: boolean; maxScanTuples: number },
): Promise<Omit<TKnowledgeSearchSettings, "embeddingModel">> {
  const iterativeScan = options.iterativeScan ? "relaxed_order" : "off";
  const rows = await tx.$queryRaw<{ supported: boolean }[]>`
    SELECT v.supported,
           set_config('hnsw.ef_search', ${String(options.efSearch)}, true) AS ef_search,
           CASE WHEN v.supported THEN set_config('hnsw.iterative_scan', ${iterativeScan}, true) END AS iterative_scan,
           CASE WHEN v.supported AND ${options.iterativeScan}
                THEN set_config('hnsw.max_scan_tuples', ${String(options.maxScanTuples)}, true) END AS max_scan_tuples
      FROM (SELECT COALESCE((SELECT m[1]::int > 0 OR m[2]::int >= 8
                               FROM pg_extension, regexp_match(extversion, '^([0-9]+)[.]([0-9]+)') AS m
                              WHERE extname = 'vector'), false) AS supported) v`;
  if (!rows[0]?.supported) return { efSearch: options.efSearch, iterativeScan: "unsupported", maxScanTuples: null };
  if (!options.iterativeScan) return { efSearch: options.efSearch, iterativeScan: "off", maxScanTuples: null };
  return { efSearch: options.efSearch, iterativeScan: "relaxed_order", maxScanTuples: options.maxScanTuples };
}

/**
 * The `limit` active chunks nearest the query by cosine distance, through the HNSW index (the
 * planner may prefer an exact scan when the filters leave few rows, which is also right). With
 * relaxed_order the index may hand rows back slightly out of order, so they are collected in a
 * materialized CTE and sorted by their real distance, as pgvector's documentation does it.
 */
export async function searchKnowledgeChunks(
  tx: ScopedTx,
  query: KnowledgeVectorQuery,
): Promise<{ hits: KnowledgeVectorHit[]; settings: Omit<TKnowledgeSearchSettings, "embeddingModel"> }> {
  const settings = await tuneVectorScan(tx, {
    efSearch: Math.max(query.efSearch ?? KNOWLEDGE_EF_SEARCH_DEFAULT, query.limit),
    iterativeScan: query.iterativeScan ?? true,
    maxScanTuples: query.maxScanTuples ?? KNOWLEDGE_MAX_SCAN_TUPLES_DEFAULT,
  });
  // Cosine distance to a zero vector is undefined (NaN): nothing is similar to a query with no direction.
  if (query.vector.every((value) => value === 0)) return { hits: [], settings };
  const vector = toVectorLiteral(query.vector);
  const where = Prisma.join(
    [Prisma.sql`is_active`, Prisma.sql`embedding_model = ${query.embeddingModel}`, ...filterConditions(query)],
    " AND ",
  );
  const hits = await tx.$queryRaw<KnowledgeVectorHit[]>`
    WITH nearest AS MATERIALIZED (
      SELECT id::text AS "id", chunk_id AS "chunkId", version, source, text_content AS "text", situation,
             primary_intent AS "primaryIntent", techniques, context, goal, phase, type, risk_level AS "riskLevel",
             embedding <=> ${vector}::vector AS distance
        FROM knowledge_chunks
       WHERE ${where}
       ORDER BY embedding <=> ${vector}::vector
       LIMIT ${query.limit}
    )
    SELECT * FROM nearest ORDER BY distance, "chunkId"`;
  return { hits, settings };
}

/** How many active chunks each filter lets through, and all of them together; one pass over the active rows. */
export async function countKnowledgeFilterMatches(
  tx: ScopedTx,
  filters: KnowledgeFilterValues & { embeddingModel: string },
): Promise<TKnowledgeFilterReport> {
  const all = filterConditions(filters);
  const matching = all.length ? Prisma.join(all, " AND ") : Prisma.sql`true`;
  const one = (condition: Prisma.Sql | null) =>
    condition ? Prisma.sql`count(*) FILTER (WHERE ${condition})::int` : Prisma.sql`NULL::int`;
  const rows = await tx.$queryRaw<
    {
      active: number;
      phase: number | null;
      goal: number | null;
      type: number | null;
      matching: number;
      searchable: number;
    }[]
  >`
    SELECT count(*)::int AS active,
           ${one(filters.phase !== undefined ? Prisma.sql`phase = ${filters.phase}` : null)} AS phase,
           ${one(filters.goal !== undefined ? Prisma.sql`goal = ${filters.goal}` : null)} AS goal,
           ${one(filters.type !== undefined ? Prisma.sql`type = ${filters.type}` : null)} AS type,
           count(*) FILTER (WHERE ${matching})::int AS matching,
           count(*) FILTER (WHERE ${matching} AND embedding IS NOT NULL AND embedding_model = ${filters.embeddingModel})::int AS searchable
      FROM knowledge_chunks WHERE is_active`;
  const row = rows[0];
  if (!row) throw new Error("countKnowledgeFilterMatches: an aggregate returned no row");
  return {
    active: row.active,
    byFilter: { phase: row.phase, goal: row.goal, type: row.type },
    matching: row.matching,
    searchable: row.searchable,
  };
}

// ------------------------------------------------------------------ operators

export interface AdminKnowledgeListQuery extends KnowledgeFilterValues {
  active?: boolean | undefined;
  version?: string | undefined;
  /** Keyset: the chunk_id of the last row of the previous page. */
  afterChunkId?: string | null | undefined;
  limit: number;
}

/** Ordered by chunk_id (unique), so a page costs the same at any depth and an operator finds a chunk by name. */
export async function listKnowledgeChunksForAdmin(
  tx: ScopedTx,
  q: AdminKnowledgeListQuery,
): Promise<{ items: TAdminKnowledgeChunk[]; nextChunkId: string | null }> {
  const conditions = filterConditions(q);
  if (q.active !== undefined) conditions.push(Prisma.sql`is_active = ${q.active}`);
  if (q.version !== undefined) conditions.push(Prisma.sql`version = ${q.version}`);
  if (q.afterChunkId) conditions.push(Prisma.sql`chunk_id > ${q.afterChunkId}`);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  const rows = await tx.$queryRaw<StoredKnowledgeChunk[]>`
    SELECT ${CHUNK_COLUMNS} FROM knowledge_chunks ${where} ORDER BY chunk_id LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toAdminKnowledgeChunkDto),
    nextChunkId: rows.length > q.limit && last ? last.chunkId : null,
  };
}

export async function findKnowledgeChunkForAdmin(tx: ScopedTx, id: string): Promise<TAdminKnowledgeChunk | null> {
  const rows = await tx.$queryRaw<
    StoredKnowledgeChunk[]
  >`SELECT ${CHUNK_COLUMNS} FROM knowledge_chunks WHERE id = ${id}::uuid`;
  return rows[0] ? toAdminKnowledgeChunkDto(rows[0]) : null;
}

/** Switches a chunk on or off for retrieval; null when there is no such chunk. */
export async function setKnowledgeChunkActive(
  tx: ScopedTx,
  id: string,
  active: boolean,
): Promise<{ before: TAdminKnowledgeChunk; after: TAdminKnowledgeChunk } | null> {
  const locked = await tx.$queryRaw<
    StoredKnowledgeChunk[]
  >`SELECT ${CHUNK_COLUMNS} FROM knowledge_chunks WHERE id = ${id}::uuid FOR UPDATE`;
  const current = locked[0];
  if (!current) return null;
  const before = toAdminKnowledgeChunkDto(current);
  if (current.isActive === active) return { before, after: before };
  const rows = await tx.$queryRaw<StoredKnowledgeChunk[]>`
    UPDATE knowledge_chunks SET is_active = ${active}, updated_at = now() WHERE id = ${id}::uuid RETURNING ${CHUNK_COLUMNS}`;
  const updated = rows[0];
  if (!updated) throw new Error(`setKnowledgeChunkActive: chunk ${id} vanished while locked`);
  return { before, after: toAdminKnowledgeChunkDto(updated) };
}
