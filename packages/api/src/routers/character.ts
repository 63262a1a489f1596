// character.*: the public catalogue of coaches and a person's history with one of them (docs/decisions/0003).
import {
  pageOf,
  ZCharacterDtoSchema,
  ZCharacterGetInputSchema,
  ZCharacterSessionsInputSchema,
  ZSessionDtoSchema,
} from "@lockstep/contracts";
import { z } from "zod";
import { characterSessionsPage, getCharacter, listCharacters } from "../services/characters.ts";
import { anonymousProcedure, protectedProcedure, router } from "../trpc.ts";

export const characterRouter = router({
  // Public: people browse the coaches before signing up. Reads run as lockstep_app with no user.
  list: anonymousProcedure.output(z.array(ZCharacterDtoSchema)).query(({ ctx }) => listCharacters(ctx.anonymousDb)),
  get: anonymousProcedure
    .input(ZCharacterGetInputSchema)
    .output(ZCharacterDtoSchema)
    .query(({ ctx, input }) => getCharacter(ctx.anonymousDb, input.slug)),
  sessions: protectedProcedure
    .input(ZCharacterSessionsInputSchema)
    .output(pageOf(ZSessionDtoSchema))
    .query(({ ctx, input }) => characterSessionsPage(ctx.userDb, input)),
});
