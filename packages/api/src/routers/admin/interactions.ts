// `admin.interactions.*`: operators browse the AI interaction log (keyset list with filters, one call with its responses, stats) and delete entries; every call is audited.
import {
  ZAdminInteractionDeleteResultSchema,
  ZAdminInteractionDetailSchema,
  ZAdminInteractionGroupsInputSchema,
  ZAdminInteractionGroupsPageSchema,
  ZAdminInteractionIdInputSchema,
  ZAdminInteractionListInputSchema,
  ZAdminInteractionListPageSchema,
  ZAdminInteractionOverviewInputSchema,
  ZAdminInteractionOverviewSchema,
  ZAdminInteractionStatsInputSchema,
  ZAdminInteractionStatsSchema,
} from "@lockstep/contracts";
import {
  deleteInteraction,
  getInteraction,
  interactionOverview,
  interactionStats,
  listInteractionGroups,
  listInteractions,
} from "../../services/admin/interactions.ts";
import { adminProcedure, router } from "../../trpc.ts";

export const adminInteractionsRouter = router({
  list: adminProcedure
    .input(ZAdminInteractionListInputSchema)
    .output(ZAdminInteractionListPageSchema)
    .query(({ ctx, input }) => listInteractions(ctx.adminDb, input)),
  get: adminProcedure
    .input(ZAdminInteractionIdInputSchema)
    .output(ZAdminInteractionDetailSchema)
    .query(({ ctx, input }) => getInteraction(ctx.adminDb, input.id)),
  stats: adminProcedure
    .input(ZAdminInteractionStatsInputSchema)
    .output(ZAdminInteractionStatsSchema)
    .query(({ ctx, input }) => interactionStats(ctx.adminDb, input)),
  /** The overview page: series per bucket, totals and breakdowns by provider, model and operation. */
  overview: adminProcedure
    .input(ZAdminInteractionOverviewInputSchema)
    .output(ZAdminInteractionOverviewSchema)
    .query(({ ctx, input }) => interactionOverview(ctx.adminDb, input)),
  /** Calls grouped by prompt_hash, busiest first, with the list's filters. */
  groups: adminProcedure
    .input(ZAdminInteractionGroupsInputSchema)
    .output(ZAdminInteractionGroupsPageSchema)
    .query(({ ctx, input }) => listInteractionGroups(ctx.adminDb, input)),
  delete: adminProcedure
    .input(ZAdminInteractionIdInputSchema)
    .output(ZAdminInteractionDeleteResultSchema)
    .mutation(({ ctx, input }) => deleteInteraction(ctx.adminDb, input.id)),
});
