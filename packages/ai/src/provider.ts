// The one provider interface every model call goes through: streamed chat, structured completion
// (JSON validated by a zod schema from contracts) and embeddings. Implementations: the
// OpenAI-compatible provider and the built-in offline one.
import type { z } from "zod";

/** Embeddings are stored as vector(1536); shorter ones are zero-padded, longer ones reduced by the API. */
export const EMBEDDING_DIMENSIONS = 1536;

export type ProviderKindName = "builtin" | "openai_compatible";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A knowledge chunk retrieved for a prompt; the built-in provider composes its answers from these. */
export interface GroundingChunk {
  chunkId: string;
  text: string;
  situation: string | null;
  primaryIntent: string | null;
  techniques: string[];
  goal: string | null;
  phase: number | null;
  score: number;
}

/** What the prompt was built from, for providers that compose rather than generate (the built-in one). */
export interface PromptContext {
  characterName?: string;
  /** The latest things said, oldest first, with who said them. */
  conversation?: { author: "user" | "contact" | "ai"; text: string }[];
  chunks?: GroundingChunk[];
  memories?: string[];
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Asks for this model instead of the provider's `chatModel` (a character's own model). */
  model?: string;
  context?: PromptContext;
  temperature?: number;
  maxOutputTokens?: number;
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number | null;
  /** Of `inputTokens`, those the provider served from its prompt cache (billed at the cached-input price). */
  cachedInputTokens?: number | null;
  outputTokens: number | null;
}

export type ChatStreamEvent =
  { type: "token"; text: string } | { type: "done"; usage: Usage; finishReason: string | null };

export interface StructuredRequest<T> extends ChatRequest {
  /** What the JSON must satisfy; a reply that does not parse is an error, never passed on. */
  schema: z.ZodType<T>;
  /** A short name for the schema (OpenAI's json_schema response format wants one). */
  schemaName: string;
}

export interface StructuredResult<T> {
  value: T;
  usage: Usage;
  /** The provider's raw answer, for the interaction log. */
  raw: unknown;
}

export interface EmbeddingResult {
  /** One vector of EMBEDDING_DIMENSIONS numbers per input text. */
  vectors: number[][];
  usage: Usage;
}

export interface AiProvider {
  /** The name of this provider's row in `providers` (created on first use). */
  readonly name: string;
  readonly kind: ProviderKindName;
  readonly baseUrl: string | null;
  readonly chatModel: string;
  readonly embeddingModel: string;
  streamChat(request: ChatRequest): AsyncIterable<ChatStreamEvent>;
  completeStructured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>>;
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<EmbeddingResult>;
}

/** A failed model call, classified so callers and the log can say what went wrong. */
export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    /** Stored as ai_interactions.error_code. */
    readonly code:
      | "timeout"
      | "rate_limited"
      | "upstream_error"
      | "connection_error"
      | "circuit_open"
      | "bad_response"
      | "cancelled",
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
