// Inputs of the conversation controls: stop the reply being written, regenerate a coach reply, edit and
// resend a written message (both make a new version beside the old), and choose which version is on screen.
import { z } from "zod";
import { ZMessageTextSchema, ZUuidSchema } from "./conversations.ts";

export const ZMessageStopInputSchema = z.object({ sessionId: ZUuidSchema });
export type TMessageStopInput = z.infer<typeof ZMessageStopInputSchema>;

export const ZMessageStopResultSchema = z.object({
  /** Whether a reply was being written and was asked to stop (false: it had already finished). */
  stopping: z.boolean(),
});

export const ZMessageRegenerateInputSchema = z.object({ messageId: ZUuidSchema });
export type TMessageRegenerateInput = z.infer<typeof ZMessageRegenerateInputSchema>;

export const ZMessageEditInputSchema = z.object({
  messageId: ZUuidSchema,
  /** Client-made id of the new version: a retry after a lost response never makes a second one. */
  id: ZUuidSchema.optional(),
  text: ZMessageTextSchema,
});
export type TMessageEditInput = z.infer<typeof ZMessageEditInputSchema>;

export const ZMessageSelectVersionInputSchema = z.object({ messageId: ZUuidSchema });
export type TMessageSelectVersionInput = z.infer<typeof ZMessageSelectVersionInputSchema>;
