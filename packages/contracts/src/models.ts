// Providers, model defaults, prices, usage and budgets: what operators configure and what a person sees of their own usage.
import { z } from "zod";
import { ZEpochMsSchema } from "./codecs.ts";
import { ZUuidSchema } from "./conversations.ts";

const name = (field: string, max: number) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` });

export const ZModelNameSchema = name("model", 200);
export const PROVIDER_MODELS_MAX = 200;

// ------------------------------------------------------------------ providers

/** A provider as operators see it: the key is never sent, only whether one is set. */
export const ZProviderSchema = z.object({
  id: ZUuidSchema,
  name: z.string(),
  kind: z.enum(["builtin", "openai_compatible"]),
  baseUrl: z.string().nullable(),
  hasApiKey: z.boolean(),
  models: z.array(z.string()),
  /** Added in the admin tool or seeded from the environment (others were created by the log). */
  configured: z.boolean(),
  createdAt: ZEpochMsSchema,
  updatedAt: ZEpochMsSchema,
});
export type TProvider = z.infer<typeof ZProviderSchema>;

const ZBaseUrlSchema = z
  .string({ error: "baseUrl must be a string" })
  .trim()
  .max(500, { error: "baseUrl must be at most 500 characters" })
  .pipe(z.url({ protocol: /^https?$/, error: "baseUrl must be an http(s) URL like https://api.openai.com/v1" }));

const ZApiKeySchema = z
  .string({ error: "apiKey must be a string" })
  .trim()
  .min(1, { error: "apiKey must not be empty" })
  .max(1000, { error: "apiKey must be at most 1000 characters" });

const ZModelListSchema = z
  .array(ZModelNameSchema)
  .max(PROVIDER_MODELS_MAX, { error: `at most ${PROVIDER_MODELS_MAX} models` });

export const ZProviderCreateInputSchema = z.object({
  name: name("name", 100),
  baseUrl: ZBaseUrlSchema,
  /** Optional: local servers (Ollama, LM Studio) need none. */
  apiKey: ZApiKeySchema.optional(),
  models: ZModelListSchema.default([]),
});
export type TProviderCreateInput = z.input<typeof ZProviderCreateInputSchema>;

export const ZProviderUpdateInputSchema = z.object({
  id: ZUuidSchema,
  name: name("name", 100).optional(),
  baseUrl: ZBaseUrlSchema.optional(),
  /** A new key replaces the stored one; null removes it; absent keeps it. */
  apiKey: ZApiKeySchema.nullable().optional(),
  models: ZModelListSchema.optional(),
});
export type TProviderUpdateInput = z.input<typeof ZProviderUpdateInputSchema>;

export const ZProviderIdInputSchema = z.object({ id: ZUuidSchema });

export const ZProviderTestInputSchema = z.object({ id: ZUuidSchema, model: ZModelNameSchema.optional() });

/** The outcome of a test call (itself logged as an AI interaction). */
export const ZProviderTestResultSchema = z.object({
  ok: z.boolean(),
  model: z.string(),
  latencyMs: z.number().int().nonnegative(),
  reply: z.string().nullable(),
  error: z.string().nullable(),
  interactionId: z.string().nullable(),
});
export type TProviderTestResult = z.infer<typeof ZProviderTestResultSchema>;

export const ZProviderModelsResultSchema = z.object({ models: z.array(z.string()) });

// ------------------------------------------------------------------ defaults

const ZModelChoiceSchema = z.object({ providerId: ZUuidSchema, model: ZModelNameSchema }).nullable();

/** Which provider and model each purpose uses; null: the environment's (or built-in) provider. */
export const ZModelDefaultsSchema = z.object({
  chat: ZModelChoiceSchema,
  embedding: ZModelChoiceSchema,
  vision: ZModelChoiceSchema,
  updatedAt: ZEpochMsSchema.nullable(),
  updatedBy: z.string().nullable(),
});
export type TModelDefaults = z.infer<typeof ZModelDefaultsSchema>;

export const ZModelDefaultsInputSchema = z.object({
  chat: ZModelChoiceSchema,
  embedding: ZModelChoiceSchema,
  vision: ZModelChoiceSchema,
});
export type TModelDefaultsInput = z.infer<typeof ZModelDefaultsInputSchema>;

/**
 * Which embedding model knowledge search answers from, and the re-embedding for a new default under
 * way (null when there is none): `embedded` of the `total` chunks have a vector from the new model;
 * search switches to it when all do.
 */
export const ZEmbeddingStatusSchema = z.object({
  servingModel: z.string().nullable(),
  reembedding: z
    .object({
      model: z.string(),
      embedded: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
      startedAt: ZEpochMsSchema.nullable(),
      /** Why the last attempt gave up; the job is retried. */
      error: z.string().nullable(),
    })
    .nullable(),
});
export type TEmbeddingStatus = z.infer<typeof ZEmbeddingStatusSchema>;

export const ZCharacterModelInputSchema = z.object({ id: ZUuidSchema, chatModel: ZModelNameSchema.nullable() });

// ------------------------------------------------------------------ prices

const ZPerMillionSchema = z
  .number({ error: "price must be a number" })
  .nonnegative({ error: "price must not be negative" })
  .max(1_000_000, { error: "price must be at most 1,000,000 per million tokens" });

export const ZPriceSchema = z.object({
  id: ZUuidSchema,
  /** Model names it applies to; `*` stands for any run of characters (`gpt-4o-mini*`). */
  pattern: z.string(),
  inputPerMillion: z.number(),
  cachedInputPerMillion: z.number().nullable(),
  outputPerMillion: z.number(),
  currency: z.string(),
  effectiveFrom: ZEpochMsSchema,
  updatedAt: ZEpochMsSchema,
});
export type TPrice = z.infer<typeof ZPriceSchema>;

/** The first instant of the year 10000: the database stores later dates, but they do not read back as JavaScript dates. */
const YEAR_10000_MS = Date.UTC(10000, 0, 1);

/** When a price takes effect: a real calendar date, so every call can be priced against it. */
const ZPriceDateSchema = ZEpochMsSchema.max(YEAR_10000_MS - 1, {
  error: "effectiveFrom must be before the year 10000",
});

export const ZPriceInputSchema = z.object({
  pattern: name("pattern", 200).regex(/^[A-Za-z0-9._:/@*-]+$/, {
    error: "pattern may contain letters, digits, . _ : / @ - and * (any characters)",
  }),
  inputPerMillion: ZPerMillionSchema,
  cachedInputPerMillion: ZPerMillionSchema.nullable().default(null),
  outputPerMillion: ZPerMillionSchema,
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, { error: "currency must be a three-letter code like USD" })
    .default("USD"),
  effectiveFrom: ZPriceDateSchema,
});
export type TPriceInput = z.input<typeof ZPriceInputSchema>;

export const ZPriceUpdateInputSchema = ZPriceInputSchema.extend({ id: ZUuidSchema });

export const ZRepriceInputSchema = z
  .object({ from: ZEpochMsSchema, to: ZEpochMsSchema })
  .refine((range) => range.from < range.to, { error: "from must be before to", path: ["to"] });
export type TRepriceInput = z.infer<typeof ZRepriceInputSchema>;

// ------------------------------------------------------------------ usage

/**
 * Cost of a set of calls: `cost` sums the priced ones; `unpricedCalls` counts calls no price matched,
 * which are never counted as 0 (a client shows "no price" when cost is null).
 */
export const ZUsageRowSchema = z.object({
  day: z.string(),
  modelName: z.string(),
  calls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cost: z.number().nullable(),
  unpricedCalls: z.number().int(),
});
export type TUsageRow = z.infer<typeof ZUsageRowSchema>;

export const ZUsageRangeInputSchema = z.object({
  days: z.number().int().min(1, { error: "days must be at least 1" }).max(366, { error: "days must be at most 366" }),
});

export const ZMyUsageSchema = z.object({
  rows: z.array(ZUsageRowSchema),
  currency: z.string(),
  limits: z.array(
    z.object({
      period: z.enum(["daily", "monthly"]),
      metric: z.enum(["calls", "tokens", "cost"]),
      amount: z.number(),
      used: z.number(),
      resetsAt: ZEpochMsSchema,
      softThreshold: z.number(),
    }),
  ),
});
export type TMyUsage = z.infer<typeof ZMyUsageSchema>;

export const ZUsageOverviewSchema = z.object({
  currency: z.string(),
  byDay: z.array(
    z.object({ day: z.string(), cost: z.number(), calls: z.number().int(), unpricedCalls: z.number().int() }),
  ),
  byModel: z.array(
    z.object({
      modelName: z.string(),
      cost: z.number().nullable(),
      calls: z.number().int(),
      unpricedCalls: z.number().int(),
    }),
  ),
  topUsers: z.array(
    z.object({
      userId: z.string(),
      email: z.string().nullable(),
      /** null when none of the person's calls had a price. */
      cost: z.number().nullable(),
      calls: z.number().int(),
      unpricedCalls: z.number().int(),
    }),
  ),
});
export type TUsageOverview = z.infer<typeof ZUsageOverviewSchema>;

// ------------------------------------------------------------------ budgets

export const USAGE_PERIODS = ["daily", "monthly"] as const;
export const USAGE_METRICS = ["calls", "tokens", "cost"] as const;

export const ZUsageLimitSchema = z.object({
  id: ZUuidSchema,
  role: z.enum(["user", "admin"]).nullable(),
  userId: z.string().nullable(),
  period: z.enum(USAGE_PERIODS),
  metric: z.enum(USAGE_METRICS),
  amount: z.number(),
  softThreshold: z.number(),
  /** The person's email, for a person's own limit (null for a role's), so operators see who it is. */
  email: z.string().nullable(),
});
export type TUsageLimit = z.infer<typeof ZUsageLimitSchema>;

export const ZUsageLimitInputSchema = z
  .object({
    role: z.enum(["user", "admin"]).nullable().default(null),
    userId: z.string().trim().min(1).max(200).nullable().default(null),
    period: z.enum(USAGE_PERIODS, { error: "period must be daily or monthly" }),
    metric: z.enum(USAGE_METRICS, { error: "metric must be calls, tokens or cost" }),
    amount: z.number().nonnegative({ error: "amount must not be negative" }).max(1e12),
    softThreshold: z
      .number()
      .gt(0, { error: "softThreshold must be above 0" })
      .max(1, { error: "softThreshold must be at most 1" })
      .default(0.8),
  })
  .refine((limit) => (limit.role === null) !== (limit.userId === null), {
    error: "give either a role or a userId",
    path: ["role"],
  });
export type TUsageLimitInput = z.input<typeof ZUsageLimitInputSchema>;

/** What a refused call tells the client (in the error's `details`). */
export const ZUsageLimitReachedSchema = z.object({
  period: z.enum(USAGE_PERIODS),
  metric: z.enum(USAGE_METRICS),
  amount: z.number(),
  used: z.number(),
  resetsAt: ZEpochMsSchema,
});
export type TUsageLimitReached = z.infer<typeof ZUsageLimitReachedSchema>;

export const ZUsageAlertSchema = z.object({
  id: ZUuidSchema,
  userId: z.string(),
  email: z.string().nullable(),
  period: z.enum(USAGE_PERIODS),
  metric: z.enum(USAGE_METRICS),
  level: z.enum(["soft", "hard"]),
  used: z.number(),
  amount: z.number(),
  createdAt: ZEpochMsSchema,
});
export type TUsageAlert = z.infer<typeof ZUsageAlertSchema>;
