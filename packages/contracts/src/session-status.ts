// The session lifecycle (docs/decisions/0007): which status may follow which, and how each is shown.
import type { TSessionStatus } from "./enums.ts";

/**
 * Legal moves, shared so the server (which refuses any other with ILLEGAL_TRANSITION) and the
 * clients (which offer only these actions) cannot disagree. No status moves to itself: staying put
 * is not a transition, and allowing it would let a repeated request pass as progress.
 */
export const SESSION_TRANSITIONS: Readonly<Record<TSessionStatus, readonly TSessionStatus[]>> = {
  pending_user_input: ["previewing_screenshot", "analysis_in_progress", "complete", "error"],
  // Ending (complete) is possible wherever the session is not busy with a step of its own.
  previewing_screenshot: ["uploading", "pending_user_input", "complete", "error"],
  uploading: ["analysis_in_progress", "error"],
  // verifying_ocr goes back to analysis once the person has confirmed what was read. Suggestions
  // return the session to where it was: waiting for the person, or complete if it had ended.
  analysis_in_progress: ["verifying_ocr", "pending_user_input", "complete", "error"],
  verifying_ocr: ["analysis_in_progress", "complete", "error"],
  // An ended session can still get new suggestions, or be reopened.
  complete: ["analysis_in_progress", "pending_user_input"],
  // Retrying resumes at whichever step failed.
  error: ["pending_user_input", "previewing_screenshot", "uploading", "analysis_in_progress", "complete"],
};

/**
 * What `complete` means, in the words the app shows: only the person's End makes a session
 * complete (asking for suggestions never does), and an ended session is kept and counted.
 */
export const SESSION_END_EXPLANATION =
  "Ending keeps the session and its messages, marks it Complete and counts it in your stats with this coach.";

export function canTransition(from: TSessionStatus, to: TSessionStatus): boolean {
  return SESSION_TRANSITIONS[from].includes(to);
}

export const SESSION_STATUS_LABELS: Readonly<Record<TSessionStatus, string>> = {
  pending_user_input: "Waiting for you",
  previewing_screenshot: "Previewing screenshot",
  uploading: "Uploading",
  analysis_in_progress: "Analysing",
  verifying_ocr: "Check what was read",
  complete: "Complete",
  error: "Error",
};
