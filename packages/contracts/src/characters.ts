// Inputs and outputs of the character procedures (docs/decisions/0003): the catalogue, starting and ending sessions with a character, engagements, memories, and the operators' catalogue editing.
import { z } from "zod";
import { ZUuidSchema } from "./conversations.ts";
import { ZEngagementDtoSchema, ZSessionDtoSchema } from "./dto.ts";
import { ZPageInputSchema } from "./pagination.ts";

export const CHARACTER_SLUG_MAX = 64;
export const CHARACTER_NAME_MAX = 80;
export const CHARACTER_DESCRIPTION_MAX = 1000;
export const CHARACTER_SYSTEM_PROMPT_MAX = 8000;
/** An emoji is a few code units; a picture is an https URL, which browsers cap far above this anyway. */
export const CHARACTER_AVATAR_MAX = 2048;
export const TEMPLATE_TITLE_MAX = 120;
export const TEMPLATE_TEXT_MAX = 2000;
export const TEMPLATE_SORT_ORDER_MAX = 100_000;

/** Slugs travel in URLs (`/chat/maya-dating-coach`), so they are lowercase words joined by hyphens. */
export const ZCatalogueSlugSchema = z
  .string({ error: "slug must be a string" })
  .max(CHARACTER_SLUG_MAX, { error: `slug must be at most ${CHARACTER_SLUG_MAX} characters` })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    error: "slug must be lowercase letters and digits, words joined by single hyphens",
  });

// PostgreSQL text holds neither NUL nor half of a surrogate pair (which is not valid UTF-8): refused
// here as bad input, rather than failing in the database as a 500.
const validText = (field: string) =>
  [
    (value: string) => !value.includes("\u0000") && !/\p{Cs}/u.test(value),
    { error: `${field} must not contain NUL characters or unpaired surrogates` },
  ] as const;

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` })
    .refine(...validText(field));

/** An emoji (a few characters) or an https picture URL; anything else would render as junk or mixed content. */
const ZAvatarSchema = text("avatar", CHARACTER_AVATAR_MAX).refine(
  (value) => value.length <= 16 || /^https:\/\/\S+$/.test(value),
  {
    error: "avatar must be a short emoji or an https URL",
  },
);

// ------------------------------------------------------------------ catalogue and history

/** Lookups are lenient: a mistyped slug is "no such character", not a malformed request. */
export const ZCharacterGetInputSchema = z.object({
  slug: z
    .string({ error: "slug must be a string" })
    .trim()
    .min(1, { error: "slug must not be empty" })
    .max(200, { error: "slug must be at most 200 characters" })
    .refine(...validText("slug")),
});

export const ZCharacterSessionsInputSchema = ZPageInputSchema.extend({ characterId: ZUuidSchema });
export type TCharacterSessionsInput = z.infer<typeof ZCharacterSessionsInputSchema>;

// ------------------------------------------------------------------ starting and ending sessions

export const ZSessionStartInputSchema = z.object({
  characterId: ZUuidSchema,
  /** Absent or null: a free conversation with the character, which is itself one "template" to continue. */
  episodeTemplateId: ZUuidSchema.nullish(),
  /**
   * Start a new session even when one with this character and template is open; the open one is
   * ended (one active session per person and character). Without it the open one is continued.
   */
  fresh: z.boolean().default(false),
});
export type TSessionStartInput = z.infer<typeof ZSessionStartInputSchema>;

export const ZSessionOpenWithInputSchema = z.object({ characterId: ZUuidSchema });

export const ZSessionStartResultSchema = z.object({
  session: ZSessionDtoSchema,
  engagement: ZEngagementDtoSchema,
  /** true when an active session for this character and template was continued rather than created. */
  resumed: z.boolean(),
  /** Sessions with this character that starting this one ended (a fresh start, or another scenario). */
  endedSessionIds: z.array(z.string()).default([]),
});
export type TSessionStartResult = z.infer<typeof ZSessionStartResultSchema>;

// ------------------------------------------------------------------ engagements

/** The character an engagement is with, enough for a "your coaches" list without a second call. */
export const ZEngagementCharacterSchema = z.object({
  id: z.string().min(1),
  slug: z.string(),
  name: z.string(),
  avatar: z.string().nullable(),
  /** A deactivated character's engagement stays visible as history, but cannot be started again. */
  isActive: z.boolean(),
});

export const ZEngagementWithCharacterDtoSchema = ZEngagementDtoSchema.extend({ character: ZEngagementCharacterSchema });
export type TEngagementWithCharacterDto = z.infer<typeof ZEngagementWithCharacterDtoSchema>;

export const ZEngagementGetInputSchema = z.object({ characterId: ZUuidSchema });

// ------------------------------------------------------------------ memories

export const ZMemoryListInputSchema = ZPageInputSchema.extend({ characterId: ZUuidSchema });
export type TMemoryListInput = z.infer<typeof ZMemoryListInputSchema>;
export const ZMemoryIdInputSchema = z.object({ id: ZUuidSchema });

// ------------------------------------------------------------------ admin

export const ZAdminCharacterCreateInputSchema = z.object({
  slug: ZCatalogueSlugSchema,
  name: text("name", CHARACTER_NAME_MAX),
  description: text("description", CHARACTER_DESCRIPTION_MAX),
  avatar: ZAvatarSchema.nullish(),
  systemPrompt: text("systemPrompt", CHARACTER_SYSTEM_PROMPT_MAX),
  /** New personas can be prepared inactive and switched on when their templates are ready. */
  isActive: z.boolean().default(true),
});
export type TAdminCharacterCreateInput = z.infer<typeof ZAdminCharacterCreateInputSchema>;

export const ZAdminCharacterUpdateInputSchema = z
  .object({
    id: ZUuidSchema,
    slug: ZCatalogueSlugSchema.optional(),
    name: text("name", CHARACTER_NAME_MAX).optional(),
    description: text("description", CHARACTER_DESCRIPTION_MAX).optional(),
    /** null removes the avatar. */
    avatar: ZAvatarSchema.nullable().optional(),
    systemPrompt: text("systemPrompt", CHARACTER_SYSTEM_PROMPT_MAX).optional(),
  })
  .refine(
    (input) =>
      [input.slug, input.name, input.description, input.avatar, input.systemPrompt].some(
        (value) => value !== undefined,
      ),
    { error: "give at least one of slug, name, description, avatar or systemPrompt to change" },
  );
export type TAdminCharacterUpdateInput = z.infer<typeof ZAdminCharacterUpdateInputSchema>;

export const ZAdminSetActiveInputSchema = z.object({
  id: ZUuidSchema,
  isActive: z.boolean({ error: "isActive must be true or false" }),
});
export type TAdminSetActiveInput = z.infer<typeof ZAdminSetActiveInputSchema>;

const ZSortOrderSchema = z
  .number({ error: "sortOrder must be a number" })
  .int({ error: "sortOrder must be a whole number" })
  .min(0, { error: "sortOrder must be at least 0" })
  .max(TEMPLATE_SORT_ORDER_MAX, { error: `sortOrder must be at most ${TEMPLATE_SORT_ORDER_MAX}` });

export const ZAdminTemplateCreateInputSchema = z.object({
  characterId: ZUuidSchema,
  slug: ZCatalogueSlugSchema,
  title: text("title", TEMPLATE_TITLE_MAX),
  situation: text("situation", TEMPLATE_TEXT_MAX),
  openingLine: text("openingLine", TEMPLATE_TEXT_MAX).nullish(),
  sortOrder: ZSortOrderSchema.default(0),
  isActive: z.boolean().default(true),
});
export type TAdminTemplateCreateInput = z.infer<typeof ZAdminTemplateCreateInputSchema>;

export const ZAdminTemplateUpdateInputSchema = z
  .object({
    id: ZUuidSchema,
    slug: ZCatalogueSlugSchema.optional(),
    title: text("title", TEMPLATE_TITLE_MAX).optional(),
    situation: text("situation", TEMPLATE_TEXT_MAX).optional(),
    /** null removes the opening line. */
    openingLine: text("openingLine", TEMPLATE_TEXT_MAX).nullable().optional(),
    sortOrder: ZSortOrderSchema.optional(),
  })
  .refine(
    (input) =>
      [input.slug, input.title, input.situation, input.openingLine, input.sortOrder].some(
        (value) => value !== undefined,
      ),
    { error: "give at least one of slug, title, situation, openingLine or sortOrder to change" },
  );
export type TAdminTemplateUpdateInput = z.infer<typeof ZAdminTemplateUpdateInputSchema>;
