// `admin.sessions.*`: operators list any user's sessions (soft-deleted ones too), read one and its messages, restore and purge; every call is audited.
import {
  ZAdminSessionIdInputSchema,
  ZAdminSessionListInputSchema,
  ZAdminSessionListPageSchema,
  ZAdminSessionMessagesInputSchema,
  ZAdminSessionMessagesPageSchema,
  ZAdminSessionPurgeResultSchema,
  ZAdminSessionSchema,
} from "@lockstep/contracts";
import {
  getSession,
  listSessionMessages,
  listSessions,
  purgeSession,
  restoreSession,
} from "../../services/admin/sessions.ts";
import { adminProcedure, router } from "../../trpc.ts";

export const adminSessionsRouter = router({
  list: adminProcedure
    .input(ZAdminSessionListInputSchema)
    .output(ZAdminSessionListPageSchema)
    .query(({ ctx, input }) => listSessions(ctx.adminDb, input)),
  get: adminProcedure
    .input(ZAdminSessionIdInputSchema)
    .output(ZAdminSessionSchema)
    .query(({ ctx, input }) => getSession(ctx.adminDb, input.id)),
  /** Read-only: oldest first, as the conversation reads. */
  messages: adminProcedure
    .input(ZAdminSessionMessagesInputSchema)
    .output(ZAdminSessionMessagesPageSchema)
    .query(({ ctx, input }) => listSessionMessages(ctx.adminDb, input)),
  restore: adminProcedure
    .input(ZAdminSessionIdInputSchema)
    .output(ZAdminSessionSchema)
    .mutation(({ ctx, input }) => restoreSession(ctx.adminDb, input.id)),
  purge: adminProcedure
    .input(ZAdminSessionIdInputSchema)
    .output(ZAdminSessionPurgeResultSchema)
    .mutation(({ ctx, input }) => purgeSession(ctx.adminDb, input.id)),
});
