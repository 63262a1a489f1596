// memory.*: what a character remembers about the person, which they can read and remove.
import { pageOf, ZMemoryDtoSchema, ZMemoryIdInputSchema, ZMemoryListInputSchema } from "@lockstep/contracts";
import { z } from "zod";
import { forgetMemory, listMyMemories } from "../services/memories.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const memoryRouter = router({
  list: protectedProcedure
    .input(ZMemoryListInputSchema)
    .output(pageOf(ZMemoryDtoSchema))
    .query(({ ctx, input }) => listMyMemories(ctx.userDb, input)),
  delete: protectedProcedure
    .input(ZMemoryIdInputSchema)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => forgetMemory(ctx.userDb, input.id)),
});
