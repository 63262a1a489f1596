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
  // Role, disabled and deleted take effect on this process's next request, not when its session cache expires.
  setRole: adminProcedure
    .input(ZAdminSetRoleInputSchema)
    .output(ZUserDtoSchema)
    .mutation(async ({ ctx, input }) => {
      const result = await setRole(ctx.adminDb, input);
      ctx.sessions?.forgetUser(input.id);
      return result;
    }),
  setDisabled: adminProcedure
    .input(ZAdminSetDisabledInputSchema)
    .output(ZUserDtoSchema)
    .mutation(async ({ ctx, input }) => {
      const result = await setDisabled(ctx.adminDb, input);
      ctx.sessions?.forgetUser(input.id);
      return result;
    }),
  delete: adminProcedure
    .input(ZAdminUserIdInputSchema)
    .output(ZAdminUserDeleteResultSchema)
    .mutation(async ({ ctx, input }) => {
      const result = await deleteUser(ctx.adminDb, input.id);
      ctx.sessions?.forgetUser(input.id);
      return result;
    }),
});
