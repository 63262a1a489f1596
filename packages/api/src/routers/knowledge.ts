// `knowledge.search`: retrieval from the knowledge base for a signed-in person, read as them; the query's embedding is a logged model call.
import { ZKnowledgeSearchInputSchema, ZKnowledgeSearchResultSchema } from "@lockstep/contracts";
import { searchKnowledgeAsUser } from "../services/knowledge.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const knowledgeRouter = router({
  search: protectedProcedure
    .input(ZKnowledgeSearchInputSchema)
    .output(ZKnowledgeSearchResultSchema)
    .query(({ ctx, input }) => searchKnowledgeAsUser(ctx.userDb, ctx.ai, ctx.requestMeta, input)),
});
