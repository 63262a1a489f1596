// The verification editor's state: the lines read from a screenshot as the person corrects them
// (text, author, removal, order), and the confirmed lines it hands to session.confirmOcr.
import { OCR_LINES_MAX, type TConfirmedOcrLine, type TOcrLine } from "@lockstep/contracts";

export type EditableAuthor = TConfirmedOcrLine["author"];

export interface EditableLine {
  /** Stable key for React and for focus after a move; the OCR id when there is one. */
  key: string;
  id: string | undefined;
  text: string;
  author: EditableAuthor;
  confidence: number | undefined;
  authorConfidence: number | undefined;
}

export type LineAction =
  | { type: "edit"; key: string; text: string }
  | { type: "author"; key: string; author: EditableAuthor }
  | { type: "remove"; key: string }
  | { type: "move"; key: string; by: -1 | 1 }
  | { type: "add"; key: string; author: EditableAuthor }
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
        },
      ];
    case "reset":
      return action.lines;
  }
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
