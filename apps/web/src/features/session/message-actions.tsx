// The small actions under a message: Copy on every one; on a coach reply, Regenerate; on a message the
// person wrote or pasted, Edit (resent as a new version); and "‹ 2 / 3 ›" to move between versions of a
// turn. Actions that would start a reply wait while one is being written (one reply at a time).
import type { TMessageDto } from "@lockstep/contracts";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { useMutation } from "@tanstack/react-query";
import { createContext, useContext, useState } from "react";

export const actionButton =
  "rounded px-1.5 py-0.5 text-[11px] font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white";

/** What the rows need from the page: whether a reply is being written, and how to reload the branch on screen. */
export interface ConversationControls {
  replying: boolean;
  /** Another version was chosen: the branch on screen changed, load it again. */
  branchChanged: () => void;
  /** `replacedId` got a new version: it and what followed leave the screen; `incoming` joins it. */
  replaced: (replacedId: string, incoming: TMessageDto) => void;
}

export const ConversationControlsContext = createContext<ConversationControls>({
  replying: false,
  branchChanged: () => undefined,
  replaced: () => undefined,
});

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2000);
  };
  return (
    <button type="button" className={actionButton} aria-label={`${label} message`} onClick={() => void copy()}>
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}
    </button>
  );
}

function VersionSwitcher({ message }: { message: TMessageDto }) {
  const trpc = useTRPC();
  const { replying, branchChanged } = useContext(ConversationControlsContext);
  const select = useMutation(trpc.message.selectVersion.mutationOptions({ onSuccess: branchChanged }));
  const index = message.versions.indexOf(message.id);
  if (message.versions.length < 2 || index < 0) return null;
  const go = (to: number) => {
    const id = message.versions[to];
    if (id) select.mutate({ messageId: id });
  };
  const blocked = replying || select.isPending;
  return (
    <span className="flex items-center text-[11px] text-slate-600 dark:text-slate-300" data-versions>
      <button
        type="button"
        className={actionButton}
        aria-label="Previous version"
        disabled={blocked || index === 0}
        onClick={() => go(index - 1)}
      >
        ‹
      </button>
      <span className="tabular-nums" aria-label={`Version ${index + 1} of ${message.versions.length}`}>
        {index + 1} / {message.versions.length}
      </span>
      <button
        type="button"
        className={actionButton}
        aria-label="Next version"
        disabled={blocked || index === message.versions.length - 1}
        onClick={() => go(index + 1)}
      >
        ›
      </button>
      {select.isError ? (
        <span role="alert" className="ml-1 text-rose-700 dark:text-rose-300">
          {describeAppError(select.error).message}
        </span>
      ) : null}
    </span>
  );
}

function RegenerateButton({ message }: { message: TMessageDto }) {
  const trpc = useTRPC();
  const { replying, replaced } = useContext(ConversationControlsContext);
  const regenerate = useMutation(
    trpc.message.regenerate.mutationOptions({ onSuccess: (answered) => replaced(message.id, answered) }),
  );
  return (
    <>
      <button
        type="button"
        className={actionButton}
        disabled={replying || regenerate.isPending}
        title={replying ? "Wait for the reply being written" : undefined}
        onClick={() => regenerate.mutate({ messageId: message.id })}
      >
        {regenerate.isPending ? "Regenerating…" : "Regenerate"}
      </button>
      {regenerate.isError ? (
        <span role="alert" className="text-[11px] text-rose-700 dark:text-rose-300">
          {describeAppError(regenerate.error).message}
        </span>
      ) : null}
    </>
  );
}

export function MessageActions({
  message,
  onEdit,
}: {
  message: TMessageDto;
  /** Opens the editor (messages the person wrote or pasted). */
  onEdit?: () => void;
}) {
  const { replying } = useContext(ConversationControlsContext);
  return (
    <div
      className={`mt-0.5 flex flex-wrap items-center gap-0.5 px-0.5 ${message.author === "user" ? "justify-end" : ""}`}
      data-message-actions
    >
      {message.stopped ? (
        <span className="px-1 text-[11px] text-amber-700 dark:text-amber-300" data-stopped>
          Stopped
        </span>
      ) : null}
      <VersionSwitcher message={message} />
      <CopyButton text={message.text} />
      {message.author === "ai" && message.title === null ? <RegenerateButton message={message} /> : null}
      {message.author !== "ai" && onEdit ? (
        <button
          type="button"
          className={actionButton}
          disabled={replying}
          title={replying ? "Wait for the reply being written" : undefined}
          onClick={onEdit}
        >
          Edit
        </button>
      ) : null}
    </div>
  );
}

/** Edits a written message in place; saving resends it as a new version and the coach answers it. */
export function MessageEditor({ message, onDone }: { message: TMessageDto; onDone: () => void }) {
  const trpc = useTRPC();
  const { replying, replaced } = useContext(ConversationControlsContext);
  const [text, setText] = useState(message.text);
  const [id] = useState(() => crypto.randomUUID());
  const edit = useMutation(
    trpc.message.edit.mutationOptions({
      onSuccess: (created) => {
        replaced(message.id, created);
        onDone();
      },
    }),
  );
  const save = () => {
    const trimmed = text.trim();
    if (trimmed && trimmed !== message.text) edit.mutate({ messageId: message.id, id, text: trimmed });
    else onDone();
  };
  return (
    <form
      className="flex w-full flex-col gap-1.5"
      aria-label="Edit message"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <textarea
        // The editor opens on the person's request, so taking focus is expected.
        autoFocus
        value={text}
        rows={Math.min(8, Math.max(2, text.split("\n").length))}
        aria-label="Edited message"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            event.stopPropagation();
            onDone();
          } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            save();
          }
        }}
        className="min-w-[min(32rem,80vw)] rounded-xl border border-slate-300 bg-white px-3 py-2 text-[15px] text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
      />
      <div className="flex items-center justify-end gap-2 text-sm">
        {edit.isError ? (
          <span role="alert" className="mr-auto text-xs text-rose-700 dark:text-rose-300">
            {describeAppError(edit.error).message}
          </span>
        ) : null}
        <button
          type="button"
          className="rounded-lg px-2.5 py-1 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-200 dark:hover:bg-slate-800"
          onClick={onDone}
        >
          Cancel
        </button>
        <button
          type="submit"
          disabled={replying || edit.isPending || !text.trim()}
          className="rounded-lg bg-indigo-600 px-2.5 py-1 font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:bg-indigo-400"
        >
          {edit.isPending ? "Sending…" : "Save and resend"}
        </button>
      </div>
    </form>
  );
}
