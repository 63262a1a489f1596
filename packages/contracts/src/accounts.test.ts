import { describe, expect, it } from "vitest";
import { waitInWords } from "./accounts.ts";

describe("waitInWords", () => {
  it.each([
    [0.2, "1 second"],
    [1, "1 second"],
    [40, "40 seconds"],
    [60, "1 minute"],
    [65, "1 minute 5 seconds"],
    [299, "4 minutes 59 seconds"],
    [300, "5 minutes"],
    [301, "6 minutes"],
    [900, "15 minutes"],
  ])("%s s reads %s", (seconds, words) => {
    expect(waitInWords(seconds)).toBe(words);
  });
});
