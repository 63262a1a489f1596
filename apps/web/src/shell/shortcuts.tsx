// The app's keyboard shortcuts: one listener for the whole signed-in app, and the `?` dialog that
// lists them. Keys typed into a field stay the field's (only the modifier chords work there).
import { Button } from "@lockstep/ui/button";
import { Dialog } from "@lockstep/ui/dialog";
import { useEffect } from "react";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? "⌘" : "Ctrl";

export const SHORTCUTS: readonly { keys: readonly string[]; action: string }[] = [
  { keys: [MOD, "Shift", "O"], action: "Start a new session" },
  { keys: [MOD, "K"], action: "Search sessions (also /)" },
  { keys: ["Enter"], action: "Send the message" },
  { keys: ["Shift", "Enter"], action: "New line in the message" },
  { keys: ["Esc"], action: "Stop the reply being written" },
  { keys: ["?"], action: "Show these shortcuts" },
];

/** Whether keys typed now belong to a text field (or another control that reads keys). */
export function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && !["button", "checkbox", "radio", "submit", "reset"].includes(target.type)
  );
}

export interface ShortcutHandlers {
  newSession: () => void;
  search: () => void;
  showHelp: () => void;
}

/** Listens on the window for the app's shortcuts while mounted; a modal dialog keeps its own keys. */
export function useGlobalShortcuts(handlers: ShortcutHandlers): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || document.querySelector("dialog[open]")) return;
      const mod = isMac ? event.metaKey : event.ctrlKey;
      const key = event.key.toLowerCase();
      if (mod && event.shiftKey && !event.altKey && key === "o") {
        event.preventDefault();
        handlers.newSession();
      } else if (mod && !event.shiftKey && !event.altKey && key === "k") {
        event.preventDefault();
        handlers.search();
      } else if (typingIn(event.target) || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      } else if (event.key === "?") {
        event.preventDefault();
        handlers.showHelp();
      } else if (event.key === "/") {
        event.preventDefault();
        handlers.search();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [handlers]);
}

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Keyboard shortcuts"
      footer={
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      }
    >
      <table className="w-full text-left">
        <caption className="sr-only">Keys and what they do</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.action}>
              <td className="py-2 pr-4 whitespace-nowrap">
                {shortcut.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 ? <span aria-hidden="true"> + </span> : null}
                    <kbd className="rounded-md border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100">
                      {key}
                    </kbd>
                  </span>
                ))}
              </td>
              <td className="py-2">{shortcut.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
