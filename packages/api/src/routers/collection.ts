// collection.*: a person's named bookmark collections of messages.
import {
  pageOf,
  ZCollectionCreateInputSchema,
  ZCollectionDtoSchema,
  ZCollectionIdInputSchema,
  ZCollectionMessageInputSchema,
  ZCollectionMessagesInputSchema,
  ZCollectionRenameInputSchema,
  ZMessageDtoSchema,
} from "@lockstep/contracts";
import { z } from "zod";
import {
  addMessageToCollection,
  collectionMessagesPage,
  createNamedCollection,
  deleteNamedCollection,
  listNamedCollections,
  removeMessageFromCollection,
  renameNamedCollection,
} from "../services/collections.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const collectionRouter = router({
  create: protectedProcedure
    .input(ZCollectionCreateInputSchema)
    .output(ZCollectionDtoSchema)
    .mutation(({ ctx, input }) => createNamedCollection(ctx.userDb, input.name)),
  rename: protectedProcedure
    .input(ZCollectionRenameInputSchema)
    .output(ZCollectionDtoSchema)
    .mutation(({ ctx, input }) => renameNamedCollection(ctx.userDb, input.id, input.name)),
  delete: protectedProcedure
    .input(ZCollectionIdInputSchema)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteNamedCollection(ctx.userDb, input.id)),
  list: protectedProcedure.output(z.array(ZCollectionDtoSchema)).query(({ ctx }) => listNamedCollections(ctx.userDb)),
  addMessage: protectedProcedure
    .input(ZCollectionMessageInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(({ ctx, input }) => addMessageToCollection(ctx.userDb, input.collectionId, input.messageId)),
  removeMessage: protectedProcedure
    .input(ZCollectionMessageInputSchema)
    .output(ZMessageDtoSchema)
    .mutation(({ ctx, input }) => removeMessageFromCollection(ctx.userDb, input.collectionId, input.messageId)),
  messages: protectedProcedure
    .input(ZCollectionMessagesInputSchema)
    .output(pageOf(ZMessageDtoSchema))
    .query(({ ctx, input }) => collectionMessagesPage(ctx.userDb, input)),
});
