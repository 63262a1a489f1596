// The prompt carries the character, scenario, memories, knowledge and conversation it was built from.
import { describe, expect, it } from "vitest";
import { buildPrompt, HISTORY_LIMIT, retrievalQuery } from "./prompt.ts";

const chunk = {
  chunkId: "comfort_response_001",
  text: 'Acknowledge the feeling first. "That sounds like a lot."',
  situation: "They share something hard",
  primaryIntent: "show_empathy",
  techniques: ["validation"],
  goal: "comfort",
  phase: 2,
  score: 0.9,
};

describe("buildPrompt", () => {
  it("puts the character, scenario, memories and knowledge in the system message", () => {
    const prompt = buildPrompt({
      task: "reply",
      character: { name: "Maya", systemPrompt: "You are Maya." },
      template: { title: "First date", situation: "Planning a first date." },
      memories: ["Likes hiking"],
      conversation: [
        { author: "contact", text: "Long week..." },
        { author: "user", text: "What should I say?" },
      ],
      chunks: [chunk],
    });
    const system = prompt.messages[0]?.content ?? "";
    expect(prompt.messages[0]?.role).toBe("system");
    for (const part of ["You are Maya.", "First date", "Likes hiking", "Acknowledge the feeling first"])
      expect(system).toContain(part);
    expect(prompt.messages.slice(1)).toEqual([
      { role: "user", content: "(They said:) Long week..." },
      { role: "user", content: "What should I say?" },
    ]);
    expect(prompt.promptText).toContain("What should I say?");
    expect(prompt.context.chunks).toEqual([chunk]);
  });

  it("asks for JSON suggestions over a transcript when suggesting", () => {
    const prompt = buildPrompt({
      task: "suggest",
      character: null,
      template: null,
      memories: [],
      conversation: [
        { author: "contact", text: "hey" },
        { author: "ai", text: "coach note" },
        { author: "user", text: "hi!" },
      ],
      chunks: [],
    });
    expect(prompt.messages[0]?.content).toContain('"suggestions"');
    expect(prompt.messages[1]?.content).toBe("Here is the conversation so far:\nThem: hey\nMe: hi!");
  });

  it("keeps only the most recent history", () => {
    const conversation = Array.from({ length: HISTORY_LIMIT + 10 }, (_, index) => ({
      author: "user" as const,
      text: `m${index}`,
    }));
    const prompt = buildPrompt({
      task: "reply",
      character: null,
      template: null,
      memories: [],
      conversation,
      chunks: [],
    });
    expect(prompt.messages).toHaveLength(HISTORY_LIMIT + 1);
    expect(prompt.messages[1]?.content).toBe("m10");
  });

  it("searches with the latest words people said", () => {
    expect(
      retrievalQuery([
        { author: "contact", text: "a" },
        { author: "ai", text: "ignored" },
        { author: "user", text: "b" },
      ]),
    ).toBe("a\nb");
    expect(retrievalQuery([])).toBe("starting a conversation");
  });
});
