// The small actions under a message: Copy on every one (and, where they apply, the coach-reply and
// edit actions). Kept quiet until the row is hovered or focused on a pointer device; always shown on touch.
import type { TMessageDto } from "@lockstep/contracts";
import { useState } from "react";

export const actionButton =
  "rounded px-1.5 py-0.5 text-[11px] font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-50 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white";

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

export function MessageActions({ message, children }: { message: TMessageDto; children?: React.ReactNode }) {
  return (
    <div
      className={`mt-0.5 flex flex-wrap items-center gap-0.5 px-0.5 ${message.author === "user" ? "justify-end" : ""}`}
      data-message-actions
    >
      {children}
      <CopyButton text={message.text} />
    </div>
  );
}
