// `user.*`: a person's own account: profile changes and deleting the account with everything in it.
import {
  ZDeleteAccountInputSchema,
  ZDeleteAccountResultSchema,
  ZUpdateProfileInputSchema,
  ZUserDtoSchema,
} from "@lockstep/contracts";
import { deleteAccount, updateProfile } from "../services/users.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const userRouter = router({
  updateProfile: protectedProcedure
    .input(ZUpdateProfileInputSchema)
    .output(ZUserDtoSchema)
    .mutation(({ ctx, input }) => updateProfile(ctx.userDb, input)),
  deleteAccount: protectedProcedure
    .input(ZDeleteAccountInputSchema)
    .output(ZDeleteAccountResultSchema)
    .mutation(async ({ ctx, input }) => {
      const result = await deleteAccount(ctx.userDb, input);
      ctx.sessions?.forgetUser(ctx.userDb.userId);
      return result;
    }),
});
