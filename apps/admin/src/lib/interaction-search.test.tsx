// The interaction log's filters <-> URL search parameters: what survives a hand-edited URL, what the
// export link carries, and the filter form writing exactly the search it shows.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InteractionFilters } from "../pages/interaction-filters.tsx";
import { exportUrl, filtersOf, hasFilters, parseInteractionSearch } from "./interaction-search.ts";

afterEach(cleanup);

const SESSION = "0b7c1f4e-1d2a-4c3b-9e8f-123456789abc";

describe("parseInteractionSearch", () => {
  it("keeps every valid filter, numbers given as strings included", () => {
    expect(
      parseInteractionSearch({
        from: "1700000000000",
        to: 1700000600000,
        provider: " openai ",
        model: "gpt-x",
        status: "error",
        operation: "reply",
        userId: "user-1",
        sessionId: SESSION,
        dataSource: "web",
        sort: "latency",
        view: "groups",
      }),
    ).toEqual({
      from: 1700000000000,
      to: 1700000600000,
      provider: "openai",
      model: "gpt-x",
      status: "error",
      operation: "reply",
      userId: "user-1",
      sessionId: SESSION,
      dataSource: "web",
      sort: "latency",
      view: "groups",
    });
  });

  it("drops what the API would refuse: unknown enum values, bad ids and times, blank and oversized text", () => {
    expect(
      parseInteractionSearch({
        status: "ERROR",
        operation: "dance",
        sessionId: "not-a-uuid",
        from: "yesterday",
        to: -5,
        model: "   ",
        provider: "x".repeat(201),
        sort: "name",
        view: "table",
        extra: "ignored",
      }),
    ).toEqual({});
  });

  it("drops `to` when it is before `from`, rather than sending a refused range", () => {
    expect(parseInteractionSearch({ from: 2000, to: 1000 })).toEqual({ from: 2000 });
  });
});

describe("filters and export", () => {
  it("separates the filters from the page's sort and view", () => {
    const search = parseInteractionSearch({ model: "m", status: "error", sort: "latency", view: "groups" });
    expect(filtersOf(search)).toEqual({ model: "m", status: "error" });
    expect(hasFilters(search)).toBe(true);
    expect(hasFilters(parseInteractionSearch({ sort: "latency" }))).toBe(false);
  });

  it("puts the format and exactly the filters in the export URL", () => {
    const url = new URL(exportUrl("csv", { model: "gpt x", status: "error", from: 5 }), "http://admin.test");
    expect(url.pathname).toBe("/api/admin/interactions/export");
    expect(Object.fromEntries(url.searchParams)).toEqual({ format: "csv", model: "gpt x", status: "error", from: "5" });
    expect(new URL(exportUrl("jsonl", {}), "http://admin.test").search).toBe("?format=jsonl");
  });
});

describe("InteractionFilters", () => {
  it("shows the current search and applies the edited draft as a new search", () => {
    const onApply = vi.fn();
    render(<InteractionFilters search={{ model: "old-model", view: "groups" }} onApply={onApply} />);
    const model = screen.getByLabelText("Model") as HTMLInputElement;
    expect(model.value).toBe("old-model");

    fireEvent.change(model, { target: { value: "stub-chat" } });
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "error" } });
    fireEvent.change(screen.getByLabelText("Sort"), { target: { value: "latency" } });
    fireEvent.click(screen.getByRole("button", { name: "Apply filters" }));
    expect(onApply).toHaveBeenCalledWith({ model: "stub-chat", status: "error", sort: "latency", view: "groups" });
  });

  it("turns the local date-time inputs into epoch milliseconds, and Clear keeps only the view", () => {
    const onApply = vi.fn();
    render(<InteractionFilters search={{}} onApply={onApply} />);
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-01-02T03:04" } });
    fireEvent.click(screen.getByRole("button", { name: "Apply filters" }));
    expect(onApply).toHaveBeenLastCalledWith({ from: new Date(2026, 0, 2, 3, 4).getTime() });
    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(onApply).toHaveBeenLastCalledWith({ view: undefined });
  });
});
