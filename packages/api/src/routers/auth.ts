// `auth.*`: who the request is signed in as. Signing in and out is Better Auth's, at /api/auth.
import { ZUserDtoSchema } from "@lockstep/contracts";
import { findUserDto } from "@lockstep/db";
import { userScope } from "../scopes.ts";
import { publicProcedure, router } from "../trpc.ts";

export const authRouter = router({
  /** The signed-in person, or null: anonymous callers get an answer, not an error, so clients can branch on it. */
  me: publicProcedure.output(ZUserDtoSchema.nullable()).query(async ({ ctx }) => {
    if (!ctx.user) return null;
    // Read as the person (RLS), so this public procedure cannot see more than a protected one would.
    const id = ctx.user.id;
    return userScope(ctx.db, ctx.user).run((tx) => findUserDto(tx, id));
  }),
});
