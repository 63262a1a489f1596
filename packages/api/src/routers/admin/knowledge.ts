// `admin.knowledge.*`: operators ingest knowledge files (validated before anything is written), list and switch chunks, and try searches in a playground that shows scores and what the filters did; every call is audited.
import {
  ZAdminKnowledgeChunkSchema,
  ZAdminKnowledgeIngestInputSchema,
  ZAdminKnowledgeListInputSchema,
  ZAdminKnowledgeListPageSchema,
  ZAdminKnowledgeSearchInputSchema,
  ZAdminKnowledgeSearchResultSchema,
  ZAdminKnowledgeSetActiveInputSchema,
  ZKnowledgeIngestReportSchema,
} from "@lockstep/contracts";
import {
  ingestKnowledge,
  listKnowledgeChunks,
  searchKnowledgePlayground,
  setChunkActive,
  validateKnowledge,
} from "../../services/admin/knowledge.ts";
import { adminProcedure, router } from "../../trpc.ts";

export const adminKnowledgeRouter = router({
  ingest: adminProcedure
    .input(ZAdminKnowledgeIngestInputSchema)
    .output(ZKnowledgeIngestReportSchema)
    .mutation(({ ctx, input }) => ingestKnowledge(ctx.adminDb, ctx.ai, ctx.requestMeta, input)),
  /** A mutation only so the file travels in a POST body, as ingest's does, not in a URL. */
  validate: adminProcedure
    .input(ZAdminKnowledgeIngestInputSchema)
    .output(ZKnowledgeIngestReportSchema)
    .mutation(({ ctx, input }) => validateKnowledge(ctx.adminDb, ctx.ai, input)),
  list: adminProcedure
    .input(ZAdminKnowledgeListInputSchema)
    .output(ZAdminKnowledgeListPageSchema)
    .query(({ ctx, input }) => listKnowledgeChunks(ctx.adminDb, input)),
  setActive: adminProcedure
    .input(ZAdminKnowledgeSetActiveInputSchema)
    .output(ZAdminKnowledgeChunkSchema)
    .mutation(({ ctx, input }) => setChunkActive(ctx.adminDb, input)),
  search: adminProcedure
    .input(ZAdminKnowledgeSearchInputSchema)
    .output(ZAdminKnowledgeSearchResultSchema)
    .query(({ ctx, input }) => searchKnowledgePlayground(ctx.adminDb, ctx.ai, ctx.requestMeta, input)),
});
