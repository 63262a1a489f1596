// sentimentOf on everyday chat lines, including negation, emojis and the neutral dead zone.
import { describe, expect, it } from "vitest";
import { sentimentOf } from "./sentiment.ts";

describe("sentimentOf", () => {
  it.each([
    ["I had a great time tonight, thank you!", "positive"],
    ["That sounds amazing 😍", "positive"],
    ["haha yes, love that idea", "positive"],
    ["This is terrible and I hate it", "negative"],
    ["I am not happy about this", "negative"],
    ["I'm so sad :(", "negative"],
    ["Please stop, this is awful", "negative"],
    ["Sure, see you at 8", "neutral"],
    ["ok", "neutral"],
    ["", "neutral"],
    ["   ", "neutral"],
    // Mixed feelings cancel out: the dead zone keeps them neutral.
    ["I love it but it is terrible", "neutral"],
    ["I am a little worried but excited", "neutral"],
  ] as const)("%j is %s", (text, expected) => {
    expect(sentimentOf(text)).toBe(expected);
  });

  it("handles negation", () => {
    expect(sentimentOf("good")).toBe("positive");
    expect(sentimentOf("not good")).toBe("negative");
  });
});
