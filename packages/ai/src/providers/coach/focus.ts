// Picks the words of a conversation the coach reads: the contact's latest burst, or the person's own when the contact has not spoken.
import { normalise } from "./text.ts";

export interface SpokenLine {
  author: "user" | "contact" | "ai";
  text: string;
}

/** Asked when the last contact line is the coach's own business: "how should I answer?" is the person asking for a draft. */
const ASKS_FOR_DRAFT =
  /\b(how (should|do|would|can) i (answer|reply|respond|say)|what (should|do|can) i (say|reply|answer|text|send|write)|what to (say|reply|answer)|help me (reply|answer|respond)|how to (reply|respond|answer)|what now|any ideas)\b/;

export function asksForDraft(text: string): boolean {
  return ASKS_FOR_DRAFT.test(normalise(text));
}

/** The latest messages of one author since the other last spoke (a burst of texts reads as one). */
function latestBurst(lines: SpokenLine[], author: "contact" | "user"): string[] {
  const burst: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as SpokenLine;
    if (line.author === author) burst.unshift(line.text);
    else if (burst.length > 0) break;
  }
  return burst;
}

export interface Focus {
  /** Whose words the reading is about: the contact's last message, or the person's own when there is none. */
  about: "contact" | "user";
  /** The line (or burst of lines) the reading is of. */
  text: string;
  /** The person asked the coach what to send ("how should I answer?"). */
  wantsDraft: boolean;
  /** The last few spoken lines, for a flat reply ("ok") that takes its meaning from what came before. */
  context: string;
}

/**
 * The contact's latest burst of messages, or, when the contact has not spoken, what the person
 * wrote to the coach; the person's requests for a draft are not part of what is read.
 */
export function focusOf(conversation: SpokenLine[]): Focus {
  const spoken = conversation.filter((line) => line.author !== "ai" && line.text.trim().length > 0);
  const lastUser = [...spoken].reverse().find((line) => line.author === "user");
  const wantsDraft = lastUser ? asksForDraft(lastUser.text) : false;
  const contactBurst = latestBurst(
    spoken.filter((line) => line.author === "contact" || !asksForDraft(line.text)),
    "contact",
  );
  const hasContact = spoken.some((line) => line.author === "contact");
  const focusLines = hasContact ? contactBurst : latestBurst(spoken, "user");
  const lastContactIndex = spoken.map((line) => line.author).lastIndexOf("contact");
  const text = (focusLines.length > 0 ? focusLines : [spoken[lastContactIndex]?.text ?? ""]).join("\n");
  const context = spoken
    .slice(Math.max(0, spoken.length - 4))
    .map((line) => line.text)
    .join("\n");
  return { about: hasContact ? "contact" : "user", text, wantsDraft, context };
}
