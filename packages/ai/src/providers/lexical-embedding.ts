// Offline, deterministic 1536-dimensional text embeddings by feature hashing: good enough for lexical retrieval without a model.
import { EMBEDDING_DIMENSIONS } from "../provider.ts";

const encoder = new TextEncoder();

/** 32-bit FNV-1a over the UTF-8 bytes: stable across runs, platforms and Node versions. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * Words that carry little meaning on their own. They still count (a question about "you" differs
 * from one about "them"), just less, so two texts do not look alike only because both say "the".
 */
const STOP_WORDS = new Set(
  (
    "a an the and or but if of to in on at by for with from as is are was were be been am it its this that these those " +
    "i me my we our you your he him his she her they them their what which who do does did so just not no than then there " +
    "here can could would should will about into out up down over very too also how when where why"
  ).split(" "),
);

/** Feature families and how much each contributes: whole words matter most, character 3-grams catch spelling variants. */
const WEIGHT = { word: 1, stopWord: 0.3, bigram: 0.7, trigram: 0.35 } as const;

export function wordsOf(text: string): string[] {
  const normalised = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'");
  return normalised.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? [];
}

function features(text: string): Map<string, number> {
  // Each feature maps to the sum of its weights over occurrences; tf is applied per feature below.
  const counts = new Map<string, { weight: number; tf: number }>();
  const add = (feature: string, weight: number) => {
    const entry = counts.get(feature);
    if (entry) entry.tf += 1;
    else counts.set(feature, { weight, tf: 1 });
  };
  const words = wordsOf(text);
  words.forEach((word, i) => {
    add(`w:${word}`, STOP_WORDS.has(word) ? WEIGHT.stopWord : WEIGHT.word);
    const next = words[i + 1];
    if (next !== undefined) add(`b:${word} ${next}`, WEIGHT.bigram);
    const padded = `<${word}>`;
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, WEIGHT.trigram);
  });
  const weighted = new Map<string, number>();
  // Sublinear tf: saying a word five times should not make a text five times about it.
  for (const [feature, { weight, tf }] of counts) weighted.set(feature, weight * (1 + Math.log(tf)));
  return weighted;
}

/**
 * Hashed unigrams, bigrams and character 3-grams with a sign hash (so collisions cancel out on
 * average instead of piling up), L2-normalised so cosine similarity is a plain dot product.
 * Text without any word still gets a fixed unit vector: a zero vector has no cosine at all.
 */
export function lexicalEmbedding(text: string): number[] {
  const vector = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  const weighted = features(text);
  if (weighted.size === 0) weighted.set("e:empty", 1);
  for (const [feature, weight] of weighted) {
    const index = fnv1a(feature) % EMBEDDING_DIMENSIONS;
    // The sign comes from an independent hash's top bit: FNV-1a's low bits are its weakest.
    const sign = fnv1a(`±${feature}`) >>> 31 === 1 ? -1 : 1;
    vector[index] = (vector[index] ?? 0) + sign * weight;
  }
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm === 0) {
    // Every feature cancelled out through collisions: astronomically unlikely, but stay a unit vector.
    vector[fnv1a(text) % EMBEDDING_DIMENSIONS] = 1;
    return vector;
  }
  return vector.map((x) => x / norm);
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
