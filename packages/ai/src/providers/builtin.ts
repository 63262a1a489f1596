// The built-in offline provider: composes replies and suggestions from retrieved knowledge chunks, deterministically, with no model at all.
import { z } from "zod";
import {
  ProviderError,
  type AiProvider,
  type ChatRequest,
  type ChatStreamEvent,
  type EmbeddingResult,
  type GroundingChunk,
  type PromptContext,
  type StructuredRequest,
  type StructuredResult,
  type Usage,
} from "../provider.ts";
import { cancelledError } from "./errors.ts";
import { fnv1a, lexicalEmbedding } from "./lexical-embedding.ts";
import { extractMemoriesByRules, type ConversationLine } from "./memory-rules.ts";
import { sentimentOf } from "./sentiment.ts";

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

/** The advice part of a chunk, without its closing example. */
function guidanceSentences(chunkText: string): string[] {
  const withoutExample = chunkText.trim().replace(/:?\s*"[^"]+"\s*$/, "");
  return withoutExample
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (/[.!?]$/.test(s) ? s : `${s}.`));
}

/** snake_case vocabulary from the knowledge base, as words a person reads ("spark_curiosity" -> "Spark curiosity"). */
export function humanise(value: string | null | undefined): string | null {
  if (!value) return null;
  const words = value.replace(/[_-]+/g, " ").trim().toLowerCase();
  return words.length > 0 ? words.charAt(0).toUpperCase() + words.slice(1) : null;
}

function lowerFirst(text: string): string {
  return text.length > 1 && !/^[A-Z]{2}/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** Best first by retrieval score; ties broken by id so the order never depends on input order. */
function rankedChunks(context: PromptContext | undefined): GroundingChunk[] {
  return [...(context?.chunks ?? [])].sort((a, b) => b.score - a.score || a.chunkId.localeCompare(b.chunkId));
}

interface Focus {
  who: "contact" | "user";
  text: string;
}

/** What to answer: the last thing the contact said, else the person's own last words. */
function focusOf(request: ChatRequest): Focus | null {
  const conversation = request.context?.conversation ?? [];
  for (let i = conversation.length - 1; i >= 0; i--) {
    const line = conversation[i];
    if (line?.author === "contact" && line.text.trim()) return { who: "contact", text: line.text.trim() };
  }
  for (let i = conversation.length - 1; i >= 0; i--) {
    const line = conversation[i];
    if (line?.author === "user" && line.text.trim()) return { who: "user", text: line.text.trim() };
  }
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message?.role === "user" && message.content.trim()) return { who: "user", text: message.content.trim() };
  }
  return null;
}

function quote(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, " ").replace(/"/g, "'");
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** Deterministic "variety": the same conversation always gets the same wording. */
function pick<T>(options: readonly T[], seed: string): T {
  return options[fnv1a(seed) % options.length] as T;
}

const OPENERS = ["Okay, let's look at this together.", "Here's how I'd read it.", "Good one to bring to me."] as const;

const READINGS = {
  positive: "That reads as warm, which is a good sign.",
  negative: "That reads a little tense, so go gently.",
  neutral: "On its own that doesn't say much either way, so keep it easy.",
} as const;

/** The reply the built-in provider streams: the chunk's advice and example line, framed in the coach's voice. */
export function composeReply(request: ChatRequest): string {
  const name = request.context?.characterName?.trim() || "your coach";
  const focus = focusOf(request);
  const chunks = rankedChunks(request.context).filter((c) => exampleOf(c.text) !== null);
  const seed = `${name}\n${focus?.text ?? ""}\n${chunks.map((c) => c.chunkId).join(",")}`;
  const parts: string[] = [pick(OPENERS, seed)];
  if (focus) {
    const quoted = quote(focus.text);
    // No second full stop after a quote that already ends a sentence.
    const end = /[.!?…]$/.test(quoted) ? "" : ".";
    parts.push(`${focus.who === "contact" ? "They" : "You"} said "${quoted}"${end}`);
    if (focus.who === "contact") parts.push(READINGS[sentimentOf(focus.text)]);
  }
  const [best, second] = chunks;
  if (!best) {
    // Honest about the limits: without grounding there is nothing real to suggest.
    parts.push(
      "I don't have anything in my knowledge base that fits this yet. Tell me a bit more: who is it, and what would you like to happen next?",
    );
  } else {
    const [advice] = guidanceSentences(best.text);
    if (advice) parts.push(advice);
    parts.push(`You could say something like: "${exampleOf(best.text)}"`);
    if (second) parts.push(`Or, if that fits better: "${exampleOf(second.text)}"`);
    parts.push("Put it in your own words so it sounds like you.");
  }
  parts.push(`— ${name}`);
  return parts.join(" ");
}

export interface BuiltinSuggestion {
  title: string;
  tag: string;
  text: string;
  analysis: string;
}

/** Up to three suggestions, one per top chunk: its example line, with the chunk's reasoning as the analysis. */
export function composeSuggestions(context: PromptContext | undefined): BuiltinSuggestion[] {
  return rankedChunks(context)
    .flatMap((chunk) => {
      const text = exampleOf(chunk.text);
      if (!text) return [];
      const sentences = guidanceSentences(chunk.text);
      // The first sentence says what to do; the next usually says why it works.
      const why = sentences[1] ?? sentences[0] ?? "";
      const techniques = chunk.techniques.map((t) => humanise(t)?.toLowerCase()).filter(Boolean);
      const analysis = [
        why,
        chunk.situation ? `It suits a moment like this: ${lowerFirst(chunk.situation.trim())}` : null,
        techniques.length > 0 ? `Technique: ${techniques.join(", ")}.` : null,
      ]
        .filter((s): s is string => !!s)
        .map((s) => (/[.!?]$/.test(s) ? s : `${s}.`))
        .join(" ");
      return [
        {
          title: humanise(chunk.primaryIntent) ?? humanise(chunk.techniques[0]) ?? "Try this",
          tag: humanise(chunk.goal) ?? humanise(chunk.techniques[0]) ?? "Suggestion",
          text,
          analysis,
        },
      ];
    })
    .slice(0, 3);
}

function conversationOf(request: ChatRequest): ConversationLine[] {
  const conversation = request.context?.conversation;
  if (conversation && conversation.length > 0) return conversation;
  return request.messages
    .filter((m) => m.role !== "system")
    .map((m) => ({ author: m.role === "user" ? "user" : "ai", text: m.content }));
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
      const suggestions = composeSuggestions(request.context);
      if (suggestions.length === 0)
        emptyBecause = "the built-in provider has no knowledge chunks with an example line to suggest from";
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
