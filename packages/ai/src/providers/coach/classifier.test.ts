// The coach's trained reader: it learns only from the tuning part, reads phrasings it never saw, and trains the same way every time.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_FEATURES, featuresOf, stem, trainLogistic, trainReader } from "./classifier.ts";
import { focusOf } from "./focus.ts";
import { coachReader, readFocus, readSituation, situationScores, type CoachSituation } from "./situation.ts";
import trainingSet from "./training-set.json" with { type: "json" };
import { isHeldOut, trainingSetOf } from "./training-set.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const dataset = JSON.parse(readFileSync(path.join(here, "../../../test/coach-conversations.json"), "utf8")) as {
  conversations: { id: number; part: string; conversation: { text: string }[] }[];
};

describe("the training set", () => {
  it("is the tuning part of the labelled conversations, as written by coach:training-set", () => {
    expect(trainingSet).toEqual(trainingSetOf(dataset as Parameters<typeof trainingSetOf>[0]));
  });

  it("holds no held-out conversation", () => {
    const ids = new Set(trainingSet.map((example) => example.id));
    expect(trainingSet.some((example) => isHeldOut(example.id))).toBe(false);
    for (const item of dataset.conversations) expect(ids.has(item.id)).toBe(item.part === "tune");
    expect(dataset.conversations.filter((item) => item.part === "held_out").every((item) => isHeldOut(item.id))).toBe(
      true,
    );
  });
});

/** Phrasings written for this test, in none of the labelled conversations. */
const UNSEEN: [CoachSituation, string][] = [
  ["invitation", "yo ur coming to my housewarming next sat right?? 🏠"],
  ["invitation", "fancy checking out the new ramen spot with me thurs night"],
  ["logistics", "which door do we use, the side one or the main one?"],
  ["logistics", "traffic's awful, gonna be like 20 mins late sry"],
  ["apology", "soz for being such a grump at lunch, that wasn't on you"],
  ["apology", "i owe you a big sorry for missing your leaving do"],
  ["reconnecting", "omg hiii it's been literally years, how are u doing these days??"],
  ["reconnecting", "hey it's priya from the old swim team, hope ur well!"],
  ["compliment", "ur laugh is honestly the cutest thing 🥰"],
  ["compliment", "you looked amazing in that green dress"],
  ["good_news", "I GOT IN!!! medical school here I come 😭🎉"],
  ["good_news", "we got the keys to our first flat today!!"],
  ["bad_news", "my grandpa passed away last night, i can't stop crying"],
  ["bad_news", "got made redundant this morning, no idea what to do now"],
  ["conflict", "you said you'd call and then just didn't. again."],
  ["conflict", "why do you always leave me to do all the washing up?"],
  ["rejection", "i'm sorry but i don't feel a spark between us"],
  ["rejection", "i think we're better off as friends tbh"],
  ["boundary", "please stop asking me for pics, i've said no"],
  ["boundary", "i'm not comfortable sharing where i live yet"],
  ["small_talk", "what's everyone doing for lunch today lol"],
  ["small_talk", "have u seen the new season of that baking show?"],
];

describe("the trained reader", () => {
  it("has not seen the test's phrasings", () => {
    const written = new Set(dataset.conversations.flatMap((item) => item.conversation.map((line) => line.text)));
    for (const [, text] of UNSEEN) expect(written.has(text)).toBe(false);
  });

  // A reader that generalises still misreads some wording (cross-validation puts it near 0.89):
  // all but two of these are to be read right, and every situation at least once.
  it("reads nearly all of the unseen phrasings, and every situation in at least one", () => {
    const misread = UNSEEN.map(([situation, text]) => ({
      text,
      expected: situation,
      read: readSituation([{ author: "contact", text }]).situation,
    })).filter((reading) => reading.read !== reading.expected);
    expect(misread.length, JSON.stringify(misread)).toBeLessThanOrEqual(2);
    const misreadSituations = misread.map((reading) => reading.expected);
    expect(new Set(misreadSituations).size).toBe(misreadSituations.length);
  });

  it("reads phrasings no cue rule knows, on the classifier alone", () => {
    const noCue = [
      ["good_news", "the scholarship committee picked me!!!"],
      ["bad_news", "the vet called, biscuit has a tumour"],
    ] as const;
    for (const [situation, text] of noCue) {
      expect(Math.max(...Object.values(situationScores(text)))).toBeLessThan(1);
      const focus = focusOf([{ author: "contact", text }]);
      expect(readFocus(focus, coachReader, { ...noRules }).situation).toBe(situation);
    }
  });

  it("trains to the same odds every time", () => {
    const again = trainReader(trainingSet as Parameters<typeof trainReader>[0]);
    const focus = { about: "contact" as const, text: "hey sorry i went quiet, are we still on for saturday?" };
    expect(again.read(focus)).toEqual(coachReader.read(focus));
  });

  it("marks negated words, so not getting the job is not getting it", () => {
    const features = featuresOf("I didn't get the job", "contact", DEFAULT_FEATURES);
    expect(features).toContain("not:get");
    expect(features).not.toContain("get");
    expect(featuresOf("not feeling it. the food was good", "contact", DEFAULT_FEATURES)).toEqual(
      expect.arrayContaining(["not:feel", "not:it", "food", "good"]),
    );
  });

  it("reads texting shorthand and word forms as the same words", () => {
    const words = (text: string) => featuresOf(text, "contact", { ...DEFAULT_FEATURES, pairs: false });
    expect(words("u texted me tmrw")).toEqual(words("you texts me tomorrow"));
    expect(stem("apologies")).toBe("apology");
  });
});

const noRules = { ruleWeight: 0, rulesDecideFrom: Number.POSITIVE_INFINITY, toneRuleWeight: 0, toneCuesDecide: false };

describe("logistic regression", () => {
  const samples = [
    { features: ["rain", "cold"], label: "winter" },
    { features: ["snow", "cold"], label: "winter" },
    { features: ["sun", "hot"], label: "summer" },
    { features: ["beach", "hot"], label: "summer" },
  ];

  it("separates what it was taught and gives probabilities that add up to one", () => {
    const classify = trainLogistic(samples, 0.001);
    const winter = classify(["snow", "rain"]);
    expect((winter.winter ?? 0) > (winter.summer ?? 0)).toBe(true);
    const summer = classify(["beach"]);
    expect((summer.summer ?? 0) > (summer.winter ?? 0)).toBe(true);
    expect(Math.exp(winter.winter ?? 0) + Math.exp(winter.summer ?? 0)).toBeCloseTo(1, 9);
  });

  it("says nothing about features it never saw", () => {
    expect(trainLogistic(samples, 0.001)(["fog"])).toEqual({});
  });
});
