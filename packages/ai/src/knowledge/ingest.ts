// Knowledge ingestion: validate a whole source file, compare it with what is stored (versions only move forward), embed what is new, and write it all in one short transaction; plus filling in missing embeddings.
import {
  isStorableText,
  parseKnowledgeFile,
  UNSTORABLE_TEXT_MESSAGE,
  type TKnowledgeChunkRow,
  type TKnowledgeFileError,
  type TKnowledgeIngestChange,
  type TKnowledgeIngestReport,
} from "@lockstep/contracts";
import {
  type Database,
  findActiveChunksMissingFromSources,
  findChunksNeedingEmbedding,
  findKnowledgeChunksByChunkIds,
  KnowledgeWriteConflictError,
  type KnowledgeWritePlan,
  setChunkEmbeddings,
  type StoredKnowledgeChunk,
  writeKnowledgeChanges,
} from "@lockstep/db";
import type { AiProvider } from "../provider.ts";
import { EMBED_BATCH_SIZE, type EmbedLogging, embedTexts, vectorNorm } from "./embed.ts";
import { type KnowledgeWriteScope, toWriteScope } from "./scope.ts";

export interface IngestKnowledgeOptions {
  /**
   * The source this file is (every chunk's metadata.source must say so). It also names what
   * `deactivateMissing` applies to; without it, that is every source the file mentions.
   */
  source?: string | undefined;
  /** Validate and compare with what is stored; call no provider and write nothing. */
  dryRun?: boolean | undefined;
  /**
   * The file is the whole of its source(s): active chunks of those sources that the file no longer
   * has are deactivated. Off by default, because most files are additions or corrections and
   * must not switch off what they do not mention. Chunks are never deleted by ingestion: answers
   * already given may cite them, and a deactivated chunk comes back with one setActive.
   */
  deactivateMissing?: boolean | undefined;
  batchSize?: number | undefined;
  logging?: EmbedLogging | undefined;
  signal?: AbortSignal | undefined;
}

/** -1, 0 or 1 as `a` is older than, the same as or newer than `b`; null when either is not major.minor.patch. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | null {
  const parse = (version: string) =>
    /^\d+\.\d+\.\d+$/.test(version) ? version.split(".").map((part) => BigInt(part)) : null;
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) return null;
  for (let i = 0; i < 3; i++) {
    const l = left[i] as bigint;
    const r = right[i] as bigint;
    if (l !== r) return l < r ? -1 : 1;
  }
  return 0;
}

/** What a chunk says, as opposed to which version it is or whether it is switched on. */
function sameContent(file: TKnowledgeChunkRow, stored: StoredKnowledgeChunk): boolean {
  const sameList = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((value, i) => value === b[i]);
  return (
    file.source === stored.source &&
    file.textContent === stored.textContent &&
    file.embeddingText === stored.embeddingText &&
    file.phase === stored.phase &&
    file.goal === stored.goal &&
    file.type === stored.type &&
    sameList(file.techniques, stored.techniques) &&
    sameList(file.context, stored.context) &&
    file.situation === stored.situation &&
    file.primaryIntent === stored.primaryIntent &&
    file.riskLevel === stored.riskLevel
  );
}

/** Where each stored text comes from in the source format, so an error names the field the author wrote. */
const TEXT_FIELDS = [
  ["source", "metadata.source"],
  ["textContent", "languageVariants.en.text"],
  ["embeddingText", "embeddingStrings"],
  ["situation", "situation"],
  ["primaryIntent", "guidance.primary_intent"],
  ["techniques", "tags.technique"],
  ["context", "tags.context"],
] as const satisfies readonly (readonly [keyof TKnowledgeChunkRow, string])[];

/** Text the schema accepts but PostgreSQL cannot store (NUL, unpaired surrogates), as file errors rather than a failed write. */
function unstorableText(chunks: readonly TKnowledgeChunkRow[]): TKnowledgeFileError[] {
  const errors: TKnowledgeFileError[] = [];
  chunks.forEach((chunk, index) => {
    for (const [field, path] of TEXT_FIELDS) {
      const value = chunk[field];
      const texts = Array.isArray(value) ? value : [value];
      if (texts.some((text) => typeof text === "string" && !isStorableText(text))) {
        errors.push({ index, chunkId: chunk.chunkId, path, message: `${path} ${UNSTORABLE_TEXT_MESSAGE}` });
      }
    }
  });
  return errors;
}

function emptyReport(dryRun: boolean, errors: TKnowledgeFileError[] = []): TKnowledgeIngestReport {
  return {
    ok: errors.length === 0,
    dryRun,
    created: 0,
    updated: 0,
    unchanged: 0,
    deactivated: 0,
    embedded: 0,
    errors,
    changes: [],
  };
}

interface PlannedChunk {
  index: number;
  chunk: TKnowledgeChunkRow;
  stored: StoredKnowledgeChunk | undefined;
  action: "created" | "updated" | "unchanged";
  /** Whether a vector is computed for it: new or newer content, or a stored row without one of the current model. */
  embed: boolean;
}

/**
 * Ingests one knowledge source file. All or nothing: any problem (a malformed chunk, a version
 * older than the stored one, a changed chunk whose version was not raised) is reported with the
 * chunk's index, chunk_id and field, and nothing is written.
 *
 * chunk_id is unique, so the table holds one row per chunk: its newest version. A newer version
 * replaces the row's content and vector in place; the replaced text survives only in the audit
 * row of the ingestion when the scope writes one (admin.knowledge.ingest, kb:ingest), not in
 * knowledge_chunks. The same version with the same content is left as it is, so re-running a
 * file changes nothing. Ingestion leaves is_active alone except for `deactivateMissing`, so an
 * operator's switch survives re-imports.
 *
 * Every vector is computed before the one write transaction opens, which therefore never waits on
 * the provider; the write re-checks the versions it planned from, and a concurrent writer turns
 * into a reported conflict instead of a lost update.
 */
export async function ingestKnowledgeFile(
  db: Database | KnowledgeWriteScope,
  provider: AiProvider,
  json: unknown,
  options: IngestKnowledgeOptions = {},
): Promise<TKnowledgeIngestReport> {
  const dryRun = options.dryRun ?? false;
  const parsed = parseKnowledgeFile(json);
  if (!parsed.ok) return emptyReport(dryRun, parsed.errors);
  const chunks = parsed.chunks;

  const errors: TKnowledgeFileError[] = unstorableText(chunks);
  if (options.source !== undefined) {
    chunks.forEach((chunk, index) => {
      if (chunk.source !== options.source) {
        errors.push({
          index,
          chunkId: chunk.chunkId,
          path: "metadata.source",
          message: `source is "${chunk.source}", but this file is being ingested as "${options.source}"`,
        });
      }
    });
  }
  if (errors.length) return emptyReport(dryRun, errors);

  const scope = toWriteScope(db);
  const chunkIds = chunks.map((chunk) => chunk.chunkId);
  const sources = options.source !== undefined ? [options.source] : [...new Set(chunks.map((chunk) => chunk.source))];
  const { stored, missing } = await scope.read(async (tx) => ({
    stored: await findKnowledgeChunksByChunkIds(tx, chunkIds),
    missing: options.deactivateMissing ? await findActiveChunksMissingFromSources(tx, sources, chunkIds) : [],
  }));
  const storedById = new Map(stored.map((row) => [row.chunkId, row]));

  const planned: PlannedChunk[] = [];
  chunks.forEach((chunk, index) => {
    const row = storedById.get(chunk.chunkId);
    const fail = (message: string) => errors.push({ index, chunkId: chunk.chunkId, path: "metadata.version", message });
    if (!row) {
      planned.push({ index, chunk, stored: undefined, action: "created", embed: true });
      return;
    }
    const order = compareVersions(chunk.version, row.version);
    if (order === null) {
      fail(
        `the stored version "${row.version}" is not major.minor.patch, so this one cannot be compared with it; correct the stored row first`,
      );
    } else if (order < 0) {
      fail(
        `version ${chunk.version} is older than the stored version ${row.version}; the knowledge base only moves forward, so give the chunk a version above ${row.version}`,
      );
    } else if (order > 0) {
      planned.push({ index, chunk, stored: row, action: "updated", embed: true });
    } else if (!sameContent(chunk, row)) {
      fail(`version ${chunk.version} is already stored with different content; raise the version to replace it`);
    } else {
      const current = row.hasEmbedding && row.embeddingModel === provider.embeddingModel;
      planned.push({ index, chunk, stored: row, action: "unchanged", embed: !current });
    }
  });
  if (errors.length) return emptyReport(dryRun, errors);

  const changes: TKnowledgeIngestChange[] = [
    ...planned.map((p) => ({
      chunkId: p.chunk.chunkId,
      action: p.action,
      fromVersion: p.stored?.version ?? null,
      toVersion: p.chunk.version,
    })),
    ...missing.map((m) => ({
      chunkId: m.chunkId,
      action: "deactivated" as const,
      fromVersion: m.version,
      toVersion: m.version,
    })),
  ];
  const count = (action: PlannedChunk["action"]) => planned.filter((p) => p.action === action).length;
  const toEmbed = planned.filter((p) => p.embed);
  const report: TKnowledgeIngestReport = {
    ok: true,
    dryRun,
    created: count("created"),
    updated: count("updated"),
    unchanged: count("unchanged"),
    deactivated: missing.length,
    embedded: toEmbed.length,
    errors: [],
    changes,
  };
  if (dryRun) return report;

  const vectors = await embedTexts(
    provider,
    toEmbed.map((p) => p.chunk.embeddingText),
    {
      batchSize: options.batchSize ?? EMBED_BATCH_SIZE,
      logging: options.logging,
      signal: options.signal,
      purpose: "knowledge_ingest",
    },
  );
  // A zero vector has no direction: no query could ever be similar to it, so the chunk would be
  // unfindable. It means the provider found nothing it knows in the embedding strings.
  toEmbed.forEach((p, i) => {
    if (vectorNorm(vectors[i] ?? []) === 0) {
      errors.push({
        index: p.index,
        chunkId: p.chunk.chunkId,
        path: "embeddingStrings",
        message: `the provider (${provider.embeddingModel}) embedded these strings as all zeros; add words it can represent`,
      });
    }
  });
  if (errors.length) return emptyReport(false, errors);

  const plan: KnowledgeWritePlan = { create: [], update: [], embed: [], deactivate: missing };
  toEmbed.forEach((p, i) => {
    const embedding = vectors[i] as number[];
    const write = { ...p.chunk, embedding, embeddingModel: provider.embeddingModel };
    if (p.action === "created") plan.create.push(write);
    else if (p.action === "updated")
      plan.update.push({ ...write, expectedVersion: (p.stored as StoredKnowledgeChunk).version });
    else {
      plan.embed.push({
        chunkId: p.chunk.chunkId,
        expectedVersion: p.chunk.version,
        embeddingText: p.chunk.embeddingText,
        embedding,
        embeddingModel: provider.embeddingModel,
      });
    }
  });
  if (plan.create.length + plan.update.length + plan.embed.length + plan.deactivate.length === 0) return report;

  try {
    const written = await scope.change(async (tx) => {
      const result = await writeKnowledgeChanges(tx, plan);
      // Cheap history: the replaced versions' text goes to the audit row, since the table keeps only the newest.
      const before = {
        sources,
        updated: planned
          .filter((p) => p.action === "updated")
          .map((p) => ({
            chunkId: p.chunk.chunkId,
            version: p.stored?.version,
            textContent: p.stored?.textContent,
            embeddingText: p.stored?.embeddingText,
          })),
        deactivated: missing,
      };
      const after = {
        sources,
        embeddingModel: provider.embeddingModel,
        created: plan.create.map((c) => ({ chunkId: c.chunkId, version: c.version })),
        updated: plan.update.map((c) => ({ chunkId: c.chunkId, version: c.version })),
        embedded: plan.embed.map((c) => c.chunkId),
        deactivated: result.deactivated,
      };
      return { result, before, after };
    });
    return { ...report, deactivated: written.deactivated };
  } catch (error) {
    if (!(error instanceof KnowledgeWriteConflictError)) throw error;
    const indexOf = new Map(chunks.map((chunk, index) => [chunk.chunkId, index]));
    return emptyReport(
      false,
      error.chunkIds.map((chunkId) => ({
        index: indexOf.get(chunkId) ?? -1,
        chunkId,
        path: "metadata.version",
        message:
          "the stored chunk changed while this file was being ingested (another ingestion?); nothing was written, run it again",
      })),
    );
  }
}

export interface EmbedMissingOptions {
  batchSize?: number | undefined;
  logging?: EmbedLogging | undefined;
  signal?: AbortSignal | undefined;
}

export interface EmbedMissingReport {
  /** Vectors written. */
  embedded: number;
  /** Rows whose text changed while their vector was being computed (left for the next run). */
  skipped: number;
  /** Rows the provider embedded as all zeros (nothing it could represent); left without a vector. */
  empty: string[];
}

/**
 * Gives every chunk a vector from `provider`'s model: those the seed wrote without one, those the
 * stale-embedding trigger cleared, and those embedded by a model no longer in use. Batch by batch:
 * read a batch, embed it with no transaction open, write it in a short one; the write skips rows
 * whose text changed meanwhile. The server calls this after seeding.
 */
export async function embedMissingChunks(
  db: Database | KnowledgeWriteScope,
  provider: AiProvider,
  options: EmbedMissingOptions = {},
): Promise<EmbedMissingReport> {
  const scope = toWriteScope(db);
  const size = options.batchSize ?? EMBED_BATCH_SIZE;
  const report: EmbedMissingReport = { embedded: 0, skipped: 0, empty: [] };
  let afterId: string | null = null;
  for (;;) {
    const cursor: string | null = afterId;
    const rows: { id: string; embeddingText: string }[] = await scope.read((tx) =>
      findChunksNeedingEmbedding(tx, provider.embeddingModel, size, cursor),
    );
    const last = rows.at(-1);
    if (!last) return report;
    afterId = last.id;
    const vectors = await embedTexts(
      provider,
      rows.map((row) => row.embeddingText),
      { batchSize: size, logging: options.logging, signal: options.signal, purpose: "knowledge_embed_missing" },
    );
    const usable = rows.flatMap((row, i) => {
      const embedding = vectors[i] ?? [];
      if (vectorNorm(embedding) > 0) return [{ ...row, embedding }];
      report.empty.push(row.id);
      return [];
    });
    if (usable.length === 0) continue;
    const set = await scope.change(async (tx) => {
      const count = await setChunkEmbeddings(tx, usable, provider.embeddingModel);
      return { result: count, before: null, after: { embeddingModel: provider.embeddingModel, embedded: count } };
    });
    report.embedded += set;
    report.skipped += usable.length - set;
  }
}
