// Inputs and outputs of the operators' procedures beyond the log: user deletion, any user's sessions, data settings, the database report and the audit log.
import { z } from "zod";
import { ZEpochMsSchema } from "./codecs.ts";
import { ZUuidSchema } from "./conversations.ts";
import { ZAuditLogDtoSchema, ZMessageDtoSchema, ZSessionDtoSchema } from "./dto.ts";
import { ZSessionStatusSchema, ZSessionTypeSchema } from "./enums.ts";
import { pageOf, ZPageInputSchema } from "./pagination.ts";
import { ZDeletedAccountCountsSchema } from "./users.ts";

const ZCountSchema = z.number().int().nonnegative();
export const ADMIN_FILTER_TEXT_MAX = 200;

const filterText = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(ADMIN_FILTER_TEXT_MAX, { error: `${field} must be at most ${ADMIN_FILTER_TEXT_MAX} characters` });

// ------------------------------------------------------------------ users

export const ZAdminUserDeleteResultSchema = z.object({
  id: z.string().min(1),
  deleted: z.literal(true),
  /** What went with the account, counted just before the delete. */
  counts: ZDeletedAccountCountsSchema,
});
export type TAdminUserDeleteResult = z.infer<typeof ZAdminUserDeleteResultSchema>;

// ------------------------------------------------------------------ sessions

export const ZAdminSessionListInputSchema = ZPageInputSchema.extend({
  userId: filterText("userId").optional(),
  /** Case-insensitive substring of the session's name. */
  query: z
    .string({ error: "query must be a string" })
    .trim()
    .max(ADMIN_FILTER_TEXT_MAX, { error: `query must be at most ${ADMIN_FILTER_TEXT_MAX} characters` })
    .optional(),
  status: ZSessionStatusSchema.optional(),
  type: ZSessionTypeSchema.optional(),
  /** With true, soft-deleted sessions are listed too (marked by deletedAt). */
  includeDeleted: z.boolean({ error: "includeDeleted must be true or false" }).default(false),
});
export type TAdminSessionListInput = z.infer<typeof ZAdminSessionListInputSchema>;

/** A session with whose it is and how many messages it holds. */
export const ZAdminSessionSchema = ZSessionDtoSchema.extend({
  userId: z.string().min(1),
  userEmail: z.string(),
  messageCount: ZCountSchema,
});
export type TAdminSession = z.infer<typeof ZAdminSessionSchema>;

/** Newest first (created_at desc, id desc). */
export const ZAdminSessionListPageSchema = pageOf(ZAdminSessionSchema);
export type TAdminSessionListPage = z.infer<typeof ZAdminSessionListPageSchema>;

export const ZAdminSessionIdInputSchema = z.object({ id: ZUuidSchema });
export type TAdminSessionIdInput = z.infer<typeof ZAdminSessionIdInputSchema>;

export const ZAdminSessionMessagesInputSchema = ZPageInputSchema.extend({ id: ZUuidSchema });
export type TAdminSessionMessagesInput = z.infer<typeof ZAdminSessionMessagesInputSchema>;

/** Oldest first (timestamp asc, id asc), as the conversation reads; reactions are the session owner's. */
export const ZAdminSessionMessagesPageSchema = pageOf(ZMessageDtoSchema);
export type TAdminSessionMessagesPage = z.infer<typeof ZAdminSessionMessagesPageSchema>;

export const ZAdminSessionPurgeResultSchema = z.object({
  id: z.string().min(1),
  /** Removed with it by ON DELETE CASCADE. */
  messagesDeleted: ZCountSchema,
});
export type TAdminSessionPurgeResult = z.infer<typeof ZAdminSessionPurgeResultSchema>;

// ------------------------------------------------------------------ data settings

export const RETENTION_DAYS_MAX = 3650;

/** What the interaction log masks; each category can be switched off on its own. */
export const MASKING_CATEGORIES = ["email", "phone", "card", "secret", "dataUrl"] as const;
export const ZMaskingCategorySchema = z.enum(MASKING_CATEGORIES);
export type TMaskingCategory = z.infer<typeof ZMaskingCategorySchema>;

export const ZMaskingSettingsSchema = z.object({
  /** Off: nothing is masked (AI_LOG_MASKING=off in the environment also turns it off, whatever this says). */
  enabled: z.boolean({ error: "masking.enabled must be true or false" }),
  email: z.boolean({ error: "masking.email must be true or false" }),
  phone: z.boolean({ error: "masking.phone must be true or false" }),
  card: z.boolean({ error: "masking.card must be true or false" }),
  secret: z.boolean({ error: "masking.secret must be true or false" }),
  dataUrl: z.boolean({ error: "masking.dataUrl must be true or false" }),
});
export type TMaskingSettings = z.infer<typeof ZMaskingSettingsSchema>;

export const ZRetentionDaysSchema = z
  .number({ error: "retentionDays must be a number" })
  .int({ error: "retentionDays must be a whole number of days" })
  .min(1, { error: "retentionDays must be at least 1" })
  .max(RETENTION_DAYS_MAX, { error: `retentionDays must be at most ${RETENTION_DAYS_MAX}` });

export const ZAdminDataSettingsInputSchema = z.object({
  retentionDays: ZRetentionDaysSchema,
  masking: ZMaskingSettingsSchema,
});
export type TAdminDataSettingsInput = z.infer<typeof ZAdminDataSettingsInputSchema>;

export const ZAdminDataSettingsSchema = ZAdminDataSettingsInputSchema.extend({
  /** "default" until an operator saves settings: then the environment's defaults apply. */
  source: z.enum(["default", "database"]),
  updatedAt: ZEpochMsSchema.nullable(),
  updatedBy: z.string().nullable(),
});
export type TAdminDataSettings = z.infer<typeof ZAdminDataSettingsSchema>;

// ------------------------------------------------------------------ db:verify

export const ZVerifyCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  /** The offending rows (orphans, missing indexes, drifted enum values), when the check lists them. */
  rows: z.array(z.json()).optional(),
});
export const ZAdminVerifyReportSchema = z.object({
  ok: z.boolean(),
  runtime: z.string(),
  location: z.string(),
  checks: z.array(ZVerifyCheckSchema),
  counts: z.record(z.string(), ZCountSchema),
});
export type TAdminVerifyReport = z.infer<typeof ZAdminVerifyReportSchema>;

// ------------------------------------------------------------------ audit log

export const ZAdminAuditListInputSchema = ZPageInputSchema.extend({
  actorId: filterText("actorId").optional(),
  /** Exact action name, e.g. admin.users.setRole. */
  action: filterText("action").optional(),
  entityType: filterText("entityType").optional(),
  entityId: filterText("entityId").optional(),
  /** created_at >= from (epoch ms). */
  from: ZEpochMsSchema.optional(),
  /** created_at < to (epoch ms). */
  to: ZEpochMsSchema.optional(),
}).refine((input) => input.from === undefined || input.to === undefined || input.from <= input.to, {
  error: "from must not be after to",
  path: ["from"],
});
export type TAdminAuditListInput = z.infer<typeof ZAdminAuditListInputSchema>;

export const ZAdminAuditEntrySchema = ZAuditLogDtoSchema.extend({
  /** The actor's email when the account still exists. */
  actorEmail: z.string().nullable(),
});
export type TAdminAuditEntry = z.infer<typeof ZAdminAuditEntrySchema>;

/** Newest first (created_at desc, id desc). */
export const ZAdminAuditListPageSchema = pageOf(ZAdminAuditEntrySchema);
export type TAdminAuditListPage = z.infer<typeof ZAdminAuditListPageSchema>;
