// `admin.models.*`, `admin.prices.*` and `admin.usage.*`: providers and defaults, the price table
// and re-pricing, usage, limits and alerts; every call is audited, no answer ever holds a key.
import {
  ZCharacterModelInputSchema,
  ZEmbeddingStatusSchema,
  ZModelDefaultsInputSchema,
  ZModelDefaultsSchema,
  ZPriceInputSchema,
  ZPriceSchema,
  ZPriceUpdateInputSchema,
  ZProviderCreateInputSchema,
  ZProviderIdInputSchema,
  ZProviderModelsResultSchema,
  ZProviderSchema,
  ZProviderTestInputSchema,
  ZProviderTestResultSchema,
  ZProviderUpdateInputSchema,
  ZRepriceInputSchema,
  ZUsageAlertSchema,
  ZUsageLimitInputSchema,
  ZUsageLimitSchema,
  ZUsageOverviewSchema,
  ZUsageRangeInputSchema,
  ZMyUsageSchema,
} from "@lockstep/contracts";
import { z } from "zod";
import {
  createPrice,
  createProvider,
  deletePrice,
  deleteProvider,
  fetchProviderModels,
  listAlerts,
  listLimits,
  listPricesForAdmin,
  listProvidersForAdmin,
  readEmbeddingStatus,
  readModelDefaults,
  removeLimit,
  repriceCalls,
  saveLimit,
  setCharacterModel,
  testProvider,
  updateModelDefaults,
  updatePrice,
  updateProvider,
  usageOverviewForAdmin,
  userUsageForAdmin,
} from "../../services/admin/models.ts";
import { adminProcedure, router } from "../../trpc.ts";

const ZDeletedSchema = z.object({ id: z.string(), deleted: z.literal(true) });

export const adminModelsRouter = router({
  providers: adminProcedure
    .input(z.void())
    .output(z.array(ZProviderSchema))
    .query(({ ctx }) => listProvidersForAdmin(ctx.adminDb)),
  createProvider: adminProcedure
    .input(ZProviderCreateInputSchema)
    .output(ZProviderSchema)
    .mutation(({ ctx, input }) => createProvider(ctx.adminDb, ctx.ai, input)),
  updateProvider: adminProcedure
    .input(ZProviderUpdateInputSchema)
    .output(ZProviderSchema)
    .mutation(({ ctx, input }) => updateProvider(ctx.adminDb, ctx.ai, input)),
  deleteProvider: adminProcedure
    .input(ZProviderIdInputSchema)
    .output(ZDeletedSchema)
    .mutation(({ ctx, input }) => deleteProvider(ctx.adminDb, ctx.ai, input.id)),
  /** Asks the endpoint for its models (GET /models); saving them is an updateProvider. */
  listModels: adminProcedure
    .input(ZProviderIdInputSchema)
    .output(ZProviderModelsResultSchema)
    .mutation(({ ctx, input }) => fetchProviderModels(ctx.adminDb, ctx.ai, input.id)),
  /** A real, logged chat call to the provider. */
  test: adminProcedure
    .input(ZProviderTestInputSchema)
    .output(ZProviderTestResultSchema)
    .mutation(({ ctx, input }) => testProvider(ctx.adminDb, ctx.ai, ctx.requestMeta, input)),
  defaults: adminProcedure
    .input(z.void())
    .output(ZModelDefaultsSchema)
    .query(({ ctx }) => readModelDefaults(ctx.adminDb)),
  updateDefaults: adminProcedure
    .input(ZModelDefaultsInputSchema)
    .output(ZModelDefaultsSchema)
    .mutation(({ ctx, input }) => updateModelDefaults(ctx.adminDb, ctx.ai, input)),
  /** Which embedding model search answers from, and a re-embedding's progress. */
  embeddingStatus: adminProcedure
    .input(z.void())
    .output(ZEmbeddingStatusSchema)
    .query(({ ctx }) => readEmbeddingStatus(ctx.adminDb, ctx.ai)),
  setCharacterModel: adminProcedure
    .input(ZCharacterModelInputSchema)
    .output(z.object({ id: z.string(), chatModel: z.string().nullable() }))
    .mutation(({ ctx, input }) => setCharacterModel(ctx.adminDb, input)),
});

export const adminPricesRouter = router({
  list: adminProcedure
    .input(z.void())
    .output(z.array(ZPriceSchema))
    .query(({ ctx }) => listPricesForAdmin(ctx.adminDb)),
  create: adminProcedure
    .input(ZPriceInputSchema)
    .output(ZPriceSchema)
    .mutation(({ ctx, input }) => createPrice(ctx.adminDb, input)),
  update: adminProcedure
    .input(ZPriceUpdateInputSchema)
    .output(ZPriceSchema)
    .mutation(({ ctx, input }) => updatePrice(ctx.adminDb, input)),
  delete: adminProcedure
    .input(ZProviderIdInputSchema)
    .output(ZDeletedSchema)
    .mutation(({ ctx, input }) => deletePrice(ctx.adminDb, input.id)),
  /** Prices the calls of [from, to) again from the current table (a durable job). */
  reprice: adminProcedure
    .input(ZRepriceInputSchema)
    .output(z.object({ jobId: z.string().nullable() }))
    .mutation(({ ctx, input }) => repriceCalls(ctx.adminDb, ctx.ai, input)),
});

export const adminUsageRouter = router({
  overview: adminProcedure
    .input(ZUsageRangeInputSchema)
    .output(ZUsageOverviewSchema)
    .query(({ ctx, input }) => usageOverviewForAdmin(ctx.adminDb, input.days)),
  user: adminProcedure
    .input(ZUsageRangeInputSchema.extend({ userId: z.string().min(1).max(200) }))
    .output(ZMyUsageSchema)
    .query(({ ctx, input }) => userUsageForAdmin(ctx.adminDb, input.userId, input.days)),
  limits: adminProcedure
    .input(z.void())
    .output(z.array(ZUsageLimitSchema))
    .query(({ ctx }) => listLimits(ctx.adminDb)),
  saveLimit: adminProcedure
    .input(ZUsageLimitInputSchema)
    .output(ZUsageLimitSchema)
    .mutation(({ ctx, input }) => saveLimit(ctx.adminDb, input)),
  deleteLimit: adminProcedure
    .input(ZProviderIdInputSchema)
    .output(ZDeletedSchema)
    .mutation(({ ctx, input }) => removeLimit(ctx.adminDb, input.id)),
  alerts: adminProcedure
    .input(z.void())
    .output(z.array(ZUsageAlertSchema))
    .query(({ ctx }) => listAlerts(ctx.adminDb)),
});
