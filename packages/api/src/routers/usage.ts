// `usage.*`: a person's own usage and limits.
import { ZMyUsageSchema, ZUsageRangeInputSchema } from "@lockstep/contracts";
import { myUsage } from "../services/usage.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const usageRouter = router({
  mine: protectedProcedure
    .input(ZUsageRangeInputSchema)
    .output(ZMyUsageSchema)
    .query(({ ctx, input }) => myUsage(ctx.userDb, input.days)),
});
