// Embedding many texts: batched provider calls, each checked (count, width, finite values) and, when a log is given, recorded as an AI interaction.
import type { CallContext, InteractionLog } from "../log/types.ts";
import { type AiProvider, EMBEDDING_DIMENSIONS, ProviderError } from "../provider.ts";

/** Texts per provider.embed call: OpenAI takes up to 2048 inputs, but smaller calls retry cheaply and keep memory flat. */
export const EMBED_BATCH_SIZE = 64;

/** Where embedding calls are logged, and on whose behalf (every model call is an AI interaction). */
export interface EmbedLogging {
  log: InteractionLog;
  context: CallContext;
}

export interface EmbedTextsOptions {
  batchSize?: number;
  logging?: EmbedLogging | undefined;
  signal?: AbortSignal | undefined;
  /** Why the texts are embedded ("knowledge_ingest", "knowledge_search", ...), for the log's metadata. */
  purpose?: string;
}

function checkVectors(vectors: unknown, expected: number): number[][] {
  if (!Array.isArray(vectors) || vectors.length !== expected) {
    throw new ProviderError(
      "bad_response",
      `the provider returned ${Array.isArray(vectors) ? vectors.length : "no"} embeddings for ${expected} texts`,
      false,
    );
  }
  for (const vector of vectors as unknown[]) {
    if (!Array.isArray(vector) || vector.length !== EMBEDDING_DIMENSIONS) {
      throw new ProviderError(
        "bad_response",
        `the provider returned an embedding of ${Array.isArray(vector) ? vector.length : "no"} dimensions, not ${EMBEDDING_DIMENSIONS}`,
        false,
      );
    }
    if (!vector.every((value) => typeof value === "number" && Number.isFinite(value))) {
      throw new ProviderError(
        "bad_response",
        "the provider returned an embedding with a value that is not a finite number",
        false,
      );
    }
  }
  return vectors as number[][];
}

/** The Euclidean length; 0 means the provider found nothing to embed, and cosine similarity to it is undefined. */
export function vectorNorm(vector: readonly number[]): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  return Math.sqrt(sum);
}

/** One vector per text, in order. Never call this inside a database transaction: it waits on the provider. */
export async function embedTexts(
  provider: AiProvider,
  texts: readonly string[],
  options: EmbedTextsOptions = {},
): Promise<number[][]> {
  const { vectors, logged } = await embedTextsLoggingBehind(provider, texts, options);
  await logged;
  return vectors;
}

/**
 * embedTexts, returning as soon as the vectors are checked: the log's terminal writes of the
 * successful calls go on in `logged`, which the caller awaits once its next step (a search) is
 * under way, so a logged embedding costs the caller one write's wait instead of two. Each call
 * still has its PENDING row before it is made; a failed call is recorded before the error is thrown.
 */
export async function embedTextsLoggingBehind(
  provider: AiProvider,
  texts: readonly string[],
  options: EmbedTextsOptions = {},
): Promise<{ vectors: number[][]; logged: Promise<void> }> {
  const size = Math.max(1, options.batchSize ?? EMBED_BATCH_SIZE);
  const batches = Math.ceil(texts.length / size);
  const vectors: number[][] = [];
  // A handle's terminal write never rejects (the log reports its own failures), so none is left unobserved.
  const finishing: Promise<void>[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const input = texts.slice(batch * size, (batch + 1) * size);
    const call = options.signal ? { signal: options.signal } : undefined;
    const logging = options.logging;
    if (!logging) {
      vectors.push(...checkVectors((await provider.embed(input, call)).vectors, input.length));
      continue;
    }
    const handle = await logging.log.begin({
      operation: "embed",
      provider: { name: provider.name, kind: provider.kind, baseUrl: provider.baseUrl },
      model: provider.embeddingModel,
      // A search embeds one query: that is the prompt. A batch of chunk texts has none worth a hash.
      promptText: input.length === 1 ? (input[0] ?? null) : null,
      request: { model: provider.embeddingModel, input },
      metadata: { purpose: options.purpose ?? "embed", batch: batch + 1, batches, texts: input.length },
      context: logging.context,
    });
    try {
      const result = await provider.embed(input, call);
      const checked = checkVectors(result.vectors, input.length);
      // The vectors themselves are 1536 floats each: the log keeps their shape, not their values.
      finishing.push(
        handle.succeed({
          response: { embeddings: checked.length, dimensions: EMBEDDING_DIMENSIONS },
          usage: result.usage,
        }),
      );
      vectors.push(...checked);
    } catch (error) {
      await Promise.all([handle.fail(error), ...finishing]);
      throw error;
    }
  }
  return { vectors, logged: Promise.all(finishing).then(() => undefined) };
}
