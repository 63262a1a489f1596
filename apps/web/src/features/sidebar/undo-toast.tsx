// "Moved to the trash. Undo": shown for ten seconds after a session goes to the trash, so a slip of
// the finger costs nothing; the trash page keeps it recoverable for longer.
import { useEffect } from "react";

export const UNDO_MS = 10_000;

export function UndoToast({
  message,
  onUndo,
  onDismiss,
  busy,
}: {
  message: string;
  onUndo: () => void;
  onDismiss: () => void;
  busy: boolean;
}) {
  useEffect(() => {
    const timer = setTimeout(onDismiss, UNDO_MS);
    return () => clearTimeout(timer);
  }, [message, onDismiss]);
  return (
    <div
      role="status"
      className="m-2 flex items-center gap-2 rounded-lg bg-slate-900 px-3 py-2 text-sm text-white shadow-lg dark:bg-slate-100 dark:text-slate-900"
    >
      <span className="min-w-0 flex-1 break-words">{message}</span>
      <button
        type="button"
        onClick={onUndo}
        disabled={busy}
        className="rounded px-2 py-0.5 font-semibold text-indigo-200 underline hover:text-white focus-visible:outline-2 focus-visible:outline-white dark:text-indigo-700 dark:focus-visible:outline-indigo-700"
      >
        Undo
      </button>
      <button
        type="button"
        onClick={onDismiss}
        aria-label="Dismiss"
        className="rounded px-1 text-slate-300 hover:text-white focus-visible:outline-2 focus-visible:outline-white dark:text-slate-600"
      >
        ×
      </button>
    </div>
  );
}
