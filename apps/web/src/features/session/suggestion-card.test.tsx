// The suggestion card: reactions go to message.react and show the server's answer, a copy writes
// the text to the clipboard and counts the use, and the analysis opens and closes.
import type { TMessageDto } from "@lockstep/contracts";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SuggestionCard } from "./suggestion-card.tsx";
import { fakeApi, messageDto } from "../../../test/test-api.tsx";

afterEach(cleanup);

const suggestion = messageDto({
  id: "00000000-0000-4000-8000-0000000000bb",
  author: "ai",
  title: "Suggest a plan",
  tag: "Attraction",
  sentiment: "positive",
  text: "Coffee at the harbour on Saturday?",
  analysis: "A concrete plan is easier to say yes to.",
  builtIn: true,
});

function withReactions() {
  let current: TMessageDto = suggestion;
  const api = fakeApi({
    "message.react": (input) => {
      const { type, on } = input as { type: string; on: boolean };
      if (type === "liked") current = { ...current, isLiked: on };
      if (type === "copied_to_clipboard") current = { ...current, usedCount: current.usedCount + 1 };
      return current;
    },
  });
  return api;
}

describe("SuggestionCard", () => {
  it("shows title, tag, sentiment and the built-in label, with the analysis folded", () => {
    const api = withReactions();
    render(api.wrap(<SuggestionCard message={suggestion} />));
    expect(screen.getByRole("heading", { name: "Suggest a plan" })).toBeTruthy();
    expect(screen.getByText("Attraction")).toBeTruthy();
    expect(screen.getByText("Positive")).toBeTruthy();
    expect(screen.getByText(/built-in offline coach/)).toBeTruthy();
    const toggle = screen.getByRole("button", { name: "Why this works" });
    expect(screen.getByText("A concrete plan is easier to say yes to.").hidden).toBe(true);
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByText("A concrete plan is easier to say yes to.").hidden).toBe(false);
  });

  it("likes through message.react and reports the updated message", async () => {
    const api = withReactions();
    const onUpdated = vi.fn();
    render(api.wrap(<SuggestionCard message={suggestion} onUpdated={onUpdated} />));
    fireEvent.click(screen.getByRole("button", { name: "Like" }));
    await screen.findByRole("button", { name: "Liked" });
    expect(api.calls.find((call) => call.path === "message.react")?.input).toEqual({
      messageId: suggestion.id,
      type: "liked",
      on: true,
    });
    expect(onUpdated).toHaveBeenCalledWith(expect.objectContaining({ isLiked: true }));
  });

  it("copies the text, counts the use and shows the new count", async () => {
    const api = withReactions();
    const copyText = vi.fn(async () => {});
    render(api.wrap(<SuggestionCard message={suggestion} copyText={copyText} />));
    const describedBy = screen.getByRole("button", { name: "Copy" }).getAttribute("aria-describedby") ?? "";
    const usedText = () => document.getElementById(describedBy)?.textContent?.replace(/\s+/g, " ");
    expect(usedText()).toBe("used 0 times");
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    await screen.findByText("Copied to the clipboard.");
    expect(copyText).toHaveBeenCalledWith("Coffee at the harbour on Saturday?");
    await waitFor(() => expect(usedText()).toBe("used 1 time"));
  });

  it("says so when the clipboard is refused, and counts nothing", async () => {
    const api = withReactions();
    render(api.wrap(<SuggestionCard message={suggestion} copyText={() => Promise.reject(new Error("denied"))} />));
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    await screen.findByText(/did not allow copying/);
    expect(api.calls.some((call) => call.path === "message.react")).toBe(false);
  });
});
