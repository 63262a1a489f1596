// `admin.knowledge.*`: operators ingest knowledge files (validated before anything is written), list and switch chunks, and try searches in a playground that shows scores and what the filters did; every call is audited.
import { type KnowledgeWriteScope, ingestKnowledgeFile, searchKnowledge } from "@lockstep/ai";
import {
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  ZAdminKnowledgeChunkSchema,
  ZAdminKnowledgeIngestInputSchema,
  ZAdminKnowledgeListInputSchema,
  ZAdminKnowledgeListPageSchema,
  ZAdminKnowledgeSearchInputSchema,
  ZAdminKnowledgeSearchResultSchema,
  ZAdminKnowledgeSetActiveInputSchema,
  ZKnowledgeIngestReportSchema,
} from "@lockstep/contracts";
import { listKnowledgeChunksForAdmin, setKnowledgeChunkActive } from "@lockstep/db";
import { AppError } from "../../errors.ts";
import { requireAi } from "../../services/ai-flows.ts";
import { adminProcedure, router } from "../../trpc.ts";
import { embedLogging, withEmbeddingErrors } from "../knowledge.ts";

const ENTITY = "knowledge_chunk";

/** The cursor is [chunkId] of the last row of the previous page; anything else is a client bug. */
function decodeChunkKey(cursor: string | null | undefined): string | null {
  if (!cursor) return null;
  try {
    const [chunkId, ...rest] = decodeCursor(cursor);
    if (typeof chunkId === "string" && rest.length === 0) return chunkId;
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw new AppError("BAD_INPUT", `cursor: ${error.message}`, { field: "cursor" });
  }
  throw new AppError("BAD_INPUT", "cursor: not a cursor of this list", { field: "cursor" });
}

export const adminKnowledgeRouter = router({
  /**
   * Returns the report either way: with errors (naming chunk and field) nothing was written. The
   * comparison with the stored rows is an audited read; the write, when there is one, an audited
   * change whose before holds the replaced versions' text (the table keeps only the newest).
   */
  ingest: adminProcedure
    .input(ZAdminKnowledgeIngestInputSchema)
    .output(ZKnowledgeIngestReportSchema)
    .mutation(async ({ ctx, input }) => {
      const ai = requireAi(ctx.ai);
      const scope: KnowledgeWriteScope = {
        read: (work) =>
          ctx.adminDb.read({ action: "admin.knowledge.ingest.check", entityType: ENTITY, entityId: null }, work),
        change: (work) =>
          ctx.adminDb.change({ action: "admin.knowledge.ingest", entityType: ENTITY, entityId: null }, work),
      };
      return withEmbeddingErrors(() =>
        ingestKnowledgeFile(scope, ai.provider, input.file, {
          dryRun: input.dryRun,
          deactivateMissing: input.deactivateMissing,
          source: input.source,
          logging: embedLogging(ai, ctx.user.id, ctx.requestMeta, "admin"),
        }),
      );
    }),

  /**
   * The validation report of a file before anything is written: per chunk and field what is wrong,
   * and what would be created, updated, left unchanged or deactivated. Always a dry run (dryRun in
   * the input is ignored); it reads the stored versions and writes nothing but its audit row.
   * A mutation only so the file travels in a POST body, as ingest's does, not in a URL.
   */
  validate: adminProcedure
    .input(ZAdminKnowledgeIngestInputSchema)
    .output(ZKnowledgeIngestReportSchema)
    .mutation(async ({ ctx, input }) => {
      const ai = requireAi(ctx.ai);
      const scope: KnowledgeWriteScope = {
        read: (work) =>
          ctx.adminDb.read({ action: "admin.knowledge.validate", entityType: ENTITY, entityId: null }, work),
        change: () => Promise.reject(new Error("admin.knowledge.validate must not write")),
      };
      return withEmbeddingErrors(() =>
        ingestKnowledgeFile(scope, ai.provider, input.file, {
          dryRun: true,
          deactivateMissing: input.deactivateMissing,
          source: input.source,
        }),
      );
    }),

  list: adminProcedure
    .input(ZAdminKnowledgeListInputSchema)
    .output(ZAdminKnowledgeListPageSchema)
    .query(async ({ ctx, input }) => {
      const afterChunkId = decodeChunkKey(input.cursor);
      const page = await ctx.adminDb.read(
        { action: "admin.knowledge.list", entityType: ENTITY, entityId: null },
        (tx) =>
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
      return { items: page.items, nextCursor: page.nextChunkId ? encodeCursor([page.nextChunkId]) : null };
    }),

  // Setting the value a chunk already has returns it and is still audited, as admin.users.* do.
  setActive: adminProcedure
    .input(ZAdminKnowledgeSetActiveInputSchema)
    .output(ZAdminKnowledgeChunkSchema)
    .mutation(({ ctx, input }) =>
      ctx.adminDb.change(
        { action: "admin.knowledge.setActive", entityType: ENTITY, entityId: input.id },
        async (tx) => {
          const change = await setKnowledgeChunkActive(tx, input.id, input.active);
          if (!change) throw new AppError("NOT_FOUND", `No knowledge chunk with id "${input.id}".`, { id: input.id });
          return { result: change.after, ...change };
        },
      ),
    ),

  /** The playground: the same search as knowledge.search, plus how the filters narrowed the base and how the scan was tuned. */
  search: adminProcedure
    .input(ZAdminKnowledgeSearchInputSchema)
    .output(ZAdminKnowledgeSearchResultSchema)
    .query(async ({ ctx, input }) => {
      const ai = requireAi(ctx.ai);
      const outcome = await withEmbeddingErrors(() =>
        searchKnowledge(
          {
            run: (work) =>
              ctx.adminDb.read({ action: "admin.knowledge.search", entityType: ENTITY, entityId: null }, work),
          },
          ai.provider,
          input,
          { explain: true, logging: embedLogging(ai, ctx.user.id, ctx.requestMeta, "admin") },
        ),
      );
      if (!outcome.filters) throw new Error("admin.knowledge.search: the filter report is missing");
      return { items: outcome.items, filters: outcome.filters, settings: outcome.settings };
    }),
});
