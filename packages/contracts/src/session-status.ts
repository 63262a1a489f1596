// The session lifecycle (docs/decisions/0007): which status may follow which, and how each is shown.
import type { TSessionStatus } from "./enums.ts";

/**
 * Legal moves, shared so the server (which refuses any other with ILLEGAL_TRANSITION) and the
 * clients (which offer only these actions) cannot disagree. No status moves to itself: staying put
 * is not a transition, and allowing it would let a repeated request pass as progress.
 */
export const SESSION_TRANSITIONS: Readonly<Record<TSessionStatus, readonly TSessionStatus[]>> = {
  pending_user_input: ["previewing_screenshot", "analysis_in_progress", "complete", "error"],
  previewing_screenshot: ["uploading", "pending_user_input", "error"],
  uploading: ["analysis_in_progress", "error"],
  // verifying_ocr goes back to analysis once the person has confirmed what was read.
  analysis_in_progress: ["verifying_ocr", "complete", "error"],
  verifying_ocr: ["analysis_in_progress", "error"],
  // A finished session can be re-analysed or continued with more input.
  complete: ["analysis_in_progress", "pending_user_input"],
  // Retrying resumes at whichever step failed.
  error: ["pending_user_input", "previewing_screenshot", "uploading", "analysis_in_progress"],
};

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
