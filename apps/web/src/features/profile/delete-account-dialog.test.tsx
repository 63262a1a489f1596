// The account-deletion confirmation says what goes, and only lets the person confirm with their own email typed.
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DELETED_DATA_KEYS, describeDeletedCounts } from "./account-data.ts";
import { DeleteAccountDialog, emailMatches } from "./delete-account-dialog.tsx";

afterEach(cleanup);

function open(onConfirm = vi.fn()) {
  render(
    <DeleteAccountDialog
      open
      email="Sam@Example.com"
      busy={false}
      error={null}
      onCancel={() => {}}
      onConfirm={onConfirm}
    />,
  );
  return onConfirm;
}

describe("DeleteAccountDialog", () => {
  it("lists every kind of data that goes with the account", () => {
    open();
    const list = screen.getByRole("list", { name: "What is deleted", hidden: true });
    const items = within(list)
      .getAllByRole("listitem", { hidden: true })
      .map((item) => item.textContent);
    expect(items).toHaveLength(DELETED_DATA_KEYS.length);
    expect(items.join("\n")).toMatch(/sessions/);
    expect(items.join("\n")).toMatch(/remember/);
    expect(items.join("\n")).toMatch(/screenshots/);
  });

  it("keeps Delete disabled until the account's email is typed, in any case", () => {
    const onConfirm = open();
    const confirm = screen.getByRole("button", { name: "Delete my account", hidden: true }) as HTMLButtonElement;
    const field = screen.getByLabelText(/Type your email address/) as HTMLInputElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(field, { target: { value: "someone@else.com" } });
    expect(confirm.disabled).toBe(true);
    fireEvent.click(confirm);
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.change(field, { target: { value: " sam@example.COM " } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    expect(onConfirm).toHaveBeenCalledWith("sam@example.COM");
  });
});

describe("emailMatches and describeDeletedCounts", () => {
  it("refuses an empty confirmation", () => {
    expect(emailMatches("", "")).toBe(false);
    expect(emailMatches("a@b.c", "A@B.C")).toBe(true);
  });

  it("says what went, skipping the kinds with none, singular and plural", () => {
    const lines = describeDeletedCounts({
      sessions: 3,
      messages: 1,
      feedback: 0,
      collections: 0,
      engagements: 1,
      memories: 2,
      uploads: 0,
      aiInteractionsAnonymised: 4,
    });
    expect(lines).toEqual(["3 sessions", "1 message", "1 coach history", "2 memories", "4 AI log entries anonymised"]);
  });
});
