// Operators' models and costs: providers (keys sealed on the way in, never sent back), the model
// defaults, a character's chat model, the price table, re-pricing, limits, usage and alerts.
// Every change is an audited change with before and after; a key appears there only as "changed".
import type { AiRuntime, ModelRouter } from "@lockstep/ai";
import {
  type TEmbeddingStatus,
  type TModelDefaultsInput,
  type TPriceInput,
  type TProvider,
  type TProviderCreateInput,
  type TProviderUpdateInput,
  type TRepriceInput,
  type TUsageLimitInput,
  ZPriceInputSchema,
  toEpochMs,
  ZUsageLimitInputSchema,
} from "@lockstep/contracts";
import {
  countReembedded,
  defaultsUsingProvider,
  deletePriceRow,
  deleteProviderRow,
  deleteUsageLimit,
  getModelDefaults,
  getPrice,
  getProvider,
  insertPrice,
  insertProvider,
  listPrices,
  listProviders,
  listUsageAlerts,
  listUsageLimits,
  planReembedding,
  priceExists,
  providerHasCalls,
  providerNameTaken,
  readReembeddingState,
  saveModelDefaults,
  setCharacterChatModel,
  updatePriceRow,
  updateProviderRow,
  upsertUsageLimit,
  usageOf,
  usageOverview,
} from "@lockstep/db";
import type { RequestMeta } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { enqueueReembedding } from "../../jobs/knowledge-reembed.ts";
import { enqueueReprice } from "../../jobs/usage.ts";
import type { AdminScope } from "../../scopes.ts";
import { requireAi } from "../ai-flows.ts";

function requireModels(ai: AiRuntime | undefined): ModelRouter {
  const runtime = requireAi(ai);
  if (!runtime.models) throw new AppError("PRECONDITION_FAILED", "Providers cannot be configured on this server.");
  return runtime.models;
}

/** What the audit log keeps of a provider: everything but the key, and whether a key changed. */
function audited(provider: TProvider | null, keyChanged = false) {
  if (!provider) return null;
  return { ...provider, ...(keyChanged ? { apiKey: "changed" } : {}) };
}

// ------------------------------------------------------------------ providers

export function listProvidersForAdmin(scope: AdminScope) {
  return scope.read({ action: "admin.models.providers", entityType: "provider", entityId: null }, listProviders);
}

export async function createProvider(scope: AdminScope, ai: AiRuntime | undefined, input: TProviderCreateInput) {
  const models = requireModels(ai);
  const created = await scope.change(
    { action: "admin.models.createProvider", entityType: "provider", entityId: null },
    async (tx) => {
      if (await providerNameTaken(tx, input.name)) {
        throw new AppError("CONFLICT", `A provider named "${input.name}" already exists.`, { field: "name" });
      }
      const after = await insertProvider(tx, {
        name: input.name,
        baseUrl: input.baseUrl,
        apiKeyCiphertext: input.apiKey ? models.seal(input.apiKey) : null,
        models: [...new Set(input.models ?? [])],
      });
      return { result: after, before: null, after: audited(after, !!input.apiKey) };
    },
  );
  await models.reload();
  return created;
}

export async function updateProvider(scope: AdminScope, ai: AiRuntime | undefined, input: TProviderUpdateInput) {
  const models = requireModels(ai);
  const updated = await scope.change(
    { action: "admin.models.updateProvider", entityType: "provider", entityId: input.id },
    async (tx) => {
      const before = await getProvider(tx, input.id);
      if (!before) throw new AppError("NOT_FOUND", "No such provider.");
      if (input.name !== undefined && (await providerNameTaken(tx, input.name, input.id))) {
        throw new AppError("CONFLICT", `A provider named "${input.name}" already exists.`, { field: "name" });
      }
      const after = await updateProviderRow(tx, input.id, {
        name: input.name,
        baseUrl: input.baseUrl,
        apiKeyCiphertext:
          input.apiKey === undefined ? undefined : input.apiKey === null ? null : models.seal(input.apiKey),
        models: input.models === undefined ? undefined : [...new Set(input.models)],
      });
      return { result: after, before: audited(before), after: audited(after, input.apiKey !== undefined) };
    },
  );
  await models.reload();
  return updated;
}

export async function deleteProvider(scope: AdminScope, ai: AiRuntime | undefined, id: string) {
  const models = requireModels(ai);
  const result = await scope.change(
    { action: "admin.models.deleteProvider", entityType: "provider", entityId: id },
    async (tx) => {
      const before = await getProvider(tx, id);
      if (!before) throw new AppError("NOT_FOUND", "No such provider.");
      const uses = await defaultsUsingProvider(tx, id);
      if (uses.length) {
        throw new AppError(
          "PRECONDITION_FAILED",
          `This provider is the default for ${uses.join(", ")}; choose another first.`,
        );
      }
      if (await providerHasCalls(tx, id)) {
        throw new AppError(
          "PRECONDITION_FAILED",
          "Logged calls name this provider, so it is kept; remove its key instead.",
        );
      }
      await deleteProviderRow(tx, id);
      return { result: { id, deleted: true as const }, before: audited(before), after: null };
    },
  );
  await models.reload();
  return result;
}

/** The endpoint's own model list (a read of the provider; the models are saved only by an update). */
export async function fetchProviderModels(scope: AdminScope, ai: AiRuntime | undefined, id: string) {
  const models = requireModels(ai);
  await scope.read({ action: "admin.models.listModels", entityType: "provider", entityId: id }, async (tx) => {
    if (!(await getProvider(tx, id))) throw new AppError("NOT_FOUND", "No such provider.");
  });
  try {
    return { models: await models.listModels(id) };
  } catch (error) {
    throw new AppError("UPSTREAM_UNAVAILABLE", "The provider did not list its models; type them in instead.", {
      reason: (error as { status?: number }).status ?? null,
    });
  }
}

export async function testProvider(
  scope: AdminScope,
  ai: AiRuntime | undefined,
  meta: RequestMeta,
  input: { id: string; model?: string | undefined },
) {
  const models = requireModels(ai);
  const provider = await scope.read({ action: "admin.models.test", entityType: "provider", entityId: input.id }, (tx) =>
    getProvider(tx, input.id),
  );
  if (!provider) throw new AppError("NOT_FOUND", "No such provider.");
  const model = input.model ?? provider.models[0];
  if (!model) throw new AppError("BAD_INPUT", "Name a model to test (the provider lists none).", { field: "model" });
  return models.test(input.id, model, {
    userId: scope.actorId,
    sessionId: null,
    ip: meta.ip,
    dataSource: "admin",
    requestId: meta.requestId,
  });
}

// ------------------------------------------------------------------ defaults

export function readModelDefaults(scope: AdminScope) {
  return scope.read(
    { action: "admin.models.defaults", entityType: "ai_model_settings", entityId: null },
    getModelDefaults,
  );
}

export async function updateModelDefaults(scope: AdminScope, ai: AiRuntime | undefined, input: TModelDefaultsInput) {
  const models = requireModels(ai);
  const saved = await scope.change(
    { action: "admin.models.updateDefaults", entityType: "ai_model_settings", entityId: null },
    async (tx) => {
      for (const purpose of ["chat", "embedding", "vision"] as const) {
        const choice = input[purpose];
        if (choice && !(await getProvider(tx, choice.providerId))) {
          throw new AppError("BAD_INPUT", `${purpose}: no such provider.`, { field: purpose });
        }
      }
      const change = await saveModelDefaults(tx, input, scope.actorId);
      // A new embedding model re-embeds the knowledge base; search keeps the complete vectors meanwhile.
      const environment = { providerId: null, model: models.environmentEmbeddingModel };
      const plan = await planReembedding(
        tx,
        change.before.embedding ?? environment,
        change.after.embedding ?? environment,
      );
      return {
        result: { defaults: change.after, plan },
        before: change.before,
        after: { ...change.after, reembedding: plan },
      };
    },
  );
  await models.reload();
  // After the commit, so the job reads the saved state; a process that dies before this line has
  // its re-embedding enqueued again when a worker starts (resumeReembedding).
  const queue = requireAi(ai).jobs;
  if (queue && (saved.plan.action === "started" || saved.plan.action === "superseded")) {
    await enqueueReembedding(queue, { model: saved.plan.model, requestedBy: scope.actorId });
  }
  return saved.defaults;
}

/** Which embedding model search answers from, and the progress of a re-embedding under way. */
export function readEmbeddingStatus(scope: AdminScope, ai: AiRuntime | undefined): Promise<TEmbeddingStatus> {
  return scope.read(
    { action: "admin.models.embeddingStatus", entityType: "ai_model_settings", entityId: null },
    async (tx) => {
      const state = await readReembeddingState(tx);
      if (!state.model || !state.serving) {
        const defaults = await getModelDefaults(tx);
        const environment = ai?.models?.environmentEmbeddingModel ?? ai?.provider.embeddingModel ?? null;
        return { servingModel: defaults.embedding?.model ?? environment, reembedding: null };
      }
      const counts = await countReembedded(tx, state.model);
      return {
        servingModel: state.serving.model,
        reembedding: {
          model: state.model,
          ...counts,
          startedAt: state.startedAt ? toEpochMs(state.startedAt) : null,
          error: state.error,
        },
      };
    },
  );
}

export function setCharacterModel(scope: AdminScope, input: { id: string; chatModel: string | null }) {
  return scope.change(
    { action: "admin.models.setCharacterModel", entityType: "character", entityId: input.id },
    async (tx) => {
      const change = await setCharacterChatModel(tx, input.id, input.chatModel);
      if (!change) throw new AppError("NOT_FOUND", "No such character.");
      return {
        result: { id: input.id, chatModel: change.after },
        before: { chatModel: change.before },
        after: { chatModel: change.after },
      };
    },
  );
}

// ------------------------------------------------------------------ prices

export function listPricesForAdmin(scope: AdminScope) {
  return scope.read({ action: "admin.prices.list", entityType: "model_price", entityId: null }, listPrices);
}

export function createPrice(scope: AdminScope, input: TPriceInput) {
  const values = ZPriceInputSchema.parse(input);
  return scope.change({ action: "admin.prices.create", entityType: "model_price", entityId: null }, async (tx) => {
    if (await priceExists(tx, values.pattern, values.effectiveFrom)) {
      throw new AppError("CONFLICT", "That pattern already has a price from that moment; edit it instead.", {
        field: "effectiveFrom",
      });
    }
    const after = await insertPrice(tx, values);
    return { result: after, before: null, after };
  });
}

export function updatePrice(scope: AdminScope, input: TPriceInput & { id: string }) {
  const values = ZPriceInputSchema.parse(input);
  return scope.change({ action: "admin.prices.update", entityType: "model_price", entityId: input.id }, async (tx) => {
    const before = await getPrice(tx, input.id);
    if (!before) throw new AppError("NOT_FOUND", "No such price.");
    if (await priceExists(tx, values.pattern, values.effectiveFrom, input.id)) {
      throw new AppError("CONFLICT", "That pattern already has a price from that moment.", { field: "effectiveFrom" });
    }
    const after = await updatePriceRow(tx, input.id, values);
    return { result: after, before, after };
  });
}

export function deletePrice(scope: AdminScope, id: string) {
  return scope.change({ action: "admin.prices.delete", entityType: "model_price", entityId: id }, async (tx) => {
    const before = await getPrice(tx, id);
    if (!before) throw new AppError("NOT_FOUND", "No such price.");
    await deletePriceRow(tx, id);
    return { result: { id, deleted: true as const }, before, after: null };
  });
}

/** Re-prices the calls of a past range from the current table, as a durable job; the request is audited. */
export async function repriceCalls(scope: AdminScope, ai: AiRuntime | undefined, input: TRepriceInput) {
  const queue = requireAi(ai).jobs;
  if (!queue) throw new AppError("PRECONDITION_FAILED", "No job queue on this server.");
  // Enqueued before the audited change, not inside it: the embedded database has a single connection,
  // which the change's transaction would hold while the queue waited for it.
  const jobId = await enqueueReprice(queue, { from: input.from, to: input.to, requestedBy: scope.actorId });
  return scope.change({ action: "admin.prices.reprice", entityType: "ai_interaction", entityId: null }, async () => ({
    result: { jobId },
    before: null,
    after: { from: input.from, to: input.to, jobId },
  }));
}

// ------------------------------------------------------------------ usage and limits

export async function usageOverviewForAdmin(scope: AdminScope, days: number) {
  const since = new Date(Date.now() - (days - 1) * 86_400_000);
  const overview = await scope.read(
    { action: "admin.usage.overview", entityType: "usage_daily", entityId: null },
    (tx) => usageOverview(tx, since),
  );
  return { currency: "USD", ...overview };
}

export async function userUsageForAdmin(scope: AdminScope, userId: string, days: number) {
  const since = new Date(Date.now() - (days - 1) * 86_400_000);
  const rows = await scope.read({ action: "admin.usage.user", entityType: "user", entityId: userId }, (tx) =>
    usageOf(tx, userId, since),
  );
  return { rows, currency: "USD", limits: [] };
}

export function listLimits(scope: AdminScope) {
  return scope.read({ action: "admin.usage.limits", entityType: "usage_limit", entityId: null }, (tx) =>
    listUsageLimits(tx),
  );
}

export function saveLimit(scope: AdminScope, input: TUsageLimitInput) {
  const values = ZUsageLimitInputSchema.parse(input);
  return scope.change(
    { action: "admin.usage.saveLimit", entityType: "usage_limit", entityId: values.userId },
    async (tx) => {
      // A limit for someone who does not exist is refused by name, not left to the foreign key.
      if (values.userId && (await tx.user.count({ where: { id: values.userId } })) === 0) {
        throw new AppError("NOT_FOUND", `No user with id "${values.userId}".`, { id: values.userId });
      }
      const change = await upsertUsageLimit(tx, values);
      return { result: change.after, ...change };
    },
  );
}

export function removeLimit(scope: AdminScope, id: string) {
  return scope.change({ action: "admin.usage.deleteLimit", entityType: "usage_limit", entityId: id }, async (tx) => {
    const before = await deleteUsageLimit(tx, id);
    if (!before) throw new AppError("NOT_FOUND", "No such limit.");
    return { result: { id, deleted: true as const }, before, after: null };
  });
}

export function listAlerts(scope: AdminScope) {
  return scope.read({ action: "admin.usage.alerts", entityType: "usage_alert", entityId: null }, (tx) =>
    listUsageAlerts(tx),
  );
}
