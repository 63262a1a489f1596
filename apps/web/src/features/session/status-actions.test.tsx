// Only moves the contract allows are offered, for every status and session type.
import { SESSION_TRANSITIONS, ZSessionStatusSchema, ZSessionTypeSchema } from "@lockstep/contracts";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StatusActions, statusActionsFor } from "./status-actions.tsx";

afterEach(cleanup);

describe("statusActionsFor", () => {
  it("never offers a move the transition table forbids", () => {
    for (const status of ZSessionStatusSchema.options) {
      for (const type of ZSessionTypeSchema.options) {
        for (const hasMessages of [true, false]) {
          for (const action of statusActionsFor(status, type, hasMessages)) {
            expect(SESSION_TRANSITIONS[status], `${status} -> ${action.to}`).toContain(action.to);
          }
        }
      }
    }
  });

  it("offers suggestions and End while a text session waits; complete only through End", () => {
    expect(statusActionsFor("pending_user_input", "text", true).map((a) => [a.kind, a.to])).toEqual([
      ["analyze", "analysis_in_progress"],
      ["end", "complete"],
    ]);
    expect(statusActionsFor("pending_user_input", "text", false).map((a) => a.label)).toEqual(["End session"]);
    // An ended session that was reopened is not ended twice.
    expect(statusActionsFor("pending_user_input", "text", true, true).map((a) => a.kind)).toEqual(["analyze"]);
    expect(statusActionsFor("complete", "text", true).map((a) => a.label)).toEqual(["New suggestions"]);
  });

  it("offers nothing while the server is working or waiting for the OCR check", () => {
    expect(statusActionsFor("analysis_in_progress", "text", true)).toEqual([]);
    expect(statusActionsFor("uploading", "screenshot", false)).toEqual([]);
    expect(statusActionsFor("verifying_ocr", "screenshot", true)).toEqual([]);
  });

  it("offers a way out of an error", () => {
    expect(statusActionsFor("error", "screenshot", false).map((a) => [a.to, a.label])).toEqual([
      ["pending_user_input", "Start over"],
    ]);
  });
});

describe("StatusActions", () => {
  it("renders one button per action and reports the chosen one", () => {
    const onAction = vi.fn();
    const actions = statusActionsFor("pending_user_input", "text", true);
    render(<StatusActions actions={actions} busy={false} onAction={onAction} />);
    expect(screen.getAllByRole("button").map((b) => b.textContent)).toEqual(["Get suggestions", "End session"]);
    fireEvent.click(screen.getByRole("button", { name: "End session" }));
    expect(onAction).toHaveBeenCalledWith(actions[1]);
    // What ending means is said where the button is.
    expect(screen.getByRole("button", { name: "End session" }).getAttribute("title")).toContain("counts it");
  });

  it("disables the buttons while busy", () => {
    render(<StatusActions actions={statusActionsFor("complete", "text", true)} busy onAction={() => {}} />);
    for (const button of screen.getAllByRole("button")) expect((button as HTMLButtonElement).disabled).toBe(true);
  });
});
