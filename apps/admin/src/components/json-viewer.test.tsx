// The JSON viewer: search finds keys and values and opens the branches that hold them, branches
// collapse and expand from the keyboard-reachable toggles, and masked values read as masked.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { JsonViewer, searchJson } from "./json-viewer.tsx";

afterEach(cleanup);

const REQUEST = {
  model: "stub-chat",
  messages: [
    { role: "system", content: "You are Maya." },
    { role: "user", content: "Write to [email] about Friday" },
  ],
  options: { deep: { deeper: { needle: "found me" } } },
};

describe("searchJson", () => {
  it("counts matching keys and leaves, and opens every branch above them", () => {
    const found = searchJson(REQUEST, "NEEDLE");
    expect(found.matches).toBe(1);
    expect([...found.open].sort()).toEqual(["", "/options", "/options/deep", "/options/deep/deeper"]);
    expect([...found.hits]).toEqual(["/options/deep/deeper/needle"]);
  });

  it("matches values case-insensitively, and an empty query matches nothing", () => {
    expect(searchJson(REQUEST, "maya").matches).toBe(1);
    expect(searchJson(REQUEST, "role").matches).toBe(2);
    expect(searchJson(REQUEST, "  ").matches).toBe(0);
  });
});

describe("JsonViewer", () => {
  it("starts three levels open, and searching opens the deep branch and marks the hit", () => {
    const { container } = render(<JsonViewer value={REQUEST} label="request JSON" />);
    expect(container.textContent).not.toContain("found me");
    fireEvent.change(screen.getByLabelText("Search request JSON"), { target: { value: "found" } });
    expect(screen.getByRole("status").textContent).toBe("1 match");
    expect(container.querySelector("mark")?.textContent).toBe("found");
    expect(container.textContent).toContain("found me");
  });

  it("collapses and expands a branch with its toggle, which reports its state", () => {
    const { container } = render(<JsonViewer value={REQUEST} label="request JSON" />);
    const toggle = screen.getByRole("button", { name: /"messages"/ });
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(container.textContent).not.toContain("You are Maya.");
    expect(toggle.textContent).toContain("2 items");
    fireEvent.click(screen.getByRole("button", { name: "Collapse all of request JSON" }));
    expect(container.querySelector("button[aria-expanded]")?.getAttribute("aria-expanded")).toBe("false");
    expect(container.textContent).not.toContain("stub-chat");
    fireEvent.click(screen.getByRole("button", { name: "Expand all of request JSON" }));
    expect(container.textContent).toContain("found me");
  });

  it("shows masked values as masked and counts them", () => {
    const { container } = render(<JsonViewer value={REQUEST} label="request JSON" />);
    const masked = container.querySelectorAll('[data-masked="true"]');
    expect(masked).toHaveLength(1);
    expect(masked[0]?.textContent).toBe("masked value [email]");
    expect(container.textContent).toContain("1 masked value");
  });
});
