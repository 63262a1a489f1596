// Unit tests of the pure parts of memory extraction: which proposals are kept, and the prompt's numbering.
import { describe, expect, it } from "vitest";
import { buildMemoryPrompt, chooseNewMemories, MEMORY_CONTENT_MAX, ZExtractedMemoriesSchema } from "./extract.ts";

const conversation = [{ id: "m0" }, { id: "m1" }, { id: "m2" }];

describe("chooseNewMemories", () => {
  it("keeps new ones in order with the message they came from", () => {
    const result = chooseNewMemories(
      [
        { kind: "preference", content: "Loves hiking", sourceIndex: 1 },
        { kind: "fact", content: "Works as a nurse", sourceIndex: 2 },
      ],
      [],
      conversation,
    );
    expect(result).toEqual({
      chosen: [
        { kind: "preference", content: "Loves hiking", messageId: "m1" },
        { kind: "fact", content: "Works as a nurse", messageId: "m2" },
      ],
      duplicates: 0,
      rejected: 0,
    });
  });

  it("skips what is remembered or repeated, ignoring case and spacing", () => {
    const result = chooseNewMemories(
      [
        { kind: "preference", content: "  LOVES   hiking ", sourceIndex: 0 },
        { kind: "preference", content: "Loves tea", sourceIndex: 0 },
        { kind: "preference", content: "loves TEA", sourceIndex: 1 },
      ],
      ["Loves hiking"],
      conversation,
    );
    expect(result.chosen.map((memory) => memory.content)).toEqual(["Loves tea"]);
    expect(result.duplicates).toBe(2);
  });

  it("rejects blank and over-long ones, points nowhere for a missing line, and stops at the limit", () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ kind: "fact" as const, content: `Fact ${i}`, sourceIndex: i }));
    const result = chooseNewMemories(
      [
        { kind: "fact", content: "   ", sourceIndex: 0 },
        { kind: "fact", content: "x".repeat(MEMORY_CONTENT_MAX + 1), sourceIndex: 0 },
        ...many,
      ],
      [],
      conversation,
      5,
    );
    expect(result.rejected).toBe(2);
    expect(result.chosen.map((memory) => memory.content)).toEqual(["Fact 0", "Fact 1", "Fact 2", "Fact 3", "Fact 4"]);
    expect(result.chosen.map((memory) => memory.messageId)).toEqual(["m0", "m1", "m2", null, null]);
  });
});

describe("buildMemoryPrompt", () => {
  it("numbers the lines as the context's conversation is ordered, so sourceIndex points into both", () => {
    const prompt = buildMemoryPrompt({
      characterName: "Maya",
      conversation: [
        { id: "a", author: "USER", text: "I love hiking" },
        { id: "b", author: "CONTACT", text: "Me too!" },
      ],
      remembered: ["Works as a nurse"],
    });
    expect(prompt.context).toEqual({
      characterName: "Maya",
      conversation: [
        { author: "user", text: "I love hiking" },
        { author: "contact", text: "Me too!" },
      ],
      memories: ["Works as a nurse"],
    });
    expect(prompt.messages[1]!.content).toBe(
      "Already remembered:\n- Works as a nurse\n\nConversation:\n[0] Me: I love hiking\n[1] Them: Me too!",
    );
    expect(prompt.promptText).toContain("[system]");
  });

  it("describes the answer the schema accepts", () => {
    expect(
      ZExtractedMemoriesSchema.safeParse({ memories: [{ kind: "fact", content: "x", sourceIndex: 0 }] }).success,
    ).toBe(true);
    expect(
      ZExtractedMemoriesSchema.safeParse({ memories: [{ kind: "goal", content: "x", sourceIndex: 0 }] }).success,
    ).toBe(false);
    expect(
      ZExtractedMemoriesSchema.safeParse({ memories: [{ kind: "fact", content: "x", sourceIndex: -1 }] }).success,
    ).toBe(false);
  });
});
