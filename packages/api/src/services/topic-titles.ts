// Titles a built-in coach session after its topic ("Drinks on Saturday", "Apology for going quiet"), from the
// situation and details the coach's own reader finds in the first exchange; null when it finds no topic to name.
import { readConversation, type SpokenLine } from "@lockstep/ai";

/** "Saturday night" takes "on"; "tonight", "tomorrow", "this weekend" stand on their own. */
function when(day: string | undefined): string {
  if (!day) return "";
  if (/^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)/i.test(day)) return ` on ${day}`;
  return ` ${day === "the weekend" ? "this weekend" : day}`;
}

/** A thing as a title's head: "the party" reads "Party", "drinks" "Drinks". */
function head(thing: string): string {
  const bare = thing.replace(/^the /, "");
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

const WENT_QUIET =
  /\b((went|gone|been|go|going) (quiet|silent|mia|awol|off the grid)|ghost(ed|ing)?|(didn't|did not|never) (reply|text back|answer|get back)|late reply|slow (to )?reply|took me forever)\b/;
const MISSED = /\b(missed|missing|miss)\b/;
const FORGOT = /\b(forgot|forgetting|spaced on)\b/;
const CANCELLED = /\b((can't|cannot|can not|won't|couldn't) make it|bail(ed)?|cancel(l?ed)?|flaked)\b/;
const HARSH = /\b(?:was|being|been) (?:really |so |a bit )?(rude|short|harsh|mean|snappy|cold)\b/;
const CATCHING_UP =
  /\b(long time no (see|talk|speak|chat)|(it's been|been) (ages|forever|a while|so long|too long|months|years)|haven't (talked|spoken|heard from you|seen you|caught up)|how (have|'ve) you been|remember me|is this still your number)\b/;

function apologyTopic(text: string, thing: string | undefined): string | null {
  if (WENT_QUIET.test(text)) return "Apology for going quiet";
  if (thing && MISSED.test(text)) return `Apology for missing ${thing}`;
  if (thing && FORGOT.test(text)) return `Apology for forgetting ${thing}`;
  if (thing && CANCELLED.test(text)) return `Apology for cancelling ${thing}`;
  const harsh = HARSH.exec(text)?.[1];
  if (harsh) return `Apology for being ${harsh}`;
  return thing ? `Apology about ${thing}` : null;
}

/**
 * The topic of the first exchange (the lines before the coach first answered), as a sidebar title; null
 * when the reading names nothing specific, so the caller falls back to the first words said. A situation
 * alone is not enough ("Hello again" can read as friction): a title needs a detail or a cue that says it outright.
 */
export function topicTitle(lines: SpokenLine[]): string | null {
  const said = lines.filter((line) => line.author !== "ai" && line.text.trim());
  if (said.length === 0) return null;
  const reading = readConversation(said);
  const text = reading.focus.toLowerCase().replace(/[\u2018\u2019]/g, "'");
  const { things, days, places } = reading.details;
  const thing = things[0];
  const day = days[0];
  switch (reading.situation) {
    case "invitation":
      if (thing) return `${head(thing)}${places[0] ? ` at ${places[0]}` : ""}${when(day)}`;
      return day ? `Plans for ${day.replace(/^the /, "this ")}` : null;
    case "logistics": {
      // "bring snacks to the party": the event the details are for, rather than what is brought.
      const event = things.find((named) => named.startsWith("the ")) ?? thing;
      return event ? `Details for ${event}${when(day)}` : null;
    }
    case "apology":
      return apologyTopic(text, thing);
    case "reconnecting":
      return CATCHING_UP.test(text) ? "Catching up after a while" : null;
    case "good_news":
      return thing ? `Good news about ${thing}` : null;
    case "bad_news":
      return thing ? `Bad news about ${thing}` : null;
    case "conflict":
      return thing ? `Friction over ${thing}` : null;
    case "rejection":
      return thing ? `A no to ${thing}${when(day)}` : null;
    case "boundary":
      return thing ? `A boundary about ${thing}` : null;
    case "compliment":
    case "small_talk":
      return null;
  }
}
