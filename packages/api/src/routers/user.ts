// `user.*`: a person's own account: profile changes and deleting the account with everything in it.
import {
  ZDeleteAccountInputSchema,
  ZDeleteAccountResultSchema,
  ZUpdateProfileInputSchema,
  ZUserDtoSchema,
} from "@lockstep/contracts";
import { countAccountFootprint, deleteUserAccount, findUserDto, updateUserProfile } from "@lockstep/db";
import { AppError } from "../errors.ts";
import { protectedProcedure, router } from "../trpc.ts";

// The row can only be missing if the account was deleted after this request's session was read.
const accountGone = () => new AppError("NOT_FOUND", "This account no longer exists.");

export const userRouter = router({
  updateProfile: protectedProcedure
    .input(ZUpdateProfileInputSchema)
    .output(ZUserDtoSchema)
    .mutation(async ({ ctx, input }) => {
      const updated = await ctx.userDb.run((tx) => updateUserProfile(tx, ctx.user.id, input));
      if (!updated) throw accountGone();
      return updated;
    }),

  deleteAccount: protectedProcedure
    .input(ZDeleteAccountInputSchema)
    .output(ZDeleteAccountResultSchema)
    .mutation(async ({ ctx, input }) =>
      // One transaction: the check, the counts and the delete see the same rows, and a failure
      // anywhere leaves the account whole.
      ctx.userDb.run(async (tx) => {
        const user = await findUserDto(tx, ctx.user.id);
        if (!user) throw accountGone();
        if (input.confirmEmail.toLowerCase() !== user.email.toLowerCase()) {
          throw new AppError("BAD_INPUT", "confirmEmail: does not match this account's email address.", {
            field: "confirmEmail",
          });
        }
        const counts = await countAccountFootprint(tx, user.id);
        const { deleted } = await deleteUserAccount(tx, user.id);
        if (!counts || !deleted) throw accountGone();
        return { deleted: true as const, counts };
      }),
    ),
});
