// The status moves a person may make from where the session is, taken from the contract's
// transition table, so the page can never offer a move the server would refuse.
import { SESSION_TRANSITIONS, type TSessionStatus, type TSessionType } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";

export type StatusAction =
  /** session.analyze: moves to analysis_in_progress and back to complete with suggestions. */
  | { kind: "analyze"; to: "analysis_in_progress"; label: string }
  /** session.transition to `to`. */
  | { kind: "transition"; to: TSessionStatus; label: string };

/**
 * Only targets a person chooses are buttons: the machine moves into uploading, verifying_ocr and
 * error by itself, and a screenshot session gets to analysis by uploading, not by a button.
 */
export function statusActionsFor(status: TSessionStatus, type: TSessionType, hasMessages: boolean): StatusAction[] {
  const legal = SESSION_TRANSITIONS[status];
  const actions: StatusAction[] = [];
  for (const to of legal) {
    if (to === "analysis_in_progress" && hasMessages && (type === "text" || status === "complete")) {
      actions.push({ kind: "analyze", to, label: status === "complete" ? "New suggestions" : "Get suggestions" });
    } else if (to === "complete" && status === "pending_user_input") {
      actions.push({ kind: "transition", to, label: "Mark complete" });
    } else if (to === "pending_user_input" && status === "complete") {
      actions.push({ kind: "transition", to, label: "Continue the conversation" });
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
        >
          {action.label}
        </Button>
      ))}
    </div>
  );
}
