// `admin.users.*`: operators list, inspect, promote, demote, disable and re-enable accounts; every call is audited.
import {
  ZAdminSetDisabledInputSchema,
  ZAdminSetRoleInputSchema,
  ZAdminUserDeleteResultSchema,
  ZAdminUserDetailSchema,
  ZAdminUserIdInputSchema,
  ZAdminUserListInputSchema,
  ZAdminUserListPageSchema,
  ZUserDtoSchema,
} from "@lockstep/contracts";
import { deleteUser, getUser, listUsers, setDisabled, setRole } from "../../services/admin/users.ts";
import { adminProcedure, router } from "../../trpc.ts";

export const adminUsersRouter = router({
  list: adminProcedure
    .input(ZAdminUserListInputSchema)
    .output(ZAdminUserListPageSchema)
    .query(({ ctx, input }) => listUsers(ctx.adminDb, input)),
  get: adminProcedure
    .input(ZAdminUserIdInputSchema)
    .output(ZAdminUserDetailSchema)
    .query(({ ctx, input }) => getUser(ctx.adminDb, input.id)),
  setRole: adminProcedure
    .input(ZAdminSetRoleInputSchema)
    .output(ZUserDtoSchema)
    .mutation(({ ctx, input }) => setRole(ctx.adminDb, input)),
  setDisabled: adminProcedure
    .input(ZAdminSetDisabledInputSchema)
    .output(ZUserDtoSchema)
    .mutation(({ ctx, input }) => setDisabled(ctx.adminDb, input)),
  delete: adminProcedure
    .input(ZAdminUserIdInputSchema)
    .output(ZAdminUserDeleteResultSchema)
    .mutation(({ ctx, input }) => deleteUser(ctx.adminDb, input.id)),
});
