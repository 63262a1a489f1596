// The built-in offline provider: reads the situation of a conversation and composes replies and suggestions grounded in knowledge chunks, deterministically, with no model at all.
import { z } from "zod";
import {
  ProviderError,
  type AiProvider,
  type ChatRequest,
  type ChatStreamEvent,
  type EmbeddingResult,
  type PromptContext,
  type StructuredRequest,
  type StructuredResult,
  type Usage,
} from "../provider.ts";
import { cancelledError } from "./errors.ts";
import { composeCoachReply, composeCoachSuggestions, type CoachSuggestion } from "./coach/compose.ts";
import { lexicalEmbedding } from "./lexical-embedding.ts";
import { extractMemoriesByRules, type ConversationLine } from "./memory-rules.ts";

export const BUILTIN_PROVIDER_NAME = "builtin";
export const BUILTIN_CHAT_MODEL = "lockstep-builtin-1";
export const BUILTIN_EMBEDDING_MODEL = "lockstep-lexical-1536";

/** Approximate token counts: there is no tokenizer here, so a "token" is a whitespace-separated word. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => w.length > 0).length;
}

function inputWords(request: ChatRequest): number {
  return request.messages.reduce((sum, m) => sum + countWords(m.content), 0);
}

/** The example line every knowledge chunk ends with, in double quotes. */
export function exampleOf(chunkText: string): string | null {
  const match = /"([^"]+)"\s*$/.exec(chunkText.trim());
  return match?.[1]?.trim() || null;
}

/** snake_case vocabulary from the knowledge base, as words a person reads ("spark_curiosity" -> "Spark curiosity"). */
export function humanise(value: string | null | undefined): string | null {
  if (!value) return null;
  const words = value.replace(/[_-]+/g, " ").trim().toLowerCase();
  return words.length > 0 ? words.charAt(0).toUpperCase() + words.slice(1) : null;
}

/**
 * The reply the built-in provider streams: the coach's reading of the latest exchange (situation,
 * tone, the details named), the advice of the chunk that fits, and drafts that answer it.
 */
export function composeReply(request: ChatRequest): string {
  const name = request.context?.characterName?.trim() || "your coach";
  return composeCoachReply({ ...request.context, conversation: conversationOf(request) }, name);
}

export type BuiltinSuggestion = CoachSuggestion;

/** Up to three suggestions, each a different move that fits the situation, grounded in a chunk for that move. */
export function composeSuggestions(context: PromptContext | undefined): BuiltinSuggestion[] {
  return composeCoachSuggestions(context);
}

function conversationOf(request: ChatRequest): ConversationLine[] {
  const conversation = request.context?.conversation;
  if (conversation && conversation.length > 0) return conversation;
  return request.messages
    .filter((m) => m.role !== "system")
    .map((m) => {
      // The prompt marks what the contact said (analysis/prompt.ts); without a context that is all there is to go on.
      const contact = /^\(They said:\)\s*/.exec(m.content);
      if (m.role === "user" && contact) return { author: "contact" as const, text: m.content.slice(contact[0].length) };
      return { author: m.role === "user" ? ("user" as const) : ("ai" as const), text: m.content };
    });
}

function validate<T>(request: StructuredRequest<T>, value: unknown, emptyBecause?: string): T {
  const parsed = request.schema.safeParse(value);
  if (!parsed.success) {
    throw new ProviderError(
      "bad_response",
      emptyBecause ??
        `the built-in provider's answer for ${request.schemaName} does not match its schema:\n${z.prettifyError(parsed.error)}`,
      false,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

export function createBuiltinProvider(): AiProvider {
  async function* streamChat(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
    if (request.signal?.aborted) throw cancelledError();
    const reply = composeReply(request);
    const words = reply.match(/\S+\s*/g) ?? [];
    for (const word of words) {
      if (request.signal?.aborted) throw cancelledError();
      yield { type: "token", text: word };
    }
    const usage: Usage = { inputTokens: inputWords(request), outputTokens: words.length };
    yield { type: "done", usage, finishReason: "stop" };
  }

  async function completeStructured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    if (request.signal?.aborted) throw cancelledError();
    let answer: unknown;
    let emptyBecause: string | undefined;
    if (request.schemaName === "suggestions") {
      const suggestions = composeSuggestions({ ...request.context, conversation: conversationOf(request) });
      if (suggestions.length === 0) emptyBecause = "the built-in coach found no move to suggest for this conversation";
      answer = { suggestions };
    } else if (request.schemaName === "memories") {
      answer = { memories: extractMemoriesByRules(conversationOf(request)) };
    } else {
      // It composes, it does not generate: only the product's own schemas have rules behind them.
      throw new ProviderError("bad_response", `the built-in provider cannot answer ${request.schemaName}`, false);
    }
    const value = validate(request, answer, emptyBecause);
    const usage: Usage = { inputTokens: inputWords(request), outputTokens: countWords(JSON.stringify(answer)) };
    return { value, usage, raw: { provider: BUILTIN_PROVIDER_NAME, schemaName: request.schemaName, answer } };
  }

  async function embed(texts: string[], options?: { signal?: AbortSignal }): Promise<EmbeddingResult> {
    if (options?.signal?.aborted) throw cancelledError();
    return {
      vectors: texts.map(lexicalEmbedding),
      usage: { inputTokens: texts.reduce((sum, t) => sum + countWords(t), 0), outputTokens: null },
    };
  }

  return {
    name: BUILTIN_PROVIDER_NAME,
    kind: "builtin",
    baseUrl: null,
    chatModel: BUILTIN_CHAT_MODEL,
    embeddingModel: BUILTIN_EMBEDDING_MODEL,
    streamChat,
    completeStructured,
    embed,
  };
}
