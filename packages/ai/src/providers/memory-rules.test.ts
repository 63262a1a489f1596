// The built-in memory rules, table-driven: what a person says about themselves, and what must not become a memory.
import { describe, expect, it } from "vitest";
import { extractMemoriesByRules, type ConversationLine } from "./memory-rules.ts";

const said = (text: string) =>
  extractMemoriesByRules([{ author: "user", text }]).map(({ kind, content }) => [kind, content]);

describe("extractMemoriesByRules", () => {
  it.each([
    ["I love hiking", [["preference", "Loves hiking"]]],
    ["I really like Italian food!", [["preference", "Likes Italian food"]]],
    ["i enjoy board games and long walks", [["preference", "Enjoys board games and long walks"]]],
    ["I don't like loud bars", [["preference", "Dislikes loud bars"]]],
    ["I hate running in the rain", [["preference", "Dislikes running in the rain"]]],
    ["I'm really into climbing these days", [["preference", "Is into climbing these days"]]],
    ["I'm a huge fan of jazz", [["preference", "Is a fan of jazz"]]],
    ["My favourite film is Spirited Away", [["preference", "Favourite film: Spirited Away"]]],
    ["My name is sam", [["fact", "Name is Sam"]]],
    ["my name's Priya.", [["fact", "Name is Priya"]]],
    ["I'm a nurse", [["fact", "Is a nurse"]]],
    ["I am an architect", [["fact", "Is an architect"]]],
    ["I’m a teacher", [["fact", "Is a teacher"]]],
    ["I work as a software engineer", [["fact", "Works as a software engineer"]]],
    ["I work at the city library", [["fact", "Works at the city library"]]],
    ["I live in Leeds", [["fact", "Lives in Leeds"]]],
    ["I'm originally from Porto", [["fact", "Is from Porto"]]],
    ["I'm 29 years old", [["fact", "Is 29 years old"]]],
    [
      "I'm a nurse and I live in Leeds. I love hiking too!",
      [
        ["fact", "Is a nurse"],
        ["fact", "Lives in Leeds"],
        ["preference", "Loves hiking"],
      ],
    ],
    [
      "I love cooking but I hate washing up",
      [
        ["preference", "Loves cooking"],
        ["preference", "Dislikes washing up"],
      ],
    ],
  ])("%j", (text, expected) => {
    expect(said(text)).toEqual(expected);
  });

  it.each([
    "I love you",
    "I love that!",
    "I like your profile",
    "I'm a bit nervous",
    "I'm a little tired",
    "I don't know",
    "I don't think so",
    "I would like to meet",
    "I'd love to",
    "Call me tomorrow",
    "How are you?",
    "",
  ])("keeps nothing from %j", (text) => {
    expect(said(text)).toEqual([]);
  });

  it("only remembers what the person said, pointing at the line", () => {
    const conversation: ConversationLine[] = [
      { author: "contact", text: "I love sushi" },
      { author: "ai", text: "I am a coach" },
      { author: "user", text: "Nice! I live in Berlin" },
      { author: "user", text: "And I love sushi as well" },
    ];
    expect(extractMemoriesByRules(conversation)).toEqual([
      { kind: "fact", content: "Lives in Berlin", sourceIndex: 2 },
      { kind: "preference", content: "Loves sushi", sourceIndex: 3 },
    ]);
  });

  it("keeps the first source of a repeated memory and caps the answer", () => {
    const repeated = extractMemoriesByRules([
      { author: "user", text: "I love jazz" },
      { author: "user", text: "i LOVE jazz" },
    ]);
    expect(repeated).toEqual([{ kind: "preference", content: "Loves jazz", sourceIndex: 0 }]);
    const many = extractMemoriesByRules(
      Array.from({ length: 20 }, (_, i) => ({ author: "user" as const, text: `I love thing${i}` })),
    );
    expect(many).toHaveLength(10);
  });
});
