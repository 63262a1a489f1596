// Inputs and outputs of admin.interactions.*: the AI interaction log's keyset list, details with responses, stats and delete.
import { z } from "zod";
import { ZEpochMsSchema } from "./codecs.ts";
import { ZUuidSchema } from "./conversations.ts";
import { ZAiInteractionDtoSchema } from "./dto.ts";
import { ZAiInteractionStatusSchema, ZAiOperationSchema, ZDataSourceSchema, ZProviderKindSchema } from "./enums.ts";
import { pageOf, ZPageInputSchema } from "./pagination.ts";

/** List items carry this much of the prompt; the detail view has all of it. */
export const PROMPT_PREVIEW_MAX = 200;
export const INTERACTION_FILTER_TEXT_MAX = 200;
/** A chart has no use for more points, and the bound keeps one request from asking for millions. */
export const INTERACTION_STATS_BUCKETS_MAX = 1500;

const ZCountSchema = z.number().int().nonnegative();

const filterText = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(INTERACTION_FILTER_TEXT_MAX, { error: `${field} must be at most ${INTERACTION_FILTER_TEXT_MAX} characters` })
    // PostgreSQL text cannot hold NUL, so no stored value could match it; it is a bad request, not a query.
    .refine((value) => !value.includes("\u0000"), { error: `${field} must not contain NUL characters` });

/** The list's orders: newest first (created_at desc, id desc) or slowest first (latency_ms desc nulls last, id desc). */
export const ZInteractionSortSchema = z.enum(["created_at", "latency"]);
export type TInteractionSort = z.infer<typeof ZInteractionSortSchema>;

/** The log's filters, shared by list, groups and the CSV/JSONL export. */
export const ZInteractionFiltersShape = {
  /** created_at >= from (epoch ms). */
  from: ZEpochMsSchema.optional(),
  /** created_at < to (epoch ms). */
  to: ZEpochMsSchema.optional(),
  /** Provider name, as in providers.name. */
  provider: filterText("provider").optional(),
  model: filterText("model").optional(),
  status: ZAiInteractionStatusSchema.optional(),
  operation: ZAiOperationSchema.optional(),
  userId: filterText("userId").optional(),
  sessionId: ZUuidSchema.optional(),
  dataSource: ZDataSourceSchema.optional(),
};

export const ZAdminInteractionListInputSchema = ZPageInputSchema.extend({
  ...ZInteractionFiltersShape,
  sort: ZInteractionSortSchema.default("created_at"),
}).refine((input) => input.from === undefined || input.to === undefined || input.from <= input.to, {
  error: "from must not be after to",
  path: ["from"],
});
export type TAdminInteractionListInput = z.infer<typeof ZAdminInteractionListInputSchema>;

/** The list's filters without paging: what the export route takes as query parameters. */
export const ZAdminInteractionFiltersSchema = z
  .object(ZInteractionFiltersShape)
  .refine((input) => input.from === undefined || input.to === undefined || input.from <= input.to, {
    error: "from must not be after to",
    path: ["from"],
  });
export type TAdminInteractionFilters = z.infer<typeof ZAdminInteractionFiltersSchema>;

/** A row of the log list: the payloads (request, response, metadata, file metadata) stay in the detail view. */
export const ZAdminInteractionListItemSchema = ZAiInteractionDtoSchema.omit({
  promptText: true,
  request: true,
  response: true,
  fileMetadata: true,
  metadata: true,
}).extend({
  providerName: z.string(),
  /** The first PROMPT_PREVIEW_MAX characters of the stored (masked) prompt. */
  promptPreview: z.string().nullable(),
});
export type TAdminInteractionListItem = z.infer<typeof ZAdminInteractionListItemSchema>;

export const ZAdminInteractionListPageSchema = pageOf(ZAdminInteractionListItemSchema);
export type TAdminInteractionListPage = z.infer<typeof ZAdminInteractionListPageSchema>;

export const ZAdminInteractionIdInputSchema = z.object({ id: ZUuidSchema });
export type TAdminInteractionIdInput = z.infer<typeof ZAdminInteractionIdInputSchema>;

/** One text a call produced (ai_responses), in order. */
export const ZAiResponseDtoSchema = z.object({
  id: z.string().min(1),
  position: z.number().int(),
  content: z.string(),
  finishReason: z.string().nullable(),
  metadata: z.json().nullable(),
  createdAt: ZEpochMsSchema,
});
export type TAiResponseDto = z.infer<typeof ZAiResponseDtoSchema>;

export const ZAdminInteractionDetailSchema = ZAiInteractionDtoSchema.extend({
  /** Of the input tokens, those the endpoint served from its prompt cache (priced at the cached-input rate); null when not reported. */
  cachedInputTokens: ZCountSchema.nullable(),
  providerName: z.string(),
  providerKind: ZProviderKindSchema,
  responses: z.array(ZAiResponseDtoSchema),
});
export type TAdminInteractionDetail = z.infer<typeof ZAdminInteractionDetailSchema>;

export const ZAdminInteractionDeleteResultSchema = z.object({
  id: z.string().min(1),
  /** Removed with it by ON DELETE CASCADE. */
  responsesDeleted: ZCountSchema,
});
export type TAdminInteractionDeleteResult = z.infer<typeof ZAdminInteractionDeleteResultSchema>;

// ------------------------------------------------------------------ stats

export const ZInteractionStatsBucketSchema = z.enum(["minute", "hour", "day"]);
export type TInteractionStatsBucket = z.infer<typeof ZInteractionStatsBucketSchema>;

export const INTERACTION_STATS_BUCKET_MS: Record<TInteractionStatsBucket, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

export const ZInteractionStatsGroupBySchema = z.enum(["provider", "model", "operation"]);
export type TInteractionStatsGroupBy = z.infer<typeof ZInteractionStatsGroupBySchema>;

export const ZAdminInteractionStatsInputSchema = z
  .object({
    from: ZEpochMsSchema,
    to: ZEpochMsSchema,
    bucket: ZInteractionStatsBucketSchema,
    groupBy: ZInteractionStatsGroupBySchema.optional(),
  })
  .refine((input) => input.from < input.to, { error: "from must be before to", path: ["to"] })
  .refine(
    (input) =>
      input.from >= input.to ||
      Math.ceil(input.to / INTERACTION_STATS_BUCKET_MS[input.bucket]) -
        Math.floor(input.from / INTERACTION_STATS_BUCKET_MS[input.bucket]) <=
        INTERACTION_STATS_BUCKETS_MAX,
    {
      error: `the range holds more than ${INTERACTION_STATS_BUCKETS_MAX} buckets: choose a larger bucket or a shorter range`,
      path: ["bucket"],
    },
  );
export type TAdminInteractionStatsInput = z.infer<typeof ZAdminInteractionStatsInputSchema>;

const ZPercentileSchema = z.number().nonnegative().nullable();

/**
 * The numbers of one slice of the log. errorRate = (error + timeout + aborted) / (success + error +
 * timeout + aborted): among calls that reached an outcome; null when none did. Latency and
 * time-to-first-token percentiles are interpolated (percentile_cont) over successful calls only;
 * null when there are none. Token counts are sums over the slice.
 */
export const ZInteractionStatsValuesSchema = z.object({
  count: ZCountSchema,
  pending: ZCountSchema,
  success: ZCountSchema,
  error: ZCountSchema,
  timeout: ZCountSchema,
  cancelled: ZCountSchema,
  aborted: ZCountSchema,
  /** error + timeout + aborted: the calls that failed. */
  errors: ZCountSchema,
  errorRate: z.number().min(0).max(1).nullable(),
  latencyMs: z.object({ p50: ZPercentileSchema, p95: ZPercentileSchema, p99: ZPercentileSchema }),
  timeToFirstTokenMs: z.object({ p50: ZPercentileSchema, p95: ZPercentileSchema }),
  inputTokens: ZCountSchema,
  outputTokens: ZCountSchema,
});
export type TInteractionStatsValues = z.infer<typeof ZInteractionStatsValuesSchema>;

export const ZInteractionStatsPointSchema = ZInteractionStatsValuesSchema.extend({
  /** Start of the bucket (epoch ms); buckets are aligned to the Unix epoch in UTC. */
  start: ZEpochMsSchema,
});
export type TInteractionStatsPoint = z.infer<typeof ZInteractionStatsPointSchema>;

export const ZAdminInteractionStatsSchema = z.object({
  from: ZEpochMsSchema,
  to: ZEpochMsSchema,
  bucket: ZInteractionStatsBucketSchema,
  bucketMs: z.number().int().positive(),
  groupBy: ZInteractionStatsGroupBySchema.nullable(),
  totals: ZInteractionStatsValuesSchema,
  /** Every bucket from the one holding `from` to the one before `to`, empty ones included. */
  series: z.array(ZInteractionStatsPointSchema),
  /** With groupBy: one entry per provider name, model or (wire) operation, busiest first; each series lists only buckets with calls. */
  groups: z.array(
    z.object({
      key: z.string(),
      totals: ZInteractionStatsValuesSchema,
      series: z.array(ZInteractionStatsPointSchema),
    }),
  ),
});
export type TAdminInteractionStats = z.infer<typeof ZAdminInteractionStatsSchema>;

// ------------------------------------------------------------------ overview

export const INTERACTION_EXPORT_FORMATS = ["csv", "jsonl"] as const;
export const ZInteractionExportFormatSchema = z.enum(INTERACTION_EXPORT_FORMATS);
export type TInteractionExportFormat = z.infer<typeof ZInteractionExportFormatSchema>;

/** The bucket overview picks when none is given: about 24 to 360 points whatever the range. */
export function defaultOverviewBucket(fromMs: number, toMs: number): TInteractionStatsBucket {
  const span = toMs - fromMs;
  if (span <= 6 * INTERACTION_STATS_BUCKET_MS.hour) return "minute";
  if (span <= 15 * INTERACTION_STATS_BUCKET_MS.day) return "hour";
  return "day";
}

export const ZAdminInteractionOverviewInputSchema = z
  .object({
    from: ZEpochMsSchema,
    to: ZEpochMsSchema,
    /** Default: defaultOverviewBucket(from, to). */
    bucket: ZInteractionStatsBucketSchema.optional(),
    provider: filterText("provider").optional(),
    model: filterText("model").optional(),
    operation: ZAiOperationSchema.optional(),
  })
  .refine((input) => input.from < input.to, { error: "from must be before to", path: ["to"] })
  .refine(
    (input) => {
      if (input.from >= input.to) return true;
      const ms = INTERACTION_STATS_BUCKET_MS[input.bucket ?? defaultOverviewBucket(input.from, input.to)];
      return Math.ceil(input.to / ms) - Math.floor(input.from / ms) <= INTERACTION_STATS_BUCKETS_MAX;
    },
    {
      error: `the range holds more than ${INTERACTION_STATS_BUCKETS_MAX} buckets: choose a larger bucket or a shorter range`,
      path: ["bucket"],
    },
  );
export type TAdminInteractionOverviewInput = z.infer<typeof ZAdminInteractionOverviewInputSchema>;

/** One provider name, model or (wire) operation with its numbers over the whole range. */
export const ZInteractionBreakdownEntrySchema = ZInteractionStatsValuesSchema.extend({ key: z.string() });
export type TInteractionBreakdownEntry = z.infer<typeof ZInteractionBreakdownEntrySchema>;

export const ZAdminInteractionOverviewSchema = z.object({
  from: ZEpochMsSchema,
  to: ZEpochMsSchema,
  bucket: ZInteractionStatsBucketSchema,
  bucketMs: z.number().int().positive(),
  /** The filters applied (null when not given). */
  filters: z.object({
    provider: z.string().nullable(),
    model: z.string().nullable(),
    operation: ZAiOperationSchema.nullable(),
  }),
  totals: ZInteractionStatsValuesSchema,
  /** Every bucket from the one holding `from` to the one before `to`, empty ones included. */
  series: z.array(ZInteractionStatsPointSchema),
  /**
   * "exact": percentile_cont over the calls. "approximate": long ranges are read from hourly
   * rollups, where latencies are kept in bins 10% wide, so percentiles are interpolated within a
   * bin (within a few percent); counts, error rates and tokens are exact either way.
   */
  percentiles: z.enum(["exact", "approximate"]),
  /** Busiest first. */
  byProvider: z.array(ZInteractionBreakdownEntrySchema),
  byModel: z.array(ZInteractionBreakdownEntrySchema),
  byOperation: z.array(ZInteractionBreakdownEntrySchema),
});
export type TAdminInteractionOverview = z.infer<typeof ZAdminInteractionOverviewSchema>;

// ------------------------------------------------------------------ groups by prompt hash

export const ZAdminInteractionGroupsInputSchema = ZPageInputSchema.extend(ZInteractionFiltersShape).refine(
  (input) => input.from === undefined || input.to === undefined || input.from <= input.to,
  { error: "from must not be after to", path: ["from"] },
);
export type TAdminInteractionGroupsInput = z.infer<typeof ZAdminInteractionGroupsInputSchema>;

/** Calls with the same prompt_hash (the same masked prompt asked again and again). */
export const ZAdminInteractionGroupSchema = z.object({
  promptHash: z.string(),
  calls: ZCountSchema,
  /** error + timeout + aborted. */
  errors: ZCountSchema,
  /** Over calls with a latency; null when none has one. */
  avgLatencyMs: z.number().nonnegative().nullable(),
  p95LatencyMs: z.number().nonnegative().nullable(),
  firstSeen: ZEpochMsSchema,
  lastSeen: ZEpochMsSchema,
  /** The newest call of the group, for the detail view. */
  sampleId: z.string().min(1),
  /** The first PROMPT_PREVIEW_MAX characters of that call's (masked) prompt. */
  promptPreview: z.string().nullable(),
});
export type TAdminInteractionGroup = z.infer<typeof ZAdminInteractionGroupSchema>;

export const ZAdminInteractionGroupsPageSchema = pageOf(ZAdminInteractionGroupSchema);
export type TAdminInteractionGroupsPage = z.infer<typeof ZAdminInteractionGroupsPageSchema>;
