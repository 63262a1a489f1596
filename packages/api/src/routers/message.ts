// message.*: a session's history, sends, edits of typed messages, reactions, and retries of failed replies
// (docs/architecture.md, Conversations).
import {
  pageOf,
  ZMessageDtoSchema,
  ZMessageEditInputSchema,
  ZMessageIdInputSchema,
  ZMessageListInputSchema,
  ZMessageReactInputSchema,
  ZMessageRegenerateInputSchema,
  ZMessageRetryReplyInputSchema,
  ZMessageSelectVersionInputSchema,
  ZMessageSendInputSchema,
  ZMessageStopInputSchema,
  ZMessageStopResultSchema,
  ZMessageUpdateInputSchema,
} from "@lockstep/contracts";
import { z } from "zod";
import { requireAi, startReply, startReplyRetry } from "../services/ai-flows.ts";
import {
  claimReplyRetry,
  deleteMessage,
  listMessagesPage,
  reactToMessage,
  sendMessage,
  updateMessage,
} from "../services/messages.ts";
import { editAndResend, regenerateReply, selectVersion, stopReply } from "../services/message-versions.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const messageRouter = router({
  list: protectedProcedure
    .input(ZMessageListInputSchema)
    .output(pageOf(ZMessageDtoSchema))
    .query(({ ctx, input }) => listMessagesPage(ctx.userDb, input)),
  send: protectedProcedure
    .input(ZMessageSendInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(async ({ ctx, input }) => {
      // Checked before anything is stored, so a send that asks for a reply never half-succeeds.
      const ai = input.reply ? requireAi(ctx.ai) : null;
      const { message, created } = await sendMessage(ctx.userDb, input);
      if (ai)
        await startReply(ai, ctx.userDb, ctx.requestMeta, {
          sessionId: input.sessionId,
          messageId: message.id,
          created,
        });
      return message;
    }),
  retryReply: protectedProcedure
    .input(ZMessageRetryReplyInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(async ({ ctx, input }) => {
      const ai = requireAi(ctx.ai);
      // The claim (FAILED -> PENDING) is the lock: only the retry that made it enqueues a job.
      const message = await claimReplyRetry(ctx.userDb, input.messageId);
      await startReplyRetry(ai, ctx.userDb, ctx.requestMeta, { sessionId: message.sessionId, messageId: message.id });
      return message;
    }),
  update: protectedProcedure
    .input(ZMessageUpdateInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(({ ctx, input }) => updateMessage(ctx.userDb, input)),
  delete: protectedProcedure
    .input(ZMessageIdInputSchema)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteMessage(ctx.userDb, input.id)),
  /** Stops the session's reply being written, in whichever process runs it; the partial text stays. */
  stop: protectedProcedure
    .input(ZMessageStopInputSchema)
    .output(ZMessageStopResultSchema)
    .mutation(({ ctx, input }) => stopReply(ctx.userDb, input.sessionId)),
  regenerate: protectedProcedure
    .input(ZMessageRegenerateInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(({ ctx, input }) => regenerateReply(requireAi(ctx.ai), ctx.userDb, ctx.requestMeta, input.messageId)),
  edit: protectedProcedure
    .input(ZMessageEditInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(({ ctx, input }) => editAndResend(requireAi(ctx.ai), ctx.userDb, ctx.requestMeta, input)),
  selectVersion: protectedProcedure
    .input(ZMessageSelectVersionInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(({ ctx, input }) => selectVersion(ctx.userDb, input.messageId)),
  react: protectedProcedure
    .input(ZMessageReactInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(({ ctx, input }) => reactToMessage(ctx.userDb, input)),
});
