// engagement.*: a person's stats with each character they met, as the database triggers keep them.
import { ZEngagementGetInputSchema, ZEngagementWithCharacterDtoSchema } from "@lockstep/contracts";
import { z } from "zod";
import { getMyEngagement, listMyEngagements } from "../services/engagements.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const engagementRouter = router({
  list: protectedProcedure
    .output(z.array(ZEngagementWithCharacterDtoSchema))
    .query(({ ctx }) => listMyEngagements(ctx.userDb)),
  get: protectedProcedure
    .input(ZEngagementGetInputSchema)
    .output(ZEngagementWithCharacterDtoSchema)
    .query(({ ctx, input }) => getMyEngagement(ctx.userDb, input.characterId)),
});
