// The built-in coach's reading of a conversation: situation, tone, details, and suggestions that fit, including the answers it used to get wrong.
import { describe, expect, it } from "vitest";
import { composeCoachReply, composeCoachSuggestions, readConversation } from "./compose.ts";
import { extractDetails } from "./details.ts";
import { TAGS_FOR_SITUATION } from "./moves.ts";
import { readSituation, toneOf, type CoachSituation, type SpokenLine } from "./situation.ts";

const them = (text: string): SpokenLine => ({ author: "contact", text });
const me = (text: string): SpokenLine => ({ author: "user", text });

describe("situation", () => {
  it.each<[CoachSituation, string]>([
    ["invitation", "want to grab drinks on friday? 🍻"],
    ["logistics", "what time should we meet?"],
    ["apology", "so sorry for the late reply, work has been crazy"],
    ["reconnecting", "omg long time no see! how have you been?"],
    ["compliment", "you looked really good tonight 😊"],
    ["good_news", "guess what, I got the job!!"],
    ["bad_news", "had a really rough day, I got laid off"],
    ["conflict", "you always cancel last minute and I'm fed up"],
    ["rejection", "I had fun but I'm not really feeling it, sorry"],
    ["boundary", "please don't text me this late"],
    ["small_talk", "how was your weekend?"],
  ])("reads %s in %j", (situation, text) => {
    expect(readSituation([them(text)]).situation).toBe(situation);
  });

  it("reads the contact's latest burst, not the person's request for help", () => {
    const reading = readSituation([them("want to get tacos at Rosa's on Friday?"), me("How should I answer?")]);
    expect(reading).toMatchObject({ situation: "invitation", about: "contact", wantsDraft: true });
  });

  it("reads the person's own description when the contact has not spoken", () => {
    const reading = readSituation([me("She said she loves hiking. How do I ask her out?")]);
    expect(reading).toMatchObject({ situation: "invitation", about: "user" });
  });

  it("takes a flat reply's meaning from the lines before it", () => {
    expect(readSituation([me("want to get dinner saturday?"), them("ok")]).situation).toBe("invitation");
  });

  it("does not take bad news for good news", () => {
    expect(readSituation([them("didn't get the job. I really thought I had it")]).situation).toBe("bad_news");
  });
});

describe("tone", () => {
  it.each([
    ["warm", "haha yes!! can't wait 😊"],
    ["neutral", "Would you like to get coffee Thursday?"],
    ["cold", "k. whatever."],
    ["upset", "I'm really hurt you didn't come"],
  ])("reads %s in %j", (tone, text) => {
    expect(toneOf(text)).toBe(tone);
  });

  it("reads happy tears as warm and sad ones as upset", () => {
    expect(toneOf("we're engaged!! 😭🎉")).toBe("warm");
    expect(toneOf("I failed again 😭")).toBe("upset");
  });
});

describe("details", () => {
  it("pulls the day, time, place, people and the plan from a message", () => {
    expect(extractDetails("want to grab tacos at Rosa's on Friday at 7pm? Jake is coming too")).toMatchObject({
      days: ["Friday"],
      times: ["7pm"],
      places: ["Rosa's"],
      names: ["Jake"],
      things: ["tacos"],
      question: "want to grab tacos at Rosa's on Friday at 7pm?",
    });
  });

  it("takes the object an arrangement names with an article when no listed thing is named", () => {
    expect(extractDetails("which gate do we use, the north gate?").things).toEqual(["the north gate"]);
    expect(extractDetails("can u grab my charger on ur way pls").things).toEqual(["the charger"]);
    expect(extractDetails("gonna need the spare key asap").things).toEqual(["the spare key"]);
    expect(extractDetails("want to get tacos with the team?").things).toEqual(["tacos"]);
  });

  it("spells out texting shorthand", () => {
    expect(extractDetails("can I bring snacks to the party tmrw?")).toMatchObject({
      days: ["tomorrow"],
      things: ["snacks", "the party"],
    });
    expect(extractDetails("still on for sat?").days).toEqual(["Saturday"]);
    expect(extractDetails("I sat down at the bar").days).toEqual([]);
  });

  it("finds what news is about", () => {
    expect(extractDetails("finally submitted my thesis").things).toEqual(["the thesis"]);
  });
});

describe("the answers it used to get wrong", () => {
  it("answers a friend who went quiet and asks about Saturday's drinks: no work sprint, the question answered", () => {
    const conversation = [them("hey! sorry I went quiet this week, are we still on for drinks saturday?")];
    const reading = readConversation(conversation);
    expect(reading).toMatchObject({ situation: "apology", tone: "warm" });
    expect(reading.details).toMatchObject({ days: ["Saturday"], things: ["drinks"] });
    const suggestions = composeCoachSuggestions({ conversation });
    expect(suggestions).toHaveLength(3);
    for (const suggestion of suggestions) {
      expect(TAGS_FOR_SITUATION.apology).toContain(suggestion.tag);
      expect(suggestion.text).toMatch(/saturday/i);
      expect(`${suggestion.text} ${suggestion.analysis}`).not.toMatch(/sprint|audit/i);
    }
    expect(suggestions[0]?.text).toMatch(/still on for drinks Saturday/);
    const reply = composeCoachReply({ conversation }, "Maya");
    expect(reply).toMatch(/apologising \(drinks Saturday\)/);
    expect(reply).toContain("Yes, still on for drinks Saturday!");
  });

  it("answers a chat about bringing snacks to a party with logistics, not rejection or repair", () => {
    const conversation = [
      them("party at mine tmrw from 8!"),
      me("yay! can I bring anything?"),
      them("snacks would be amazing, chips or dip?"),
    ];
    expect(readConversation(conversation).situation).toBe("logistics");
    const suggestions = composeCoachSuggestions({ conversation });
    expect(suggestions.map((s) => s.title)).not.toContain("Handle rejection");
    expect(suggestions.map((s) => s.title)).not.toContain("Repair misunderstanding");
    for (const suggestion of suggestions) expect(suggestion.tag).toBe("Commitment");
    expect(suggestions[0]?.text).toMatch(/chips and dip/i);
  });

  it("says 'the train at 9:10', never 'For at 9:10', when the plan is only a time and what it is about", () => {
    const texts = composeCoachSuggestions({
      conversation: [them("are we getting the 9:10 train or the later one")],
    }).map((s) => s.text);
    expect(texts.join(" ")).toMatch(/the train at 9:10/);
    for (const text of texts) expect(text).not.toMatch(/\b(for|that's) at\b/i);
  });

  it("names what an arrangement is about even when it is no listed plan", () => {
    const texts = composeCoachSuggestions({
      conversation: [them("can u feed the cat sunday? spare keys are under the mat")],
    });
    expect(texts[0]?.text).toMatch(/about the cat/);
    expect(extractDetails("got two tickets to the game sunday, want one?").things[0]).toBe("the game");
    expect(extractDetails("remember that exam i was stressing about? PASSED").things).toEqual(["the exam"]);
  });

  it("answers 'how should I answer?' with a draft instead of quoting the contact back", () => {
    const conversation = [them("want to grab tacos at Rosa's on Friday at 7pm?"), me("How should I answer?")];
    const reply = composeCoachReply({ conversation }, "Maya");
    expect(reply).not.toContain("want to grab tacos at Rosa's on Friday at 7pm?");
    expect(reply).not.toContain("How should I answer?");
    expect(reply).toMatch(/Here's what I'd send: "Yes, I'd love that! Tacos Friday at 7pm at Rosa's sounds perfect\."/);
  });
});

describe("suggestions", () => {
  it("respects a boundary the contact sets, and helps set one the contact pushes", () => {
    const respected = composeCoachSuggestions({ conversation: [them("please don't call me at work")] });
    expect(respected[0]?.title).toBe("Respect it, no debate");
    const pushed = composeCoachSuggestions({ conversation: [them("send me a pic 😏")] });
    expect(pushed[0]?.title).toBe("State your limit clearly");
    expect(pushed.map((s) => s.title)).not.toContain("Respect it, no debate");
  });

  it("offers ways to open the conversation before anyone has spoken", () => {
    const openers = composeCoachSuggestions({ conversation: [] });
    expect(openers.map((s) => s.title)).toEqual(["Answer and ask back", "Share a little of your day", "Add some play"]);
    for (const opener of openers) {
      expect(["Attraction", "Comfort"]).toContain(opener.tag);
      expect(opener.text.trim().length).toBeGreaterThan(0);
      expect(opener.analysis).toContain("small talk");
    }
  });
});

describe("the thing a message is about", () => {
  it("keeps the noun that says which one: 'the comedy show', not 'show'", () => {
    expect(extractDetails("fancy the comedy show friday?").things[0]).toBe("the comedy show");
    expect(extractDetails("book the escape room for sunday?").things[0]).toBe("the escape room");
    // A word that only describes ("the same party") is not part of the name.
    expect(extractDetails("is it the same party as last year?").things[0]).not.toMatch(/same/);
  });

  it("reads the thing a share is of, and things pointed at with 'these' or 'those'", () => {
    expect(extractDetails("you still haven't paid your share of the petrol").things).toEqual(["the petrol"]);
    expect(extractDetails("why would you post these pictures of me").things).toEqual(["the pictures"]);
    // The phrase stops at the comma, whatever follows it.
    expect(extractDetails("please stop reading my diary, it's private").things).toEqual(["the diary"]);
  });

  it("names the plan a refusal or a boundary is about in every suggestion", () => {
    const refusal = composeCoachSuggestions({
      conversation: [them("i'd rather not go to the gig with you on friday, i don't see this going anywhere")],
    });
    expect(refusal).toHaveLength(3);
    for (const suggestion of refusal) {
      expect(suggestion.tag).toBe("Closing");
      expect(suggestion.text).toMatch(/the gig Friday/);
    }
    const boundary = composeCoachSuggestions({ conversation: [them("please stop reading my diary, it's private")] });
    expect(boundary[0]?.text).toMatch(/the diary\./);
    // An object is not offered as something to "do" together.
    expect(boundary.map((s) => s.text).join(" ")).not.toMatch(/do the diary/);
  });
});
