// Properties of the built-in lexical embeddings: unit length, determinism, and similar texts scoring higher than unrelated ones.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMBEDDING_DIMENSIONS } from "../provider.ts";
import { cosine, fnv1a, lexicalEmbedding, wordsOf } from "./lexical-embedding.ts";

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe("lexicalEmbedding", () => {
  it("always has 1536 finite dimensions and norm 1", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: "grapheme" }), (text) => {
        const v = lexicalEmbedding(text);
        expect(v).toHaveLength(EMBEDDING_DIMENSIONS);
        expect(v.every(Number.isFinite)).toBe(true);
        expect(norm(v)).toBeCloseTo(1, 9);
      }),
      { numRuns: 150 },
    );
  });

  it("gives identical inputs identical vectors", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(lexicalEmbedding(text)).toEqual(lexicalEmbedding(`${text}`));
      }),
      { numRuns: 100 },
    );
  });

  it("ignores case, accents and spacing", () => {
    expect(lexicalEmbedding("Café  au LAIT")).toEqual(lexicalEmbedding("cafe au lait"));
  });

  it.each([
    [
      "how do I ask her out on a date",
      "asking someone out on a first date",
      "the quarterly budget report is due friday",
    ],
    ["they sent a dry one word reply", "a short dry reply like haha or cool", "welcome a new colleague to the team"],
    [
      "I want to set a boundary, this message is uncomfortable",
      "someone sent an uncomfortable message, set a clear boundary",
      "suggest a weekly call with my parents",
    ],
    ["texting", "texts", "budget"],
  ])("scores %j closer to %j than to %j", (query, similar, unrelated) => {
    const q = lexicalEmbedding(query);
    expect(cosine(q, lexicalEmbedding(similar))).toBeGreaterThan(cosine(q, lexicalEmbedding(unrelated)));
  });

  it("scores a text against itself at 1", () => {
    const v = lexicalEmbedding("hello there, how are you?");
    expect(cosine(v, v)).toBeCloseTo(1, 9);
  });
});

describe("helpers", () => {
  it("hashes with FNV-1a (reference values)", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
  });

  it("splits words, keeping apostrophes inside them", () => {
    expect(wordsOf("I’m SO happy, aren't you? 😀 #1")).toEqual(["i'm", "so", "happy", "aren't", "you", "1"]);
  });
});
