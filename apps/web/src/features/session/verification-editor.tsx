// The OCR verification editor: each bubble read from the screenshot as a line the person can fix,
// give to the other author, remove or move (buttons, so it works from the keyboard), then confirm.
import { OCR_LINE_TEXT_MAX, type TConfirmedOcrLine, type TOcrLine } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useEffect, useReducer, useRef, useState } from "react";
import {
  confirmedLines,
  type EditableAuthor,
  type EditableLine,
  linesReducer,
  splitPoint,
  toEditable,
} from "./ocr-lines.ts";

/** What each flag tells the person, in words. */
const FLAG_TEXT: Record<string, string> = {
  unreadable: "No text could be read here (an emoji or a picture?)",
  low_confidence: "Hard to read",
  author_unsure: "Not sure who wrote it",
  vision_text: "The vision model read it differently",
  vision_author: "The vision model thinks the other person wrote it",
  vision_only: "Only the vision model saw this bubble",
};

/** Below this the reader was unsure; the line is marked for a second look. */
const LOW_CONFIDENCE = 0.6;

export interface VerificationEditorProps {
  lines: readonly TOcrLine[];
  onConfirm: (lines: TConfirmedOcrLine[]) => void;
  busy?: boolean;
  /** A refusal from the server, in words. */
  error?: string | null;
  /** The line the person is on (tapped or focused), to show its bubble on the image. */
  onPick?: (line: EditableLine | null) => void;
}

export function VerificationEditor({
  lines: read,
  onConfirm,
  busy = false,
  error = null,
  onPick,
}: VerificationEditorProps) {
  const [lines, dispatch] = useReducer(linesReducer, read, toEditable);
  const [problem, setProblem] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  // After a move the row is re-inserted in the DOM; put focus back on the button that moved it.
  const [refocus, setRefocus] = useState<{ key: string; control: string } | null>(null);
  useEffect(() => {
    if (!refocus) return;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-line-key="${CSS.escape(refocus.key)}"]`);
    const target =
      row?.querySelector<HTMLButtonElement>(`[data-control="${refocus.control}"]:not(:disabled)`) ??
      row?.querySelector("textarea");
    target?.focus();
    setRefocus(null);
  }, [refocus]);
  const added = useRef(0);
  const flagged = lines.filter((line) => line.flags.length > 0).length;

  const confirm = () => {
    const check = confirmedLines(lines);
    if (!check.ok) {
      setProblem(check.problem);
      return;
    }
    setProblem(null);
    onConfirm(check.lines);
  };

  return (
    <section aria-labelledby="verify-title" className="flex flex-col gap-3">
      <div>
        <h2 id="verify-title" className="text-base font-semibold text-slate-900 dark:text-slate-100">
          Check what was read
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Fix any words, say who wrote each bubble, remove what is not part of the chat, and put the lines in order.
        </p>
      </div>
      {flagged ? (
        <div className="flex flex-wrap items-center gap-2 rounded-xl bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          <span>
            {flagged} {flagged === 1 ? "line needs" : "lines need"} a second look.
          </span>
          <Button size="sm" variant="secondary" className="ml-auto" onClick={() => dispatch({ type: "removeFlagged" })}>
            Remove all flagged
          </Button>
        </div>
      ) : null}
      <ol ref={listRef} className="flex flex-col gap-2" aria-label="Lines read from the screenshot">
        {lines.map((line, index) => {
          const n = index + 1;
          const unsure = (line.confidence ?? 1) < LOW_CONFIDENCE || (line.authorConfidence ?? 1) < LOW_CONFIDENCE;
          const isFlagged = line.flags.length > 0;
          return (
            <li
              key={line.key}
              data-line-key={line.key}
              data-author={line.author}
              data-flagged={isFlagged || undefined}
              onClick={() => onPick?.(line)}
              onFocus={() => onPick?.(line)}
              className={`flex flex-col gap-2 rounded-xl border p-2.5 ${
                isFlagged
                  ? "border-2 border-amber-400 bg-amber-50/70 dark:border-amber-500 dark:bg-amber-950/40"
                  : line.author === "user"
                    ? "border-indigo-200 bg-indigo-50/60 dark:border-indigo-900 dark:bg-indigo-950/40"
                    : "border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900"
              }`}
            >
              <div className="flex flex-wrap items-center gap-2">
                <span className="text-xs font-medium text-slate-500 dark:text-slate-400">Line {n}</span>
                <label className="sr-only" htmlFor={`author-${line.key}`}>
                  Who wrote line {n}
                </label>
                <select
                  id={`author-${line.key}`}
                  value={line.author}
                  onChange={(event) =>
                    dispatch({ type: "author", key: line.key, author: event.target.value as EditableAuthor })
                  }
                  className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800"
                >
                  <option value="user">Me</option>
                  <option value="contact">Them</option>
                </select>
                {unsure && !isFlagged ? (
                  <span className="rounded bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
                    Check this
                  </span>
                ) : null}
                <div className="ml-auto flex gap-1" role="group" aria-label={`Line ${n} actions`}>
                  <Button
                    size="sm"
                    variant="ghost"
                    data-control="up"
                    aria-label={`Move line ${n} up`}
                    disabled={index === 0}
                    onClick={() => {
                      dispatch({ type: "move", key: line.key, by: -1 });
                      setRefocus({ key: line.key, control: "up" });
                    }}
                  >
                    ↑
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    data-control="down"
                    aria-label={`Move line ${n} down`}
                    disabled={index === lines.length - 1}
                    onClick={() => {
                      dispatch({ type: "move", key: line.key, by: 1 });
                      setRefocus({ key: line.key, control: "down" });
                    }}
                  >
                    ↓
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Split line ${n}`}
                    disabled={!line.text.trim().includes(" ")}
                    onClick={() => {
                      const field = document.getElementById(`text-${line.key}`) as HTMLTextAreaElement | null;
                      const caret = field?.selectionStart ?? 0;
                      const at = caret > 0 && caret < line.text.length ? caret : splitPoint(line.text);
                      added.current += 1;
                      dispatch({ type: "split", key: line.key, at, newKey: `split-${added.current}` });
                    }}
                  >
                    Split
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Merge line ${n} with the next`}
                    disabled={index === lines.length - 1}
                    onClick={() => dispatch({ type: "merge", key: line.key })}
                  >
                    Merge ↓
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Remove line ${n}`}
                    onClick={() => dispatch({ type: "remove", key: line.key })}
                  >
                    Remove
                  </Button>
                </div>
              </div>
              {isFlagged ? (
                <ul className="flex flex-col gap-0.5 text-xs text-amber-900 dark:text-amber-200">
                  {line.flags.map((flag) => (
                    <li key={flag}>⚑ {FLAG_TEXT[flag] ?? flag}</li>
                  ))}
                  {line.alternative?.text ? <li>Vision model: “{line.alternative.text}”</li> : null}
                </ul>
              ) : null}
              <label className="sr-only" htmlFor={`text-${line.key}`}>
                Text of line {n}
              </label>
              <textarea
                id={`text-${line.key}`}
                value={line.text}
                rows={1}
                maxLength={OCR_LINE_TEXT_MAX}
                onChange={(event) => dispatch({ type: "edit", key: line.key, text: event.target.value })}
                className="field-sizing-content min-h-10 w-full resize-y rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-[15px] text-slate-900 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
              />
            </li>
          );
        })}
      </ol>
      <div className="flex flex-wrap items-center gap-2">
        <Button
          size="sm"
          variant="secondary"
          onClick={() => {
            added.current += 1;
            const key = `added-${added.current}`;
            dispatch({ type: "add", key, author: "contact" });
            setRefocus({ key, control: "none" });
          }}
        >
          Add a line
        </Button>
        <Button className="ml-auto" onClick={confirm} busy={busy}>
          {busy ? "Analysing…" : `Confirm ${lines.length} ${lines.length === 1 ? "line" : "lines"}`}
        </Button>
      </div>
      {problem || error ? (
        <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">
          {problem ?? error}
        </p>
      ) : null}
    </section>
  );
}
