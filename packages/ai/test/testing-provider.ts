// A tiny deterministic embedder for knowledge tests: hashed bag of words, L2-normalised, 1536-d; it implements only embed.
import { type AiProvider, type ChatStreamEvent, EMBEDDING_DIMENSIONS, type StructuredResult } from "../src/provider.ts";
import { fnv1a } from "../src/providers/lexical-embedding.ts";

export function hashedWordsVector(text: string): number[] {
  const vector = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    // FNV-1a, so a word lands in the same dimension on every run.
    const at = fnv1a(word) % EMBEDDING_DIMENSIONS;
    vector[at] = (vector[at] ?? 0) + 1;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

export interface HashedWordsProvider extends AiProvider {
  /** The texts of every embed call, in order, so tests can count provider calls. */
  readonly calls: string[][];
}

/** Tests only: chat is not part of what the knowledge base needs, so it throws. */
export function hashedWordsProvider(embeddingModel = "test-hashed-words"): HashedWordsProvider {
  const calls: string[][] = [];
  return {
    calls,
    name: "test-hashed-words",
    kind: "builtin",
    baseUrl: null,
    chatModel: "none",
    embeddingModel,
    streamChat(): AsyncIterable<ChatStreamEvent> {
      throw new Error("hashedWordsProvider only embeds");
    },
    completeStructured<T>(): Promise<StructuredResult<T>> {
      return Promise.reject(new Error("hashedWordsProvider only embeds"));
    },
    async embed(texts: string[]) {
      calls.push([...texts]);
      return { vectors: texts.map(hashedWordsVector), usage: { inputTokens: null, outputTokens: null } };
    },
  };
}
