// message.*: a session's history, sends, edits of typed messages, and reactions (seed 003).
import {
  pageOf,
  ZMessageDtoSchema,
  ZMessageIdInputSchema,
  ZMessageListInputSchema,
  ZMessageReactInputSchema,
  ZMessageSendInputSchema,
  ZMessageUpdateInputSchema,
} from "@lockstep/contracts";
import { z } from "zod";
import { deleteMessage, listMessagesPage, reactToMessage, sendMessage, updateMessage } from "../services/messages.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const messageRouter = router({
  list: protectedProcedure
    .input(ZMessageListInputSchema)
    .output(pageOf(ZMessageDtoSchema))
    .query(({ ctx, input }) => listMessagesPage(ctx.userDb, input)),
  send: protectedProcedure
    .input(ZMessageSendInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(({ ctx, input }) => sendMessage(ctx.userDb, input)),
  update: protectedProcedure
    .input(ZMessageUpdateInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(({ ctx, input }) => updateMessage(ctx.userDb, input)),
  delete: protectedProcedure
    .input(ZMessageIdInputSchema)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteMessage(ctx.userDb, input.id)),
  react: protectedProcedure
    .input(ZMessageReactInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(({ ctx, input }) => reactToMessage(ctx.userDb, input)),
});
