// Operators' knowledge tools: ingest a knowledge file (validated before anything is written),
// validate one without writing, list and switch chunks, and the search playground that shows
// scores and what the filters did; each through the audited admin scope.
import { type AiRuntime, type KnowledgeWriteScope, ingestKnowledgeFile, searchKnowledge } from "@lockstep/ai";
import {
  type TAdminKnowledgeIngestInput,
  type TAdminKnowledgeListInput,
  type TAdminKnowledgeSetActiveInput,
  type TKnowledgeSearchInput,
} from "@lockstep/contracts";
import { listKnowledgeChunksForAdmin, setKnowledgeChunkActive } from "@lockstep/db";
import { z } from "zod";
import type { RequestMeta } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { AdminScope } from "../../scopes.ts";
import { cursorCodec } from "../cursors.ts";
import { requireAi } from "../ai-flows.ts";
import { embedLogging, withEmbeddingErrors } from "../knowledge.ts";

const ENTITY = "knowledge_chunk";

/** Ordered by chunk_id, the name the source file gives a chunk. */
const chunksCursor = cursorCodec("admin.knowledge.list", z.strictObject({ chunkId: z.string().min(1) }));

/**
 * Returns the report either way: with errors (naming chunk and field) nothing was written. The
 * comparison with the stored rows is an audited read; the write, when there is one, an audited
 * change whose before holds the replaced versions' text (the table keeps only the newest).
 */
export async function ingestKnowledge(
  scope: AdminScope,
  runtime: AiRuntime | undefined,
  meta: RequestMeta,
  input: TAdminKnowledgeIngestInput,
) {
  const ai = requireAi(runtime);
  const writeScope: KnowledgeWriteScope = {
    read: (work) => scope.read({ action: "admin.knowledge.ingest.check", entityType: ENTITY, entityId: null }, work),
    change: (work) => scope.change({ action: "admin.knowledge.ingest", entityType: ENTITY, entityId: null }, work),
  };
  return withEmbeddingErrors(() =>
    ingestKnowledgeFile(writeScope, ai.provider, input.file, {
      dryRun: input.dryRun,
      deactivateMissing: input.deactivateMissing,
      source: input.source,
      logging: embedLogging(ai, scope.actorId, meta, "admin"),
    }),
  );
}

/**
 * The validation report of a file before anything is written: per chunk and field what is wrong,
 * and what would be created, updated, left unchanged or deactivated. Always a dry run (dryRun in
 * the input is ignored); it reads the stored versions and writes nothing but its audit row.
 */
export async function validateKnowledge(
  scope: AdminScope,
  runtime: AiRuntime | undefined,
  input: TAdminKnowledgeIngestInput,
) {
  const ai = requireAi(runtime);
  const readOnly: KnowledgeWriteScope = {
    read: (work) => scope.read({ action: "admin.knowledge.validate", entityType: ENTITY, entityId: null }, work),
    change: () => Promise.reject(new Error("admin.knowledge.validate must not write")),
  };
  return withEmbeddingErrors(() =>
    ingestKnowledgeFile(readOnly, ai.provider, input.file, {
      dryRun: true,
      deactivateMissing: input.deactivateMissing,
      source: input.source,
    }),
  );
}

export async function listKnowledgeChunks(scope: AdminScope, input: TAdminKnowledgeListInput) {
  const afterChunkId = chunksCursor.decode(input.cursor)?.chunkId ?? null;
  const page = await scope.read({ action: "admin.knowledge.list", entityType: ENTITY, entityId: null }, (tx) =>
    listKnowledgeChunksForAdmin(tx, {
      phase: input.phase,
      goal: input.goal,
      type: input.type,
      active: input.active,
      version: input.version,
      afterChunkId,
      limit: input.limit,
    }),
  );
  return {
    items: page.items,
    nextCursor: page.nextChunkId ? chunksCursor.encode({ chunkId: page.nextChunkId }) : null,
  };
}

// Setting the value a chunk already has returns it and is still audited, as admin.users.* do.
export async function setChunkActive(scope: AdminScope, input: TAdminKnowledgeSetActiveInput) {
  return scope.change({ action: "admin.knowledge.setActive", entityType: ENTITY, entityId: input.id }, async (tx) => {
    const change = await setKnowledgeChunkActive(tx, input.id, input.active);
    if (!change) throw new AppError("NOT_FOUND", `No knowledge chunk with id "${input.id}".`, { id: input.id });
    return { result: change.after, ...change };
  });
}

/** The same search as knowledge.search, plus how the filters narrowed the base and how the scan was tuned. */
export async function searchKnowledgePlayground(
  scope: AdminScope,
  runtime: AiRuntime | undefined,
  meta: RequestMeta,
  input: TKnowledgeSearchInput,
) {
  const ai = requireAi(runtime);
  const outcome = await withEmbeddingErrors(() =>
    searchKnowledge(
      { run: (work) => scope.read({ action: "admin.knowledge.search", entityType: ENTITY, entityId: null }, work) },
      ai.provider,
      input,
      { explain: true, logging: embedLogging(ai, scope.actorId, meta, "admin") },
    ),
  );
  if (!outcome.filters) throw new Error("admin.knowledge.search: the filter report is missing");
  return { items: outcome.items, filters: outcome.filters, settings: outcome.settings };
}
