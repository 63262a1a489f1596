// The verification editor's state: the lines read from a screenshot as the person corrects them
// (text, author, removal, order), and the confirmed lines it hands to session.confirmOcr.
import { OCR_LINES_MAX, type TConfirmedOcrLine, type TOcrFlag, type TOcrLine } from "@lockstep/contracts";

export type EditableAuthor = TConfirmedOcrLine["author"];

export interface EditableLine {
  /** Stable key for React and for focus after a move; the OCR id when there is one. */
  key: string;
  id: string | undefined;
  text: string;
  author: EditableAuthor;
  confidence: number | undefined;
  authorConfidence: number | undefined;
  /** Why the reader wants a second look (no legible text, unsure, a vision model disagrees). */
  flags: readonly TOcrFlag[];
  /** A vision model's reading of the same bubble, where it differs. */
  alternative: TOcrLine["alternative"];
  /** Where the bubble is on the image, to show it when the line is picked. */
  box: TOcrLine["box"];
}

export type LineAction =
  | { type: "edit"; key: string; text: string }
  | { type: "author"; key: string; author: EditableAuthor }
  | { type: "remove"; key: string }
  | { type: "move"; key: string; by: -1 | 1 }
  | { type: "add"; key: string; author: EditableAuthor }
  /** Cuts a line in two at `at` (a character offset); the second half gets `newKey`. */
  | { type: "split"; key: string; at: number; newKey: string }
  /** Joins a line with the one after it. */
  | { type: "merge"; key: string }
  | { type: "removeFlagged" }
  | { type: "reset"; lines: EditableLine[] };

export function toEditable(lines: readonly TOcrLine[]): EditableLine[] {
  return lines.map((line) => ({
    key: line.id,
    id: line.id,
    text: line.text,
    // Only people write what the person confirms; a bubble read as the coach's is the contact's.
    author: line.author === "user" ? "user" : "contact",
    confidence: line.confidence,
    authorConfidence: line.authorConfidence,
    flags: line.flags ?? [],
    alternative: line.alternative,
    box: line.box,
  }));
}

export function linesReducer(lines: EditableLine[], action: LineAction): EditableLine[] {
  switch (action.type) {
    case "edit":
      return lines.map((line) => (line.key === action.key ? { ...line, text: action.text } : line));
    case "author":
      return lines.map((line) => (line.key === action.key ? { ...line, author: action.author } : line));
    case "remove":
      return lines.filter((line) => line.key !== action.key);
    case "move": {
      const from = lines.findIndex((line) => line.key === action.key);
      const to = from + action.by;
      if (from === -1 || to < 0 || to >= lines.length) return lines;
      const next = lines.slice();
      [next[from], next[to]] = [next[to]!, next[from]!];
      return next;
    }
    case "add":
      if (lines.length >= OCR_LINES_MAX) return lines;
      return [
        ...lines,
        {
          key: action.key,
          id: undefined,
          text: "",
          author: action.author,
          confidence: undefined,
          authorConfidence: undefined,
          flags: [],
          alternative: undefined,
          box: undefined,
        },
      ];
    case "split": {
      const index = lines.findIndex((line) => line.key === action.key);
      const line = lines[index];
      if (!line || lines.length >= OCR_LINES_MAX) return lines;
      const head = line.text.slice(0, action.at).trim();
      const tail = line.text.slice(action.at).trim();
      if (!head || !tail) return lines;
      const next = lines.slice();
      next.splice(index, 1, { ...line, text: head }, { ...line, key: action.newKey, id: undefined, text: tail });
      return next;
    }
    case "merge": {
      const index = lines.findIndex((line) => line.key === action.key);
      const line = lines[index];
      const following = lines[index + 1];
      if (!line || !following) return lines;
      const next = lines.slice();
      next.splice(index, 2, {
        ...line,
        text: `${line.text.trim()} ${following.text.trim()}`.trim(),
        flags: [...new Set([...line.flags, ...following.flags])],
      });
      return next;
    }
    case "removeFlagged":
      return lines.filter((line) => line.flags.length === 0);
    case "reset":
      return action.lines;
  }
}

/** Where a line is best cut when the person did not put the cursor anywhere: the sentence end nearest the middle. */
export function splitPoint(text: string): number {
  const middle = text.length / 2;
  let best = -1;
  for (const match of text.matchAll(/[.!?]\s+/g)) {
    const at = match.index + match[0].length;
    if (best === -1 || Math.abs(at - middle) < Math.abs(best - middle)) best = at;
  }
  if (best !== -1) return best;
  const space = text.indexOf(" ", Math.floor(middle));
  return space === -1 ? text.lastIndexOf(" ") : space;
}

export type ConfirmCheck = { ok: true; lines: TConfirmedOcrLine[] } | { ok: false; problem: string };

/** What confirmOcr will accept, or the first problem in words (before a round trip refuses it). */
export function confirmedLines(lines: readonly EditableLine[]): ConfirmCheck {
  if (lines.length === 0) return { ok: false, problem: "Keep at least one line." };
  const empty = lines.findIndex((line) => !line.text.trim());
  if (empty !== -1) return { ok: false, problem: `Line ${empty + 1} is empty: write what it says or remove it.` };
  return {
    ok: true,
    lines: lines.map((line) => ({ ...(line.id ? { id: line.id } : {}), text: line.text.trim(), author: line.author })),
  };
}
