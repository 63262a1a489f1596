// The confirm dialog: its content only while open, Cancel and Confirm call back, and a confirm that must wait stays disabled.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfirmDialog } from "./dialog.tsx";

afterEach(cleanup);

describe("ConfirmDialog", () => {
  it("renders nothing inside while closed", () => {
    render(
      <ConfirmDialog open={false} title="Delete?" confirmLabel="Delete" onConfirm={() => {}} onCancel={() => {}}>
        <p>Gone for good</p>
      </ConfirmDialog>,
    );
    expect(screen.queryByText("Gone for good")).toBeNull();
  });

  it("calls back on Cancel and Confirm, and holds Confirm while it cannot confirm", () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    const { rerender } = render(
      <ConfirmDialog
        open
        title="Delete?"
        confirmLabel="Delete"
        onConfirm={onConfirm}
        onCancel={onCancel}
        canConfirm={false}
      >
        <p>Gone for good</p>
      </ConfirmDialog>,
    );
    expect(screen.getByText("Gone for good")).toBeTruthy();
    const confirm = screen.getByRole("button", { name: "Delete", hidden: true }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Cancel", hidden: true }));
    expect(onCancel).toHaveBeenCalledOnce();
    rerender(
      <ConfirmDialog open title="Delete?" confirmLabel="Delete" onConfirm={onConfirm} onCancel={onCancel}>
        <p>Gone for good</p>
      </ConfirmDialog>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Delete", hidden: true }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });
});
