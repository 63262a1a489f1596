// The built-in coach's answers: reads the situation and details of the latest exchange and drafts replies and suggestions grounded in the chunks for it.
import type { GroundingChunk, PromptContext } from "../../provider.ts";
import { fnv1a } from "../lexical-embedding.ts";
import { extractDetails, mergeDetails, objectOf, type Details } from "./details.ts";
import { chunkForIntent } from "./knowledge.ts";
import { MOVES, MOVES_FOR_USER, type CoachTag, type Move, type MoveInput } from "./moves.ts";
import {
  readSituation,
  type CoachSituation,
  type CoachTone,
  type SituationReading,
  type SpokenLine,
} from "./situation.ts";
import { normalise } from "./text.ts";

export interface CoachSuggestion {
  title: string;
  tag: CoachTag;
  text: string;
  analysis: string;
}

export interface CoachReading extends SituationReading {
  details: Details;
}

/** The situation, tone and details of a conversation, as the coach reads it before answering. */
export function readConversation(conversation: SpokenLine[]): CoachReading {
  const reading = readSituation(conversation);
  const spoken = conversation.filter((line) => line.author === reading.about);
  // The focus first, then the two lines before it: "Saturday?" answers a plan made a line earlier.
  // Lines already in the focus (a burst of several) are read there, not a second time on their own.
  const recent = [
    reading.focus,
    ...spoken
      .slice(-3, -1)
      .map((line) => line.text)
      .filter((text) => !reading.focus.split("\n").includes(text))
      .reverse(),
  ];
  const details = mergeDetails(recent.map(extractDetails));
  // Nothing listed or introduced by an article: what the line itself is about ("making sourdough bread") is still named.
  if (details.things.length === 0) {
    const object = objectOf(reading.focus);
    if (object) details.things.push(object);
  }
  return { ...reading, details };
}

/** What the situation sounds like, said to the person about the contact (or about their own message). */
const DESCRIPTIONS: Record<CoachSituation, { contact: string; user: string }> = {
  invitation: { contact: "They're inviting you to make plans", user: "You want to make plans" },
  logistics: { contact: "They're sorting out the practical details", user: "You're sorting out the practical details" },
  apology: { contact: "They're apologising", user: "You want to apologise" },
  reconnecting: {
    contact: "They're reaching out after a while apart",
    user: "You want to reconnect after a while apart",
  },
  compliment: {
    contact: "They're paying you a compliment, maybe flirting a little",
    user: "You want to flirt or pay a compliment",
  },
  good_news: { contact: "They're sharing good news", user: "You have good news to share" },
  bad_news: { contact: "They're going through something hard", user: "You're dealing with something hard" },
  conflict: { contact: "They're unhappy about something and telling you", user: "There's some friction to handle" },
  rejection: { contact: "They're pulling back or saying no", user: "You've been turned down, or want to say no" },
  boundary: { contact: "This is about a boundary", user: "This is about a boundary" },
  small_talk: { contact: "It's easy small talk", user: "It's easy small talk" },
};

const TONES: Record<CoachTone, string> = {
  warm: "and it reads warm, which is a good sign",
  neutral: "and the tone is neutral, so keep it easy",
  cold: "and it reads a bit cool, so keep yours short and low-pressure",
  upset: "and they sound upset, so slow down and go gently",
};

function detailPhrase(details: Details): string | null {
  const parts = [
    details.things[0],
    details.days[0],
    details.times[0] ? `at ${details.times[0]}` : null,
    details.places[0] ? `at ${details.places[0]}` : null,
    details.names[0] ? `with ${details.names[0]}` : null,
  ].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(" ") : null;
}

/** A boundary the contact sets is respected first; a boundary the contact pushes is one the person sets. */
function orderedMoves(reading: CoachReading): Move[] {
  const moves = (reading.about === "user" ? MOVES_FOR_USER[reading.situation] : undefined) ?? MOVES[reading.situation];
  if (reading.situation !== "boundary") return moves;
  const contactSetsIt =
    reading.about === "contact" &&
    /\b(please (don't|stop|do not)|not comfortable|i'd rather not|not okay with|not ok with|don't (text|call|message) me|asked you not to|i said no|keep (it|things) (slow|professional))\b/.test(
      normalise(reading.focus),
    );
  if (!contactSetsIt) return moves.filter((move) => move.intent !== "respect_boundary");
  return [
    ...moves.filter((move) => move.intent === "respect_boundary"),
    ...moves.filter((m) => m.intent !== "respect_boundary"),
  ];
}

function sentencesOf(chunkText: string): string[] {
  return chunkText
    .trim()
    .replace(/:?\s*"[^"]+"\s*$/, "")
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (/[.!?]$/.test(s) ? s : `${s}.`));
}

function humanise(value: string): string {
  return value.replace(/[_-]+/g, " ").trim().toLowerCase();
}

interface GroundedMove {
  move: Move;
  chunk: GroundingChunk | null;
  text: string;
}

function groundedMoves(reading: CoachReading, chunks: readonly GroundingChunk[]): GroundedMove[] {
  const seed = fnv1a(reading.focus);
  const input: MoveInput = {
    details: reading.details,
    tone: reading.tone,
    focus: normalise(reading.focus),
    about: reading.about,
  };
  return orderedMoves(reading).map((move) => ({
    move,
    chunk: chunkForIntent(move.intent, chunks, seed),
    text: move.draft(input).replace(/\s+/g, " ").trim(),
  }));
}

function spokenOf(context: PromptContext | undefined): SpokenLine[] {
  return (context?.conversation ?? []).filter((line) => line.text.trim().length > 0);
}

/** Up to three suggestions for the latest exchange, each a different move that fits its situation. */
export function composeCoachSuggestions(context: PromptContext | undefined): CoachSuggestion[] {
  const conversation = spokenOf(context);
  // Nothing said yet: ways to open the conversation, read as easy small talk from the person's side.
  const reading = conversation.some((line) => line.author !== "ai")
    ? readConversation(conversation)
    : { ...readConversation([]), situation: "small_talk" as const, tone: "neutral" as const, about: "user" as const };
  return groundedMoves(reading, context?.chunks ?? [])
    .slice(0, 3)
    .map(({ move, chunk, text }) => {
      const sentences = chunk ? sentencesOf(chunk.text) : [];
      const why = sentences[1] ?? sentences[0] ?? "";
      const techniques = (chunk?.techniques ?? []).map(humanise);
      const details = detailPhrase(reading.details);
      const analysis = [
        why,
        `${DESCRIPTIONS[reading.situation][reading.about]}${details ? ` (${details})` : ""}, ${TONES[reading.tone]}.`,
        techniques.length > 0 ? `Technique: ${techniques.join(", ")}.` : null,
      ]
        .filter((s): s is string => !!s)
        .join(" ");
      return { title: move.title, tag: move.tag, text, analysis };
    });
}

/** The coach's reply in the chat: its reading of the situation, the advice that fits, and drafts that name the details. */
export function composeCoachReply(context: PromptContext | undefined, name: string): string {
  const conversation = spokenOf(context);
  if (!conversation.some((line) => line.author !== "ai")) {
    return `Tell me a bit about what's going on: who is it, what did they say, and what would you like to happen next? — ${name}`;
  }
  const reading = readConversation(conversation);
  const [first, second] = groundedMoves(reading, context?.chunks ?? []);
  const details = detailPhrase(reading.details);
  const parts: string[] = [];
  const description = DESCRIPTIONS[reading.situation][reading.about];
  parts.push(`${description}${details ? ` (${details})` : ""}, ${TONES[reading.tone]}.`);
  const advice = first?.chunk ? sentencesOf(first.chunk.text)[0] : undefined;
  if (advice) parts.push(advice);
  if (first) parts.push(`${reading.wantsDraft ? "Here's what I'd send" : "You could say"}: "${first.text}"`);
  if (second)
    parts.push(`Or, to ${second.move.title.charAt(0).toLowerCase()}${second.move.title.slice(1)}: "${second.text}"`);
  parts.push("Put it in your own words so it sounds like you.");
  parts.push(`— ${name}`);
  return parts.join(" ");
}
