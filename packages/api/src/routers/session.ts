// session.*: the person's chat sessions (seeds 003 and 002).
import {
  pageOf,
  ZSessionCreateInputSchema,
  ZSessionDtoSchema,
  ZSessionIdInputSchema,
  ZSessionListInputSchema,
  ZSessionRenameInputSchema,
  ZSessionSetPinnedInputSchema,
  ZSessionTransitionInputSchema,
} from "@lockstep/contracts";
import { z } from "zod";
import {
  createSession,
  deleteSession,
  getSession,
  listSessionsPage,
  purgeSessionForever,
  renameSession,
  restoreSession,
  setSessionPinned,
  transitionSession,
} from "../services/sessions.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const sessionRouter = router({
  create: protectedProcedure
    .input(ZSessionCreateInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => createSession(ctx.userDb, input)),
  list: protectedProcedure
    .input(ZSessionListInputSchema)
    .output(pageOf(ZSessionDtoSchema))
    .query(({ ctx, input }) => listSessionsPage(ctx.userDb, input)),
  get: protectedProcedure
    .input(ZSessionIdInputSchema)
    .output(ZSessionDtoSchema)
    .query(({ ctx, input }) => getSession(ctx.userDb, input.id)),
  rename: protectedProcedure
    .input(ZSessionRenameInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => renameSession(ctx.userDb, input.id, input.name)),
  setPinned: protectedProcedure
    .input(ZSessionSetPinnedInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => setSessionPinned(ctx.userDb, input.id, input.pinned)),
  transition: protectedProcedure
    .input(ZSessionTransitionInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => transitionSession(ctx.userDb, input.id, input.to)),
  delete: protectedProcedure
    .input(ZSessionIdInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => deleteSession(ctx.userDb, input.id)),
  restore: protectedProcedure
    .input(ZSessionIdInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => restoreSession(ctx.userDb, input.id)),
  purge: protectedProcedure
    .input(ZSessionIdInputSchema)
    .output(z.object({ id: z.string(), purged: z.literal(true) }))
    .mutation(({ ctx, input }) => purgeSessionForever(ctx.userDb, input.id)),
});
