// Knowledge search for a signed-in person, read as them (knowledge_chunks is a catalogue
// lockstep_app may read), and the helpers the operators' knowledge tools share with it.
import { type AiRuntime, type EmbedLogging, ProviderError, searchKnowledge } from "@lockstep/ai";
import type { TKnowledgeSearchInput } from "@lockstep/contracts";
import type { RequestMeta } from "../context.ts";
import { AppError } from "../errors.ts";
import type { UserScope } from "../scopes.ts";
import { requireAi } from "./ai-flows.ts";

/** The embedding call on whose behalf; no chat session is involved in a knowledge search. */
export function embedLogging(
  ai: AiRuntime,
  userId: string,
  meta: RequestMeta,
  dataSource: "web" | "admin",
): EmbedLogging {
  return { log: ai.log, context: { userId, sessionId: null, ip: meta.ip, dataSource, requestId: meta.requestId } };
}

/**
 * A failed embedding call as an error the client can act on: wait and retry, or try later. The
 * provider's own message stays in the interaction log and the server log.
 */
export async function withEmbeddingErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    if (error.code === "timeout")
      throw new AppError("TIMEOUT", "The embedding model did not answer in time; try again.");
    if (error.code === "rate_limited")
      throw new AppError("RATE_LIMITED", "The embedding model is busy; try again in a moment.");
    throw new AppError("UPSTREAM_UNAVAILABLE", "The embedding model is not available right now; try again later.");
  }
}

/** The query's embedding is a logged model call, on the person's behalf. */
export async function searchKnowledgeAsUser(
  scope: UserScope,
  runtime: AiRuntime | undefined,
  meta: RequestMeta,
  input: TKnowledgeSearchInput,
) {
  const ai = requireAi(runtime);
  const outcome = await withEmbeddingErrors(() =>
    searchKnowledge(scope, ai.provider, input, { logging: embedLogging(ai, scope.userId, meta, "web") }),
  );
  return { items: outcome.items };
}
