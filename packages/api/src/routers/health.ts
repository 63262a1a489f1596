// `health`: is the database reachable, are its migrations the ones this build ships, which version.
import { ZHealthDtoSchema } from "@lockstep/contracts";
import { checkHealth } from "../services/health.ts";
import { anonymousProcedure } from "../trpc.ts";

export const healthProcedure = anonymousProcedure
  .output(ZHealthDtoSchema)
  .query(({ ctx }) => checkHealth(ctx.anonymousDb, ctx.server));
