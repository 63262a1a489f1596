// A session's status as people read it: the contract's label for each of the seven statuses, with a colour per family.
import { SESSION_STATUS_LABELS, type TSessionStatus } from "@lockstep/contracts";

// Typed by the contract's enum, so an eighth status does not compile until it has a colour.
const TONES: Record<TSessionStatus, string> = {
  pending_user_input: "bg-sky-50 text-sky-800 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-400/30",
  previewing_screenshot:
    "bg-violet-50 text-violet-800 ring-violet-600/30 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-400/30",
  uploading:
    "bg-violet-50 text-violet-800 ring-violet-600/30 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-400/30",
  analysis_in_progress:
    "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/30",
  verifying_ocr:
    "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/30",
  complete:
    "bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-400/30",
  error: "bg-rose-50 text-rose-800 ring-rose-600/30 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-400/30",
};

export function StatusBadge({ status, className = "" }: { status: TSessionStatus; className?: string }) {
  return (
    <span
      data-session-status={status}
      className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${TONES[status]} ${className}`}
    >
      <span className="sr-only">Status: </span>
      {SESSION_STATUS_LABELS[status]}
    </span>
  );
}
