// `admin.mail.*`: the outbox of e-mail the server sent, or kept for operators when no SMTP server is set.
import { ZOutboxListInputSchema, ZOutboxListPageSchema } from "@lockstep/contracts";
import { listOutbox } from "../../services/admin/mail.ts";
import { adminProcedure, router } from "../../trpc.ts";

export const adminMailRouter = router({
  list: adminProcedure
    .input(ZOutboxListInputSchema)
    .output(ZOutboxListPageSchema)
    .query(({ ctx, input }) => listOutbox(ctx.adminDb, input)),
});
