// The status moves a person may make from where the session is, taken from the contract's
// transition table, so the page can never offer a move the server would refuse.
import {
  SESSION_END_EXPLANATION,
  SESSION_TRANSITIONS,
  type TSessionStatus,
  type TSessionType,
} from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";

export type StatusAction =
  /** session.analyze: moves to analysis_in_progress and back to where it was, with suggestions. */
  | { kind: "analyze"; to: "analysis_in_progress"; label: string }
  /** session.end: the only way to complete; kept and counted (SESSION_END_EXPLANATION). */
  | { kind: "end"; to: "complete"; label: string }
  /** session.transition to `to`. */
  | { kind: "transition"; to: TSessionStatus; label: string };

/**
 * Only targets a person chooses are buttons (complete only through End, never as a side effect): the machine moves into uploading, verifying_ocr and
 * error by itself, and a screenshot session gets to analysis by uploading, not by a button.
 */
export function statusActionsFor(
  status: TSessionStatus,
  type: TSessionType,
  hasMessages: boolean,
  ended = false,
): StatusAction[] {
  const legal = SESSION_TRANSITIONS[status];
  const actions: StatusAction[] = [];
  for (const to of legal) {
    if (to === "analysis_in_progress" && hasMessages && (type === "text" || status === "complete")) {
      actions.push({ kind: "analyze", to, label: status === "complete" ? "New suggestions" : "Get suggestions" });
    } else if (to === "complete" && !ended && status === "pending_user_input") {
      actions.push({ kind: "end", to, label: "End session" });
    } else if (to === "pending_user_input" && status === "error") {
      actions.push({ kind: "transition", to, label: type === "screenshot" ? "Start over" : "Try again" });
    }
  }
  return actions;
}

export function StatusActions({
  actions,
  busy,
  onAction,
}: {
  actions: readonly StatusAction[];
  busy: boolean;
  onAction: (action: StatusAction) => void;
}) {
  if (actions.length === 0) return null;
  return (
    <div role="group" aria-label="Session actions" className="flex flex-wrap gap-2">
      {actions.map((action, index) => (
        <Button
          key={`${action.kind}-${action.to}`}
          size="sm"
          variant={index === 0 ? "primary" : "secondary"}
          disabled={busy}
          onClick={() => onAction(action)}
          data-action-to={action.to}
          title={action.kind === "end" ? SESSION_END_EXPLANATION : undefined}
        >
          {action.label}
        </Button>
      ))}
    </div>
  );
}
