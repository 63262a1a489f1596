// The menu button opens with its items, runs the chosen one, and closes on Escape with focus back on the button.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Menu } from "./menu.tsx";

afterEach(cleanup);

describe("Menu", () => {
  it("opens, runs an item once and closes", () => {
    const rename = vi.fn();
    render(
      <Menu
        label="Actions for Dinner"
        items={[
          { label: "Rename", onSelect: rename },
          { label: "Delete", onSelect: () => {} },
        ]}
      />,
    );
    const button = screen.getByRole("button", { name: "Actions for Dinner" });
    expect(button.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(button);
    expect(button.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getAllByRole("menuitem").map((item) => item.textContent)).toEqual(["Rename", "Delete"]);
    fireEvent.click(screen.getByRole("menuitem", { name: "Rename" }));
    expect(rename).toHaveBeenCalledOnce();
    expect(screen.queryByRole("menu")).toBeNull();
  });

  it("moves with the arrow keys and closes on Escape, focus back on the button", () => {
    render(
      <Menu
        label="More"
        items={[
          { label: "One", onSelect: () => {} },
          { label: "Two", onSelect: () => {} },
        ]}
      />,
    );
    const button = screen.getByRole("button", { name: "More" });
    fireEvent.click(button);
    const menu = screen.getByRole("menu");
    expect(document.activeElement?.textContent).toBe("One");
    fireEvent.keyDown(menu, { key: "ArrowDown" });
    expect(document.activeElement?.textContent).toBe("Two");
    fireEvent.keyDown(menu, { key: "ArrowDown" });
    expect(document.activeElement?.textContent).toBe("One");
    fireEvent.keyDown(menu, { key: "Escape" });
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});
