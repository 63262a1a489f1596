// `health`: is the database reachable, are its migrations the ones this build ships, which version.
import { ZHealthDtoSchema } from "@lockstep/contracts";
import { checkHealth } from "../services/health.ts";
import { publicProcedure } from "../trpc.ts";

export const healthProcedure = publicProcedure
  .output(ZHealthDtoSchema)
  .query(({ ctx }) => checkHealth(ctx.anonymousDb, ctx.server));
