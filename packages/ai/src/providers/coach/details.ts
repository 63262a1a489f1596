// The concrete details of a message a fitting answer names: day, time, place, people, the thing planned, and the question asked.
import nlp from "compromise";
import { capitalise, normalise } from "./text.ts";

export interface Details {
  /** "Saturday", "tonight", "tomorrow", "the weekend": when. */
  days: string[];
  /** "7pm", "6:30", "noon". */
  times: string[];
  /** "Rosa's", "Central Park", "the beach". */
  places: string[];
  /** People named, other than the two talking. */
  names: string[];
  /** What the plan or the question is about: "drinks", "snacks", "the party". */
  things: string[];
  /** The question the message asks, as written, when it asks one. */
  question: string | null;
}

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** Relative days, longest first so "tomorrow night" wins over "tomorrow". */
const RELATIVE_DAYS: readonly [RegExp, string][] = [
  [/\btomorrow (night|morning|evening|afternoon)\b/, "tomorrow $1"],
  [/\bthis (weekend)\b/, "this weekend"],
  [/\bnext (week|weekend)\b/, "next $1"],
  [/\b(tonight)\b/, "tonight"],
  [/\b(tomorrow)\b/, "tomorrow"],
  [/\b(today)\b/, "today"],
  [/\b(weekend)\b/, "the weekend"],
];

/** Things people plan, bring or ask about, in the words a reply would repeat. */
const THINGS = [
  "board games",
  "quiz night",
  "trivia night",
  "game night",
  "movie night",
  "birthday party",
  "housewarming",
  "drinks",
  "a drink",
  "coffee",
  "dinner",
  "lunch",
  "brunch",
  "breakfast",
  "tacos",
  "pizza",
  "sushi",
  "ramen",
  "burgers",
  "ice cream",
  "a movie",
  "the movie",
  "movies",
  "the concert",
  "a concert",
  "concert",
  "the gig",
  "gig",
  "the show",
  "the party",
  "party",
  "bbq",
  "barbecue",
  "picnic",
  "hike",
  "a walk",
  "a run",
  "snacks",
  "chips",
  "dessert",
  "cake",
  "wine",
  "beer",
  "tickets",
  "karaoke",
  "trivia",
  "the museum",
  "climbing",
  "yoga",
  "the game",
  "the match",
  "the wedding",
  "the trip",
  "the interview",
  "the exam",
  "the job",
  "the presentation",
  "gift",
  "present",
  "playlist",
  "the bill",
  "show",
  "series",
  "podcast",
  "recipe",
  "the band",
  "bowling",
  "check in",
  "checkout",
  "jeans",
  "a coat",
  "hiking boots",
  "pasta",
  "employee of the month",
];

/**
 * Plans, errands and news people text about, written bare because the message often drops the
 * article ("beach day tomorrow", "offer accepted"); a reply names them with "the".
 */
const THINGS_WITH_ARTICLE = [
  "book club",
  "beach",
  "lake",
  "zoo",
  "market",
  "film",
  "exhibition",
  "workshop",
  "ski trip",
  "game",
  "table",
  "booking",
  "car park",
  "parking",
  "money",
  "floor",
  "balloons",
  "costume",
  "gifts",
  "bus",
  "ferry",
  "lift",
  "map",
  "directions",
  "address",
  "dress code",
  "flat number",
  "room",
  "hotel",
  "venue",
  "rsvp",
  "spare keys",
  "keys",
  "sleeping bags",
  "bags",
  "plates",
  "chairs",
  "babysitter",
  "photo",
  "report",
  "half marathon",
  "driving test",
  "results",
  "contract",
  "transfer",
  "visa",
  "citizenship",
  "hearing",
  "operation",
  "offer",
];

/** Everyday places that are not proper names. */
const COMMON_PLACES = [
  "my place",
  "your place",
  "his place",
  "her place",
  "their place",
  "the park",
  "the beach",
  "the bar",
  "the pub",
  "the cafe",
  "the café",
  "the gym",
  "the office",
  "the station",
  "the restaurant",
  "the cinema",
  "the club",
  "downtown",
  "the entrance",
  "the main entrance",
  "the fountain",
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const THING_PATTERN = new RegExp(`\\b(${THINGS.map(escape).join("|")})\\b`, "g");
const THING_WITH_ARTICLE_PATTERN = new RegExp(
  `\\b(?:the |my |your |our |ur )?(${THINGS_WITH_ARTICLE.map(escape).join("|")})\\b`,
  "g",
);
const COMMON_PLACE_PATTERN = new RegExp(`\\b(${COMMON_PLACES.map(escape).join("|")})\\b`, "g");
/** "at Rosa's", "to Central Park": one to three capitalised words after a place preposition, in the original text. */
const PROPER_PLACE_PATTERN = /\b(?:at|to|in|near|outside)\s+((?:the\s+)?[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,2})/g;
const TIME_PATTERN = /\b(\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2}|noon|midnight)\b/g;
const DURATION_PATTERN = /\b(\d{1,2}|five|ten|fifteen|twenty) ?(mins?|minutes)\b/g;
/** "passed the exam", "missed your party", "submitted my thesis": the thing good or bad news is about. */
const NEWS_OBJECT_PATTERN =
  /\b(?:got|passed|finished|submitted|won|lost|failed|missed|get|into|for|about|at) (?:the|my|your|our|his|her) ([a-z]+(?: [a-z]+)?)\b/g;
const NEWS_NOUNS = new Set(
  "job offer exam apartment flat marathon scholarship thesis part party interview promotion league test degree wedding funeral gig game show concert role place house trip book presentation driving test birthday dinner race match final audition".split(
    " ",
  ),
);
const AROUND_TIME_PATTERN = /\b(?:at|around|by|from|after)\s+(\d{1,2})(?![\d:])\b/g;

/** Words compromise sometimes takes for a name that are not one in a text message. */
const NOT_NAMES = new Set(["i", "lol", "omg", "haha", "hey", "hi", "ok", "okay", "yes", "no", "god", "babe", "dude"]);

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (!value || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function stripPunctuation(text: string): string {
  return text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}'’]+$/gu, "").replace(/['’]s$/u, (s) => s);
}

/** The last sentence of the text that asks something, as written. */
export function questionOf(text: string): string | null {
  const sentences = text
    .split(/(?<=[.!?…])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = sentences.length - 1; i >= 0; i--) {
    const sentence = sentences[i] as string;
    if (sentence.includes("?")) return sentence;
  }
  return null;
}

/**
 * Parsing with compromise is most of a reply's time, and the same line is parsed by several readers
 * (the details, the object a move names, the noun a message opens with) for the reply and again for
 * the suggestions: one parse per text, kept for the last few hundred. Its documents are only read, never changed.
 */
const parses = new Map<string, ReturnType<typeof nlp>>();
const PARSES_MAX = 64;

function parse(text: string): ReturnType<typeof nlp> {
  const known = parses.get(text);
  if (known) return known;
  const doc = nlp(text);
  if (parses.size >= PARSES_MAX) parses.delete(parses.keys().next().value as string);
  parses.set(text, doc);
  return doc;
}

/** The same lines are read for the reply and again for the suggestions: remember the last few hundred readings. */
const remembered = new Map<string, Details>();
const REMEMBERED_MAX = 500;

export function extractDetails(text: string): Details {
  const known = remembered.get(text);
  if (known) return known;
  const details = readDetails(text);
  if (remembered.size >= REMEMBERED_MAX) remembered.delete(remembered.keys().next().value as string);
  remembered.set(text, details);
  return details;
}

function readDetails(text: string): Details {
  const plain = normalise(text);
  const days: string[] = [];
  for (const day of WEEKDAYS) {
    const match = new RegExp(`\\b${day}( night| morning| evening| afternoon)?\\b`).exec(plain);
    if (match) days.push(capitalise(match[0]));
  }
  if (days.length === 0) {
    for (const [pattern, display] of RELATIVE_DAYS) {
      const match = pattern.exec(plain);
      if (match) {
        days.push(match[0].replace(pattern, display));
        break;
      }
    }
  }

  const times = [...plain.matchAll(TIME_PATTERN)].map((m) => (m[1] as string).replace(/\s+/g, ""));
  if (times.length === 0) times.push(...[...plain.matchAll(AROUND_TIME_PATTERN)].map((m) => m[1] as string));
  times.push(...[...plain.matchAll(DURATION_PATTERN)].map((m) => m[0]));
  // "what time. 8?": a bare hour answering a question about time.
  const bareHour = /\btime\b\W+(?:\w+\W+)?(\d{1,2})\b(?!:)/.exec(plain);
  if (times.length === 0 && bareHour?.[1]) times.push(bareHour[1]);

  // Names and places are read from the words as written, capitals and all; a message written all in
  // lower case has none to lose, and its spelled-out form is the one parsed for its objects anyway.
  const doc = /\p{Lu}/u.test(text) ? parse(text) : parse(plain);
  const weekdayish = (value: string) => WEEKDAYS.some((day) => value.toLowerCase().startsWith(day));
  const properPlaces = [...text.matchAll(PROPER_PLACE_PATTERN)]
    .map((m) => stripPunctuation(m[1] as string))
    .filter((place) => !weekdayish(place) && !/^(I|The)$/i.test(place));
  const places = unique([
    ...properPlaces,
    ...(doc.places().out("array") as string[]).map(stripPunctuation).filter((place) => !weekdayish(place)),
    ...[...plain.matchAll(COMMON_PLACE_PATTERN)].map((m) => m[1] as string),
  ]);

  const placeWords = new Set(places.map((place) => place.toLowerCase()));
  const names = unique(
    (doc.people().out("array") as string[])
      .map(stripPunctuation)
      .filter(
        (name) =>
          name.length > 1 &&
          /^\p{Lu}/u.test(name) &&
          !NOT_NAMES.has(name.toLowerCase()) &&
          !placeWords.has(name.toLowerCase()) &&
          !weekdayish(name),
      ),
  );

  const newsObjects = [...plain.matchAll(NEWS_OBJECT_PATTERN)]
    .map((m) => m[1] as string)
    // "my first race": the noun may be the phrase's first word or its last.
    .map((phrase) =>
      [phrase, phrase.split(" ").at(-1), phrase.split(" ")[0]].find((word) => !!word && NEWS_NOUNS.has(word)),
    )
    .filter((noun): noun is string => !!noun && NEWS_NOUNS.has(noun))
    .map((noun) => `the ${noun}`);
  // Listed things in the order the message names them, then what good or bad news is about.
  const found = [
    ...[...plain.matchAll(THING_PATTERN)].map((m) => ({ at: m.index, thing: m[1] as string })),
    ...[...plain.matchAll(THING_WITH_ARTICLE_PATTERN)].map((m) => ({ at: m.index, thing: `the ${m[1] as string}` })),
  ].sort((a, b) => a.at - b.at);
  // "tickets to the game": the event is what the plan is about, the tickets only the way in.
  const event = /\btickets? (?:to|for) (?:the |a |an )?([a-z]+(?: [a-z]+)?)/.exec(plain)?.[1];
  const eventHead = event
    ?.split(" ")
    .filter((word) => !WEEKDAYS.includes(word) && !FILLERS.has(word))
    .slice(0, 1)[0];
  if (eventHead && !NOT_OBJECTS.has(eventHead) && !GENERAL_NOUNS.has(eventHead))
    found.unshift({ at: -1, thing: `the ${eventHead}` });
  const listed = unique(found.map((f) => compounded(f.thing, plain, placeWords)).concat(newsObjects)).filter(
    (thing, _, all) => !all.some((other) => other !== thing && other.includes(thing)),
  );
  const question = questionOf(text);
  const things = listed.length > 0 ? listed : namedObjects(plain, placeWords);
  if (things.length === 0) things.push(...leadingNoun(plain, placeWords));

  return { days: unique(days), times: unique(times), places, names, things, question };
}

/** Words that are never the thing a message is about, whatever compromise tags them. */
const PRONOUNS = new Set("you your yours me mine him her them they it its this that these those some any".split(" "));

/** Modifiers that do not narrow what a thing is: "the same party", "the whole trip". */
const NOT_MODIFIERS = new Set(
  "the a an my your our ur his her their this that these those some any same whole other next last first new old big little good".split(
    " ",
  ),
);

/**
 * A listed word with the noun in front of it that says which one it is: "escape room", "comedy
 * show", "spare room" are not just "the room" or "the show". Read from the message's own noun
 * phrases, so it holds for any compound the message uses, not a list of them.
 */
function compounded(thing: string, plain: string, placeWords: Set<string>): string {
  const bare = thing.replace(/^(the|a|an) /, "");
  if (bare.includes(" ")) return thing;
  const escaped = escape(bare);
  const before = new RegExp(`\\b([a-z]{3,}) ${escaped}\\b`).exec(plain)?.[1];
  if (!before || NOT_MODIFIERS.has(before) || WEEKDAYS.includes(before) || FILLERS.has(before)) return thing;
  if (placeWords.has(before) || NOT_OBJECTS.has(before) || GENERAL_NOUNS.has(before) || PRONOUNS.has(before))
    return thing;
  const phrases = parse(plain).match(`#Adjective? #Noun+`).out("array") as string[];
  const compound = `${before} ${bare}`;
  if (!phrases.some((phrase) => ` ${stripPunctuation(phrase)} `.includes(` ${compound} `))) return thing;
  return thing.startsWith("the ") || !MASS.has(bare) ? `the ${compound}` : compound;
}

/** Listed things said without an article, which keep none when a modifier joins them ("red wine"). */
const MASS = new Set(
  "drinks coffee dinner lunch brunch breakfast tacos pizza sushi ramen burgers snacks chips dessert cake wine beer tickets karaoke trivia climbing yoga".split(
    " ",
  ),
);

/** Nouns that are not a plan's object: people, times, and words that stand for the whole plan. */
const NOT_OBJECTS = new Set(
  "way time day week night morning plan plans thing things stuff guys mum mom dad family friend friends life side one bit lot".split(
    " ",
  ),
);
/** Words compromise tags as nouns in a text message that only pad it: "see the penguins asap". */
const FILLERS = new Set("asap again now pls please lol tho btw rn tbh ngl".split(" "));

/**
 * Messages about arrangements name their object with an article ("where's the car park?", "can you
 * resend the link") more often than with any listed word: when no listed thing is found, the first
 * such phrase compromise tags as a noun (up to two words, texting fillers cut off) is the thing, said with "the".
 */
function namedObjects(plain: string, placeWords: Set<string>): string[] {
  // "remember that exam?", "my cousin's wedding": a demonstrative or someone's possessive introduces the thing too.
  const phrases = parse(plain)
    .match("(the|my|your|our|ur|that|this|these|those|#Possessive) #Adjective? #Noun+")
    .out("array") as string[];
  for (const phrase of phrases) {
    // "that exam i was stressing about": a stray pronoun tagged as a noun ends the phrase.
    // "my diary, it's private": the phrase ends at the first comma or stop, whatever compromise joined across it.
    const padded = stripPunctuation(phrase.split(/[,.;:!?]/)[0] ?? "")
      .split(/\s+/)
      .slice(1)
      .filter((word) => word.length > 1);
    const fillerAt = padded.findIndex((word) => FILLERS.has(word) || WEEKDAYS.includes(word));
    const words = (fillerAt < 0 ? padded : padded.slice(0, fillerAt)).slice(-2);
    const object = words.join(" ");
    const head = words.at(-1) ?? "";
    // "your half of the rent": a share of something is about the something.
    if (PARTITIVES.has(head)) continue;
    if (object && !NOT_OBJECTS.has(head) && !placeWords.has(`the ${object}`) && !placeWords.has(object))
      return [`the ${object}`];
  }
  return [];
}

/** Nouns that name a share of something else ("half of the rent", "the rest of the cake"): the something is the thing. */
const PARTITIVES = new Set("half rest part share end bit most some piece side".split(" "));

/** Nouns too general to be what news is about. */
const GENERAL_NOUNS = new Set(
  "work everything something nothing anything everyone someone anyone nobody today tonight people lot there here".split(
    " ",
  ),
);

/**
 * News often opens with what it is about and no article ("surgery went well!!", "scan was all
 * clear"): when nothing else names a thing, a noun that starts the message is the thing, said with "the".
 */
function leadingNoun(plain: string, placeWords: Set<string>): string[] {
  const first = parse(plain).match("^#Adjective? #Noun").out("array") as string[];
  const words = stripPunctuation(first[0] ?? "").split(/\s+/);
  const head = words.at(-1) ?? "";
  if (!head || words.length > 2 || NOT_OBJECTS.has(head) || FILLERS.has(head) || NOT_NAMES.has(head)) return [];
  if (
    /^(i|you|we|he|she|they|it|this|that|guess|omg|hey|hi|ok|so|just|woah|whoa|wow|yay|yeah|nah|ugh|aww|oops|hmm)$/.test(
      words[0] ?? "",
    )
  )
    return [];
  if (WEEKDAYS.includes(head) || placeWords.has(head) || GENERAL_NOUNS.has(head)) return [];
  if (!words.every((word) => /^[a-z]{3,}$/.test(word)) || /(.)\1$/.test(head)) return [];
  if (parse(head).has("(#Pronoun|#Person|#FirstName|#Possessive|#Determiner|#Expression|#Interjection)")) return [];
  // "running late", "feeling rough": a verb form, not a thing.
  if (/ing$/.test(head) && !/^(wedding|meeting|booking|building|painting|ring)$/.test(head)) return [];
  return [`the ${words.join(" ")}`];
}

/** Details of several messages together, the latest message's first. */
export function mergeDetails(newestFirst: Details[]): Details {
  const merged: Details = { days: [], times: [], places: [], names: [], things: [], question: null };
  for (const details of newestFirst) {
    merged.days.push(...details.days);
    merged.times.push(...details.times);
    merged.places.push(...details.places);
    merged.names.push(...details.names);
    merged.things.push(...details.things);
    merged.question ??= details.question;
  }
  return {
    days: unique(merged.days),
    times: unique(merged.times),
    places: unique(merged.places),
    names: unique(merged.names),
    things: unique(merged.things),
    question: merged.question,
  };
}

/**
 * What a line is about when it names no listed thing: the noun after an article or "whose/which"
 * ("feed the dog", "the 9:10 train", "whose car"), else a verb's bare object ("order food"), else the
 * noun it opens with ("ferry leaves at 7:30"). Said with "the"; null when none reads as a thing.
 */
export function objectOf(line: string): string | null {
  // Each move of a reply asks for the same line's object: read it once.
  const known = objects.get(line);
  if (known !== undefined) return known;
  const object = readObject(line);
  if (objects.size >= PARSES_MAX) objects.delete(objects.keys().next().value as string);
  objects.set(line, object);
  return object;
}

const objects = new Map<string, string | null>();

function readObject(line: string): string | null {
  const plain = normalise(line);
  const usable = (words: string[]) => {
    const kept = words.filter((word) => /^[a-z]{3,}$/.test(word));
    const fillerAt = kept.findIndex((word) => FILLERS.has(word) || WEEKDAYS.includes(word));
    const cut = (fillerAt < 0 ? kept : kept.slice(0, fillerAt)).slice(-2);
    const head = cut.at(-1) ?? "";
    if (!head || NOT_OBJECTS.has(head) || GENERAL_NOUNS.has(head) || NOT_NAMES.has(head)) return null;
    return `the ${cut.join(" ")}`;
  };
  const doc = parse(plain);
  for (const phrase of doc
    .match("(the|my|your|our|ur|whose|which) (#Value|#Time)? #Adjective? #Noun+")
    .out("array") as string[])
    if (!/\b(one|ones)$/.test(stripPunctuation(phrase))) {
      const object = usable(stripPunctuation(phrase).split(/\s+/).slice(1));
      if (object) return object;
    }
  for (const phrase of doc.match("#Verb [#Noun]", 0).out("array") as string[]) {
    const object = usable(stripPunctuation(phrase).split(/\s+/));
    if (object && !parse(phrase).has("(#Pronoun|#Person|#Date|#Value)")) return object;
  }
  return leadingNoun(plain, new Set())[0] ?? null;
}
