// The mail outbox on the wire: every e-mail the server sent or, without SMTP, kept for operators to read.
import { z } from "zod";
import { ZEpochMsSchema } from "./codecs.ts";
import { pageOf, ZPageInputSchema } from "./pagination.ts";

/** logged: no SMTP server configured, so the message is in the log and here; sent: SMTP took it; failed: SMTP refused it. */
export const ZMailStatusSchema = z.enum(["logged", "sent", "failed"]);
export type TMailStatus = z.infer<typeof ZMailStatusSchema>;

export const ZOutboxEntrySchema = z.object({
  id: z.string(),
  recipient: z.string(),
  subject: z.string(),
  /** The text of the message; null once it went out through SMTP (it may hold a live link). */
  body: z.string().nullable(),
  status: ZMailStatusSchema,
  error: z.string().nullable(),
  createdAt: ZEpochMsSchema,
  sentAt: ZEpochMsSchema.nullable(),
});
export type TOutboxEntry = z.infer<typeof ZOutboxEntrySchema>;

export const ZOutboxListInputSchema = ZPageInputSchema;
export type TOutboxListInput = z.infer<typeof ZOutboxListInputSchema>;

/** Newest first (created_at desc, id desc). */
export const ZOutboxListPageSchema = pageOf(ZOutboxEntrySchema);
export type TOutboxListPage = z.infer<typeof ZOutboxListPageSchema>;
