// The verification editor: edits, author switches, removals and moves produce exactly the lines
// handed to confirmOcr, and an empty line is caught before it is sent.
import type { TOcrLine } from "@lockstep/contracts";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { confirmedLines, linesReducer, toEditable } from "./ocr-lines.ts";
import { VerificationEditor } from "./verification-editor.tsx";

afterEach(cleanup);

const READ: TOcrLine[] = [
  { id: "l1", text: "hey are you free saturday?", author: "contact", confidence: 0.93 },
  { id: "l2", text: "maybe, what did you have in mind", author: "user", confidence: 0.41 },
  { id: "l3", text: "coffee at the harbour", author: "contact" },
];

describe("VerificationEditor", () => {
  it("confirms the lines as read when nothing is changed", () => {
    const onConfirm = vi.fn();
    render(<VerificationEditor lines={READ} onConfirm={onConfirm} />);
    fireEvent.click(screen.getByRole("button", { name: "Confirm 3 lines" }));
    expect(onConfirm).toHaveBeenCalledWith([
      { id: "l1", text: "hey are you free saturday?", author: "contact" },
      { id: "l2", text: "maybe, what did you have in mind", author: "user" },
      { id: "l3", text: "coffee at the harbour", author: "contact" },
    ]);
  });

  it("applies an edit, an author switch, a removal and a move", () => {
    const onConfirm = vi.fn();
    render(<VerificationEditor lines={READ} onConfirm={onConfirm} />);
    fireEvent.change(screen.getByLabelText("Text of line 2"), {
      target: { value: "  maybe! what did you have in mind?  " },
    });
    fireEvent.change(screen.getByLabelText("Who wrote line 3"), { target: { value: "user" } });
    fireEvent.click(screen.getByRole("button", { name: "Remove line 1" }));
    // Line 3 (now line 2) goes above the old line 2.
    fireEvent.click(screen.getByRole("button", { name: "Move line 2 up" }));
    fireEvent.click(screen.getByRole("button", { name: "Confirm 2 lines" }));
    expect(onConfirm).toHaveBeenCalledWith([
      { id: "l3", text: "coffee at the harbour", author: "user" },
      { id: "l2", text: "maybe! what did you have in mind?", author: "user" },
    ]);
  });

  it("cannot move the first line up or the last line down, and keeps focus on the moved line's button", () => {
    render(<VerificationEditor lines={READ} onConfirm={() => {}} />);
    expect((screen.getByRole("button", { name: "Move line 1 up" }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Move line 3 down" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Move line 1 down" }));
    const rows = screen.getAllByRole("listitem");
    expect(rows.map((row) => row.getAttribute("data-line-key"))).toEqual(["l2", "l1", "l3"]);
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Move line 2 down");
  });

  it("marks lines the reader was unsure of", () => {
    render(<VerificationEditor lines={READ} onConfirm={() => {}} />);
    const rows = screen.getAllByRole("listitem");
    expect(rows.map((row) => row.textContent?.includes("Check this"))).toEqual([false, true, false]);
  });

  it("refuses an empty line in words and does not confirm", () => {
    const onConfirm = vi.fn();
    render(<VerificationEditor lines={READ} onConfirm={onConfirm} />);
    fireEvent.change(screen.getByLabelText("Text of line 1"), { target: { value: "   " } });
    fireEvent.click(screen.getByRole("button", { name: "Confirm 3 lines" }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByRole("alert").textContent).toBe("Line 1 is empty: write what it says or remove it.");
  });

  it("adds a line the person types in themselves (no OCR id)", () => {
    const onConfirm = vi.fn();
    render(<VerificationEditor lines={READ.slice(0, 1)} onConfirm={onConfirm} />);
    fireEvent.click(screen.getByRole("button", { name: "Add a line" }));
    fireEvent.change(screen.getByLabelText("Text of line 2"), { target: { value: "see you there" } });
    fireEvent.change(screen.getByLabelText("Who wrote line 2"), { target: { value: "user" } });
    fireEvent.click(screen.getByRole("button", { name: "Confirm 2 lines" }));
    expect(onConfirm).toHaveBeenCalledWith([
      { id: "l1", text: "hey are you free saturday?", author: "contact" },
      { text: "see you there", author: "user" },
    ]);
  });
});

describe("linesReducer", () => {
  it("keeps the lines as they are for a move past either end", () => {
    const lines = toEditable(READ);
    expect(linesReducer(lines, { type: "move", key: "l1", by: -1 })).toBe(lines);
    expect(linesReducer(lines, { type: "move", key: "l3", by: 1 })).toBe(lines);
  });

  it("requires at least one line", () => {
    expect(confirmedLines([])).toEqual({ ok: false, problem: "Keep at least one line." });
  });

  it("turns a bubble read as the coach's into the contact's", () => {
    expect(toEditable([{ id: "x", text: "hm", author: "ai" }])[0]?.author).toBe("contact");
  });
});

describe("flagged lines, split and merge", () => {
  const FLAGGED: TOcrLine[] = [
    { id: "l1", text: "Perfect. See you at seven", author: "contact" },
    { id: "l2", text: "(emoji or picture)", author: "user", flags: ["unreadable"] },
    {
      id: "l3",
      text: "Great see you there",
      author: "user",
      flags: ["vision_text"],
      alternative: { text: "Great, see you there!" },
    },
  ];

  it("marks flagged lines with their reasons and removes them all at once", () => {
    const onConfirm = vi.fn();
    render(<VerificationEditor lines={FLAGGED} onConfirm={onConfirm} />);
    expect(screen.getByText("2 lines need a second look.")).toBeTruthy();
    expect(screen.getByText("Vision model: “Great, see you there!”")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Remove all flagged" }));
    fireEvent.click(screen.getByRole("button", { name: "Confirm 1 line" }));
    expect(onConfirm).toHaveBeenCalledWith([{ id: "l1", text: "Perfect. See you at seven", author: "contact" }]);
  });

  it("splits a line at a sentence end and merges it back with the next", () => {
    const onConfirm = vi.fn();
    render(<VerificationEditor lines={FLAGGED.slice(0, 1)} onConfirm={onConfirm} />);
    fireEvent.click(screen.getByRole("button", { name: "Split line 1" }));
    fireEvent.click(screen.getByRole("button", { name: "Confirm 2 lines" }));
    expect(onConfirm).toHaveBeenLastCalledWith([
      { id: "l1", text: "Perfect.", author: "contact" },
      { text: "See you at seven", author: "contact" },
    ]);
    fireEvent.click(screen.getByRole("button", { name: "Merge line 1 with the next" }));
    fireEvent.click(screen.getByRole("button", { name: "Confirm 1 line" }));
    expect(onConfirm).toHaveBeenLastCalledWith([{ id: "l1", text: "Perfect. See you at seven", author: "contact" }]);
  });

  it("tells which line was picked, with its box", () => {
    const onPick = vi.fn();
    const box = { x: 10, y: 20, width: 100, height: 40 };
    render(<VerificationEditor lines={[{ ...FLAGGED[0]!, box }]} onConfirm={vi.fn()} onPick={onPick} />);
    fireEvent.click(screen.getByText("Line 1"));
    expect(onPick).toHaveBeenCalledWith(expect.objectContaining({ key: "l1", box }));
  });
});
