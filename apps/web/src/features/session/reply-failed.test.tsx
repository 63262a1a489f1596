// A person's message whose reply failed, on the real session page: it says so under the message (from
// message.list, so after a reload too), Retry is a named, focusable button that calls message.retryReply,
// and once the retry is accepted the notice goes; a refused retry says why.
import type { TMessageDto } from "@lockstep/contracts";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { withLaidOutBoxes } from "../../../test/layout.ts";
import { SessionPage } from "./session-page.tsx";
import { fakeApi, messageDto, refusal, SESSION_ID, sessionDto } from "../../../test/test-api.tsx";

afterEach(cleanup);

withLaidOutBoxes();

const failed = messageDto({
  id: "00000000-0000-4000-8000-0000000000c1",
  text: "Should I text her back?",
  replyStatus: "failed",
  replyError: "The model call failed.",
});

function pageWith(retryReply: (input: unknown) => unknown) {
  const api = fakeApi({
    "session.get": () => sessionDto(),
    "message.list": () => ({ items: [failed], nextCursor: null }),
    "message.retryReply": retryReply,
  });
  render(api.wrap(<SessionPage sessionId={SESSION_ID} />));
  return api;
}

function row(id: string) {
  return document.querySelector<HTMLElement>(`[data-message-id="${id}"]`);
}

describe("a reply that failed", () => {
  it("shows under the person's message with a Retry that asks for the reply again", async () => {
    const api = pageWith(() => ({ ...failed, replyStatus: "pending", replyError: null }) satisfies TMessageDto);
    await screen.findByText("Should I text her back?");
    const notice = within(row(failed.id)!).getByRole("alert");
    expect(notice.textContent).toContain("The coach could not answer.");
    // The reason the server gave is shown with it, so the person knows whether trying again can help.
    expect(notice.textContent).toContain("The model call failed.");

    const retry = within(notice).getByRole("button", { name: "Retry the coach's reply" });
    retry.focus();
    expect(document.activeElement).toBe(retry);
    fireEvent.click(retry);

    await waitFor(() => expect(row(failed.id)!.querySelector("[data-reply-status]")).toBeNull());
    expect(api.calls.filter((call) => call.path === "message.retryReply").map((call) => call.input)).toEqual([
      { messageId: failed.id },
    ]);
    expect(screen.getByText("Should I text her back?")).toBeTruthy();
  });

  it("says why when the retry is refused, and keeps Retry", async () => {
    pageWith(() => {
      throw refusal("The reply is already being written.", 409, "CONFLICT");
    });
    await screen.findByText("Should I text her back?");
    fireEvent.click(screen.getByRole("button", { name: "Retry the coach's reply" }));
    await screen.findByText(/already being written/);
    expect(screen.getByRole("button", { name: "Retry the coach's reply" })).toBeTruthy();
  });

  it("shows nothing extra under a message whose reply is pending or was given", async () => {
    const api = fakeApi({
      "session.get": () => sessionDto(),
      "message.list": () => ({
        items: [
          messageDto({ id: "00000000-0000-4000-8000-0000000000d1", text: "waiting", replyStatus: "pending" }),
          messageDto({ id: "00000000-0000-4000-8000-0000000000d2", text: "answered", timestamp: 1_700_000_000_001 }),
        ],
        nextCursor: null,
      }),
    });
    render(api.wrap(<SessionPage sessionId={SESSION_ID} />));
    await screen.findByText("answered");
    expect(screen.queryByText("The coach could not answer.")).toBeNull();
    expect(screen.queryByRole("button", { name: "Retry the coach's reply" })).toBeNull();
  });
});
