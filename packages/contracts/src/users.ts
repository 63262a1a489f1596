// Inputs and outputs of the account procedures: a person's own profile and account deletion, and the operators' user admin.
import { z } from "zod";
import { ZEpochMsSchema } from "./codecs.ts";
import { ZUserDtoSchema } from "./dto.ts";
import { ZRoleSchema } from "./enums.ts";
import { pageOf, ZPageInputSchema } from "./pagination.ts";

export const USER_NAME_MAX = 80;
/** Browsers cope with longer URLs, but an avatar link this long is a mistake or an abuse. */
export const USER_IMAGE_URL_MAX = 2048;
/** RFC 5321's limit on a whole address. */
export const EMAIL_MAX = 254;
export const USER_SEARCH_MAX = 200;

const ZCountSchema = z.number().int().nonnegative();
// Inputs enforce formats; ids are not uuids everywhere (seeded users have readable ids).
const ZUserIdInputSchema = z
  .string({ error: "id must be a string" })
  .trim()
  .min(1, { error: "id must not be empty" })
  .max(200, { error: "id must be at most 200 characters" });

export const ZUserNameSchema = z
  .string({ error: "name must be a string" })
  .trim()
  .min(1, { error: "name must not be empty" })
  .max(USER_NAME_MAX, { error: `name must be at most ${USER_NAME_MAX} characters` });

/** Only https: the image is shown to the person on every page, and mixed content is blocked or warned about. */
export const ZUserImageUrlSchema = z
  .string({ error: "image must be a string" })
  .trim()
  .max(USER_IMAGE_URL_MAX, { error: `image must be at most ${USER_IMAGE_URL_MAX} characters` })
  .pipe(z.url({ protocol: /^https$/, error: "image must be an https URL" }));

export const ZUpdateProfileInputSchema = z
  .object({
    name: ZUserNameSchema.optional(),
    /** null removes the picture. */
    image: ZUserImageUrlSchema.nullable().optional(),
  })
  .refine((input) => input.name !== undefined || input.image !== undefined, {
    error: "give a name or an image to change",
  });
export type TUpdateProfileInput = z.infer<typeof ZUpdateProfileInputSchema>;

export const ZDeleteAccountInputSchema = z.object({
  /** Typed by the person as a deliberate second step; compared case-insensitively with the account's email. */
  confirmEmail: z
    .string({ error: "confirmEmail must be a string" })
    .trim()
    .min(1, { error: "confirmEmail must not be empty" })
    .max(EMAIL_MAX, { error: `confirmEmail must be at most ${EMAIL_MAX} characters` }),
});
export type TDeleteAccountInput = z.infer<typeof ZDeleteAccountInputSchema>;

/** How many rows of each kind went with the account, counted just before the delete. */
export const ZDeletedAccountCountsSchema = z.object({
  sessions: ZCountSchema,
  messages: ZCountSchema,
  /** Likes, dislikes, pins and copies (user_message_interactions). */
  feedback: ZCountSchema,
  collections: ZCountSchema,
  engagements: ZCountSchema,
  memories: ZCountSchema,
  uploads: ZCountSchema,
  /** Kept for the interaction log, with the person and their IP address removed. */
  aiInteractionsAnonymised: ZCountSchema,
});
export type TDeletedAccountCounts = z.infer<typeof ZDeletedAccountCountsSchema>;

export const ZDeleteAccountResultSchema = z.object({
  deleted: z.literal(true),
  counts: ZDeletedAccountCountsSchema,
});
export type TDeleteAccountResult = z.infer<typeof ZDeleteAccountResultSchema>;

// ------------------------------------------------------------------ admin

export const ZAdminUserListInputSchema = ZPageInputSchema.extend({
  /** Case-insensitive substring of the email or the name; blank means no search. */
  query: z
    .string({ error: "query must be a string" })
    .trim()
    .max(USER_SEARCH_MAX, { error: `query must be at most ${USER_SEARCH_MAX} characters` })
    .optional(),
  role: ZRoleSchema.optional(),
  disabled: z.boolean({ error: "disabled must be true or false" }).optional(),
});
export type TAdminUserListInput = z.infer<typeof ZAdminUserListInputSchema>;

export const ZAdminUserListItemSchema = ZUserDtoSchema.extend({
  sessionsCount: ZCountSchema,
  /** Latest sessions.last_activity of the person; null when they have no session. */
  lastActivity: ZEpochMsSchema.nullable(),
});
export type TAdminUserListItem = z.infer<typeof ZAdminUserListItemSchema>;

export const ZAdminUserListPageSchema = pageOf(ZAdminUserListItemSchema);

export const ZAdminUserIdInputSchema = z.object({ id: ZUserIdInputSchema });
export type TAdminUserIdInput = z.infer<typeof ZAdminUserIdInputSchema>;

export const ZAdminUserEngagementSchema = z.object({
  id: z.string().min(1),
  characterId: z.string().min(1),
  characterName: z.string(),
  totalSessions: ZCountSchema,
  totalMessages: ZCountSchema,
  lastInteractionAt: ZEpochMsSchema.nullable(),
});
export type TAdminUserEngagement = z.infer<typeof ZAdminUserEngagementSchema>;

export const ZAdminUserDetailSchema = z.object({
  user: ZUserDtoSchema,
  counts: z.object({ sessions: ZCountSchema, messages: ZCountSchema, engagements: ZCountSchema }),
  /** Latest sessions.last_activity of the person (deleted sessions included); null when they have no session. */
  lastActivity: ZEpochMsSchema.nullable(),
  /** Most recent interaction first. */
  engagements: z.array(ZAdminUserEngagementSchema),
});
export type TAdminUserDetail = z.infer<typeof ZAdminUserDetailSchema>;

export const ZAdminSetRoleInputSchema = z.object({ id: ZUserIdInputSchema, role: ZRoleSchema });
export type TAdminSetRoleInput = z.infer<typeof ZAdminSetRoleInputSchema>;

export const ZAdminSetDisabledInputSchema = z.object({
  id: ZUserIdInputSchema,
  disabled: z.boolean({ error: "disabled must be true or false" }),
});
export type TAdminSetDisabledInput = z.infer<typeof ZAdminSetDisabledInputSchema>;

/** Addresses are compared and stored lowercased, as Better Auth does at sign-up. */
export const ZEmailSchema = z
  .string({ error: "email must be a string" })
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX, { error: `email must be at most ${EMAIL_MAX} characters` })
  .pipe(z.email({ error: "email must be an email address (name@example.com)" }));
