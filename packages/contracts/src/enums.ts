// Every enum of the product, each as wire values (lowercase snake_case) and database values
// (UPPER_SNAKE), with the one mapping between them. The database side must equal the Prisma
// enum of the same name; packages/db checks that at compile time and in a drift test.
import { z } from "zod";

/** A wire -> database mapping in which every database value is the upper-cased wire value. */
type EnumMapping<M> = { [K in keyof M]: K extends string ? Uppercase<K> : never };

export interface ContractEnum<W extends string, D extends string> {
  /** The Prisma enum (and PostgreSQL type) this contract mirrors. */
  readonly prismaName: string;
  readonly wireValues: readonly [W, ...W[]];
  readonly dbValues: readonly [D, ...D[]];
  /** Zod schema of the wire values (what the API speaks). */
  readonly wire: z.ZodEnum<{ [K in W]: K }>;
  /** Zod schema of the database values (what Prisma stores). */
  readonly db: z.ZodEnum<{ [K in D]: K }>;
  toDb(value: W): D;
  toWire(value: D): W;
}

/**
 * Declares an enum from its wire -> database mapping. The mapping's type only accepts a database
 * value that is exactly the upper-cased wire value, so a typo or a missing value does not compile.
 */
export function defineEnum<const M extends Record<string, string>>(
  prismaName: string,
  mapping: M & EnumMapping<M>,
): ContractEnum<Extract<keyof M, string>, M[keyof M]> {
  type W = Extract<keyof M, string>;
  type D = M[keyof M];
  const wireValues = Object.keys(mapping) as [W, ...W[]];
  const dbValues = wireValues.map((w) => mapping[w]) as unknown as [D, ...D[]];
  const toWireMap = new Map<string, W>(wireValues.map((w) => [mapping[w] as string, w]));
  return {
    prismaName,
    wireValues,
    dbValues,
    wire: z.enum(wireValues),
    db: z.enum(dbValues),
    toDb: (value) => {
      // hasOwn, not a lookup alone: "toString" or "__proto__" would otherwise find Object.prototype.
      const mapped = Object.hasOwn(mapping, value) ? mapping[value] : undefined;
      if (typeof mapped !== "string") throw new RangeError(`${prismaName}: unknown wire value "${String(value)}"`);
      return mapped as D;
    },
    toWire: (value) => {
      const mapped = toWireMap.get(value);
      if (mapped === undefined) throw new RangeError(`${prismaName}: unknown database value "${String(value)}"`);
      return mapped;
    },
  };
}

export const Role = defineEnum("Role", { user: "USER", admin: "ADMIN" });

export const SessionType = defineEnum("SessionType", { screenshot: "SCREENSHOT", text: "TEXT" });

/** The seven states of a session (docs/decisions/0007). */
export const SessionStatus = defineEnum("SessionStatus", {
  pending_user_input: "PENDING_USER_INPUT",
  previewing_screenshot: "PREVIEWING_SCREENSHOT",
  uploading: "UPLOADING",
  analysis_in_progress: "ANALYSIS_IN_PROGRESS",
  verifying_ocr: "VERIFYING_OCR",
  complete: "COMPLETE",
  error: "ERROR",
});

export const MessageAuthor = defineEnum("MessageAuthor", { user: "USER", contact: "CONTACT", ai: "AI" });

export const MessageSentiment = defineEnum("MessageSentiment", {
  positive: "POSITIVE",
  negative: "NEGATIVE",
  neutral: "NEUTRAL",
});

/** Whether a person's message is still owed the coach's reply: pending while it is being made, failed when it gave up. */
export const ReplyStatus = defineEnum("ReplyStatus", { pending: "PENDING", failed: "FAILED" });

export const InteractionType = defineEnum("InteractionType", {
  liked: "LIKED",
  disliked: "DISLIKED",
  pinned: "PINNED",
  copied_to_clipboard: "COPIED_TO_CLIPBOARD",
});

/** Lifecycle of one logged model call: PENDING before the call, one of the others after it. */
export const AiInteractionStatus = defineEnum("AiInteractionStatus", {
  pending: "PENDING",
  success: "SUCCESS",
  error: "ERROR",
  timeout: "TIMEOUT",
  cancelled: "CANCELLED",
  aborted: "ABORTED",
});

export const AiOperation = defineEnum("AiOperation", {
  reply: "REPLY",
  suggest: "SUGGEST",
  ocr: "OCR",
  embed: "EMBED",
  memory: "MEMORY",
  /** A session's title written from its first exchange. */
  title: "TITLE",
});

/** Where the request behind a model call came from. */
export const DataSource = defineEnum("DataSource", {
  web: "WEB",
  admin: "ADMIN",
  api: "API",
  system: "SYSTEM",
  seed: "SEED",
});

export const MemoryKind = defineEnum("MemoryKind", {
  fact: "FACT",
  preference: "PREFERENCE",
  event: "EVENT",
  goal: "GOAL",
});

export const ProviderKind = defineEnum("ProviderKind", {
  builtin: "BUILTIN",
  openai_compatible: "OPENAI_COMPATIBLE",
});

/** Every enum that has a database type, for the drift test and `db:verify`. */
export const DATABASE_ENUMS = [
  Role,
  SessionType,
  SessionStatus,
  MessageAuthor,
  MessageSentiment,
  ReplyStatus,
  InteractionType,
  AiInteractionStatus,
  AiOperation,
  DataSource,
  MemoryKind,
  ProviderKind,
] as const;

export const ZRoleSchema = Role.wire;
export type TRole = z.infer<typeof ZRoleSchema>;
export type TRoleDb = z.infer<typeof Role.db>;

export const ZSessionTypeSchema = SessionType.wire;
export type TSessionType = z.infer<typeof ZSessionTypeSchema>;
export type TSessionTypeDb = z.infer<typeof SessionType.db>;

export const ZSessionStatusSchema = SessionStatus.wire;
export type TSessionStatus = z.infer<typeof ZSessionStatusSchema>;
export type TSessionStatusDb = z.infer<typeof SessionStatus.db>;

export const ZMessageAuthorSchema = MessageAuthor.wire;
export type TMessageAuthor = z.infer<typeof ZMessageAuthorSchema>;
export type TMessageAuthorDb = z.infer<typeof MessageAuthor.db>;

export const ZMessageSentimentSchema = MessageSentiment.wire;
export type TMessageSentiment = z.infer<typeof ZMessageSentimentSchema>;
export type TMessageSentimentDb = z.infer<typeof MessageSentiment.db>;

export const ZReplyStatusSchema = ReplyStatus.wire;
export type TReplyStatus = z.infer<typeof ZReplyStatusSchema>;
export type TReplyStatusDb = z.infer<typeof ReplyStatus.db>;

export const ZInteractionTypeSchema = InteractionType.wire;
export type TInteractionType = z.infer<typeof ZInteractionTypeSchema>;
export type TInteractionTypeDb = z.infer<typeof InteractionType.db>;

export const ZAiInteractionStatusSchema = AiInteractionStatus.wire;
export type TAiInteractionStatus = z.infer<typeof ZAiInteractionStatusSchema>;
export type TAiInteractionStatusDb = z.infer<typeof AiInteractionStatus.db>;

export const ZAiOperationSchema = AiOperation.wire;
export type TAiOperation = z.infer<typeof ZAiOperationSchema>;
export type TAiOperationDb = z.infer<typeof AiOperation.db>;

export const ZDataSourceSchema = DataSource.wire;
export type TDataSource = z.infer<typeof ZDataSourceSchema>;
export type TDataSourceDb = z.infer<typeof DataSource.db>;

export const ZMemoryKindSchema = MemoryKind.wire;
export type TMemoryKind = z.infer<typeof ZMemoryKindSchema>;
export type TMemoryKindDb = z.infer<typeof MemoryKind.db>;

export const ZProviderKindSchema = ProviderKind.wire;
export type TProviderKind = z.infer<typeof ZProviderKindSchema>;
export type TProviderKindDb = z.infer<typeof ProviderKind.db>;
