// The provider for any OpenAI-compatible endpoint (OpenAI, Azure's v1 URL, Ollama, vLLM, LM Studio), through the official SDK.
import OpenAI from "openai";
import { z } from "zod";
import {
  EMBEDDING_DIMENSIONS,
  ProviderError,
  type AiProvider,
  type ChatRequest,
  type ChatStreamEvent,
  type EmbeddingResult,
  type StructuredRequest,
  type StructuredResult,
  type Usage,
} from "../provider.ts";
import { badResponse, cancelledError, toProviderError } from "./errors.ts";

export interface OpenAiProviderConfig {
  /** e.g. https://api.openai.com/v1, https://<resource>.openai.azure.com/openai/v1, http://localhost:11434/v1 */
  baseURL: string;
  /** Local servers (Ollama, LM Studio, vLLM) usually ignore it; a placeholder is sent when absent. */
  apiKey?: string | null;
  chatModel: string;
  embeddingModel: string;
  /** The embedding model's native size, if known; above 1536 we ask the API for 1536. */
  embeddingDimensions?: number;
  /** The `providers` row this endpoint is logged under. */
  name?: string;
  /** Inputs per embeddings request. */
  embeddingBatchSize?: number;
  /**
   * How the output limit is sent: `max_tokens` is what every compatible server understands;
   * OpenAI's reasoning models only accept `max_completion_tokens`.
   */
  maxTokensParameter?: "max_tokens" | "max_completion_tokens";
}

export const DEFAULT_OPENAI_PROVIDER_NAME = "openai-compatible";
const DEFAULT_EMBEDDING_BATCH_SIZE = 64;
/**
 * The SDK's own timeout is kept out of the way (one day, well under setTimeout's 2^31 ms limit):
 * timeouts belong to the resilience layer, which cancels through the AbortSignal.
 */
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

type SdkUsage =
  | {
      prompt_tokens?: number | null;
      completion_tokens?: number | null;
      prompt_tokens_details?: { cached_tokens?: number | null } | null;
    }
  | null
  | undefined;

function usageOf(usage: SdkUsage): Usage {
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  return {
    inputTokens: usage?.prompt_tokens ?? null,
    // Only when the endpoint says: an absent count is unknown, not zero.
    ...(typeof cached === "number" ? { cachedInputTokens: cached } : {}),
    outputTokens: usage?.completion_tokens ?? null,
  };
}

/** OpenAI wants ^[a-zA-Z0-9_-]{1,64}$ for a json_schema name. */
function schemaNameFor(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]+/g, "_").slice(0, 64);
  return cleaned.length > 0 ? cleaned : "response";
}

/**
 * The JSON Schema sent for structured output. `$schema` is dropped because it is not part of the
 * subset strict mode documents. Strict mode also wants every property required: contracts use
 * `.nullable()` rather than `.optional()` for fields a model may leave empty.
 */
function jsonSchemaFor(schema: z.ZodType): Record<string, unknown> {
  const jsonSchema = z.toJSONSchema(schema) as Record<string, unknown>;
  delete jsonSchema.$schema;
  return jsonSchema;
}

export function createOpenAiProvider(config: OpenAiProviderConfig): AiProvider {
  const batchSize = config.embeddingBatchSize ?? DEFAULT_EMBEDDING_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError("embeddingBatchSize must be a positive integer");
  const nativeDimensions = config.embeddingDimensions;
  if (nativeDimensions !== undefined && (!Number.isInteger(nativeDimensions) || nativeDimensions < 1)) {
    throw new RangeError("embeddingDimensions must be a positive integer");
  }
  const requestDimensions = nativeDimensions !== undefined && nativeDimensions > EMBEDDING_DIMENSIONS;
  const maxTokensParameter = config.maxTokensParameter ?? "max_tokens";

  const client = new OpenAI({
    baseURL: config.baseURL,
    apiKey: config.apiKey && config.apiKey.length > 0 ? config.apiKey : "not-needed",
    // Everything comes from the config: nothing is picked up from OPENAI_ORG_ID and friends behind our back.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    // Resilience lives in one layer (withResilience): SDK retries would multiply attempts and hide them.
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
    // Failures surface as ProviderErrors; the SDK's console logging would only duplicate them.
    logLevel: "off",
  });

  function sampling(request: ChatRequest): Record<string, number> {
    const params: Record<string, number> = {};
    if (request.temperature !== undefined) params.temperature = request.temperature;
    if (request.maxOutputTokens !== undefined) params[maxTokensParameter] = request.maxOutputTokens;
    return params;
  }

  async function* streamChat(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
    const { signal } = request;
    if (signal?.aborted) throw cancelledError();
    let stream;
    try {
      stream = await client.chat.completions.create(
        {
          model: request.model ?? config.chatModel,
          messages: request.messages,
          stream: true,
          stream_options: { include_usage: true },
          ...sampling(request),
        },
        { signal },
      );
    } catch (error) {
      throw toProviderError(error, signal);
    }
    let usage: Usage = { inputTokens: null, outputTokens: null };
    let finishReason: string | null = null;
    const iterator = stream[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next;
        try {
          next = await iterator.next();
        } catch (error) {
          throw toProviderError(error, signal);
        }
        if (next.done) break;
        const chunk = next.value;
        if (chunk.usage) usage = usageOf(chunk.usage);
        const choice = chunk.choices[0];
        if (!choice) continue;
        if (choice.finish_reason) finishReason = choice.finish_reason;
        // A refusal is the model's answer too: the person should see it rather than nothing.
        const text = choice.delta.content ?? choice.delta.refusal;
        if (text) yield { type: "token", text };
      }
    } finally {
      // Stops the HTTP request when the consumer leaves early.
      await iterator.return?.();
    }
    // The SDK ends an aborted stream quietly instead of throwing: do not mistake that for an answer.
    if (signal?.aborted) throw cancelledError();
    if (finishReason === null) {
      throw new ProviderError(
        "connection_error",
        "the stream ended before the model finished (no finish_reason)",
        true,
      );
    }
    yield { type: "done", usage, finishReason };
  }

  async function completeStructured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const { signal } = request;
    if (signal?.aborted) throw cancelledError();
    let completion;
    try {
      completion = await client.chat.completions.create(
        {
          model: request.model ?? config.chatModel,
          messages: request.messages,
          response_format: {
            type: "json_schema",
            json_schema: {
              name: schemaNameFor(request.schemaName),
              schema: jsonSchemaFor(request.schema),
              strict: true,
            },
          },
          ...sampling(request),
        },
        { signal },
      );
    } catch (error) {
      throw toProviderError(error, signal);
    }
    const choice = completion.choices[0];
    if (!choice) throw badResponse(`the endpoint returned no choices for ${request.schemaName}`);
    if (choice.message.refusal)
      throw badResponse(`the model refused to answer ${request.schemaName}: ${choice.message.refusal}`);
    if (choice.finish_reason === "length") {
      throw badResponse(`the answer for ${request.schemaName} was cut off at the output token limit`);
    }
    const content = choice.message.content;
    if (!content) throw badResponse(`the endpoint returned an empty answer for ${request.schemaName}`);
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      throw badResponse(`the answer for ${request.schemaName} is not valid JSON: ${(error as Error).message}`, error);
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      throw badResponse(
        `the answer for ${request.schemaName} does not match its schema:\n${z.prettifyError(parsed.error)}`,
        parsed.error,
      );
    }
    return { value: parsed.data, usage: usageOf(completion.usage), raw: completion };
  }

  async function embed(texts: string[], options?: { signal?: AbortSignal }): Promise<EmbeddingResult> {
    const signal = options?.signal;
    const vectors: number[][] = [];
    let inputTokens: number | null = 0;
    for (let start = 0; start < texts.length; start += batchSize) {
      if (signal?.aborted) throw cancelledError();
      const batch = texts.slice(start, start + batchSize);
      let response;
      try {
        response = await client.embeddings.create(
          {
            model: config.embeddingModel,
            input: batch,
            // Explicit, because the SDK otherwise asks for base64 and several compatible servers only speak floats.
            encoding_format: "float",
            ...(requestDimensions ? { dimensions: EMBEDDING_DIMENSIONS } : {}),
          },
          { signal },
        );
      } catch (error) {
        throw toProviderError(error, signal);
      }
      if (!Array.isArray(response.data) || response.data.length !== batch.length) {
        throw badResponse(
          `the endpoint returned ${String(response.data?.length)} embeddings for ${batch.length} inputs`,
        );
      }
      const ordered = [...response.data].sort((a, b) => a.index - b.index);
      for (const item of ordered) vectors.push(fitDimensions(item.embedding));
      const tokens = response.usage?.prompt_tokens;
      inputTokens = inputTokens === null || typeof tokens !== "number" ? null : inputTokens + tokens;
    }
    return { vectors, usage: { inputTokens: texts.length === 0 ? 0 : inputTokens, outputTokens: null } };
  }

  function fitDimensions(embedding: unknown): number[] {
    if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw badResponse("the endpoint returned an embedding that is not a list of finite numbers");
    }
    const length = embedding.length;
    if (length === 0) throw badResponse("the endpoint returned an empty embedding");
    if (length > EMBEDDING_DIMENSIONS) {
      throw badResponse(
        requestDimensions
          ? `asked for ${EMBEDDING_DIMENSIONS} dimensions but the endpoint returned ${length}`
          : `the embedding model returns ${length} dimensions, more than ${EMBEDDING_DIMENSIONS}: set its native size (OPENAI_EMBEDDING_DIMENSIONS=${length}) so ${EMBEDDING_DIMENSIONS} is requested`,
      );
    }
    const expected = requestDimensions ? EMBEDDING_DIMENSIONS : nativeDimensions;
    if (expected !== undefined && length !== expected) {
      throw badResponse(`expected embeddings of ${expected} dimensions, the endpoint returned ${length}`);
    }
    if (length === EMBEDDING_DIMENSIONS) return embedding as number[];
    // Zero-padding keeps cosine similarity exact: the extra zeros add nothing to the dot product or
    // to either norm, so padded vectors rank exactly as the model's own would. (Vectors are only
    // comparable with others from the same model; switching models means re-embedding.)
    const padded = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
    for (let i = 0; i < length; i++) padded[i] = embedding[i] as number;
    return padded;
  }

  return {
    name: config.name ?? DEFAULT_OPENAI_PROVIDER_NAME,
    kind: "openai_compatible",
    baseUrl: config.baseURL,
    chatModel: config.chatModel,
    embeddingModel: config.embeddingModel,
    streamChat,
    completeStructured,
    embed,
  };
}
