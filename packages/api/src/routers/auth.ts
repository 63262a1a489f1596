// `auth.*`: who the request is signed in as. Signing in and out is Better Auth's, at /api/auth.
import { ZUserDtoSchema } from "@lockstep/contracts";
import { findOwnUser } from "../services/users.ts";
import { publicProcedure, router } from "../trpc.ts";

export const authRouter = router({
  /** The signed-in person, or null: anonymous callers get an answer, not an error, so clients can branch on it. */
  me: publicProcedure.output(ZUserDtoSchema.nullable()).query(({ ctx }) => {
    // Read as the person (RLS), so this public procedure cannot see more than a protected one would.
    return ctx.userDb ? findOwnUser(ctx.userDb) : null;
  }),
});
