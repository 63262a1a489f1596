// Where the person writes: as themselves, or pasting what the contact said (the author switch).
// Enter sends, Shift+Enter starts a new line; while a reply is being written, sending waits and Stop (or Esc) ends it.
import { MESSAGE_TEXT_MAX } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useId, useState } from "react";
import type { WritableAuthor } from "./send-outbox.ts";

export function Composer({
  onSend,
  disabled = false,
  replying = false,
  stopping = false,
  onStop,
}: {
  onSend: (text: string, author: WritableAuthor) => void;
  disabled?: boolean;
  /** A reply is being written: sending waits for it (one reply at a time), and Stop is offered. */
  replying?: boolean;
  stopping?: boolean;
  onStop?: () => void;
}) {
  const [text, setText] = useState("");
  const [author, setAuthor] = useState<WritableAuthor>("user");
  const inputId = useId();
  const authorName = useId();
  const submit = () => {
    const trimmed = text.trim();
    if (!trimmed || disabled || replying) return;
    onSend(trimmed, author);
    setText("");
  };
  return (
    <form
      aria-label="Write a message"
      className="border-t border-slate-200 bg-white px-3 py-3 sm:px-6 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {replying ? (
        <p
          role="status"
          className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-300"
          data-replying
        >
          <span className="inline-block size-2 animate-pulse rounded-full bg-indigo-500" aria-hidden="true" />
          {stopping ? "Stopping the reply…" : "The coach is replying. You can send once the reply is done."}
          {onStop && !stopping ? (
            <Button type="button" variant="secondary" size="sm" onClick={onStop} aria-keyshortcuts="Escape">
              Stop <kbd className="ml-1 text-xs text-slate-500 dark:text-slate-400">Esc</kbd>
            </Button>
          ) : null}
        </p>
      ) : null}
      <fieldset className="mb-2 flex flex-wrap items-center gap-1 text-sm">
        <legend className="sr-only">Who wrote this message</legend>
        {(
          [
            ["user", "Me"],
            ["contact", "Them (paste their message)"],
          ] as const
        ).map(([value, label]) => (
          <label
            key={value}
            className={`cursor-pointer rounded-full border px-3 py-1 has-focus-visible:outline-2 has-focus-visible:outline-indigo-600 ${
              author === value
                ? "border-indigo-600 bg-indigo-600 text-white"
                : "border-slate-300 text-slate-700 dark:border-slate-600 dark:text-slate-200"
            }`}
          >
            <input
              type="radio"
              name={authorName}
              value={value}
              checked={author === value}
              onChange={() => setAuthor(value)}
              className="sr-only"
            />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="flex items-end gap-2">
        <label htmlFor={inputId} className="sr-only">
          {author === "user" ? "Your message" : "What they said"}
        </label>
        <textarea
          id={inputId}
          value={text}
          rows={2}
          maxLength={MESSAGE_TEXT_MAX}
          placeholder={author === "user" ? "Write your message…" : "Paste what they said…"}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape" && replying && onStop) {
              event.preventDefault();
              onStop();
            } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
          className="min-h-11 flex-1 resize-y rounded-xl border border-slate-300 bg-white px-3 py-2 text-[15px] text-slate-900 placeholder:text-slate-400 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
        />
        <Button type="submit" disabled={disabled || replying || !text.trim()} className="h-11">
          Send
        </Button>
      </div>
    </form>
  );
}
