// Optimistic sends on the real session page: the message shows at once, a send lost on the network
// is retried with the same client-made id, and the message is shown exactly once throughout.
import type { TMessageDto } from "@lockstep/contracts";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { withLaidOutBoxes } from "../../../test/layout.ts";
import { SessionPage } from "./session-page.tsx";
import { fakeApi, messageDto, networkError, refusal, SESSION_ID, sessionDto } from "../../../test/test-api.tsx";

afterEach(cleanup);

withLaidOutBoxes();

type SendInput = { id: string; sessionId: string; text: string; author: string; reply: boolean };

function countText(text: string) {
  return screen.queryAllByText(text).length;
}

async function typeAndSend(text: string) {
  await screen.findByText(/Nothing here yet/);
  const box = screen.getByLabelText("Your message");
  fireEvent.change(box, { target: { value: text } });
  fireEvent.click(screen.getByRole("button", { name: "Send" }));
}

describe("optimistic send", () => {
  it("retries a send that failed on the network with the same id, and shows the message once", async () => {
    const stored = new Map<string, TMessageDto>();
    let failuresLeft = 2;
    const api = fakeApi({
      "session.get": () => sessionDto(),
      "message.list": () => ({ items: [...stored.values()], nextCursor: null }),
      "message.send": (input) => {
        const send = input as SendInput;
        // The first attempts reach the server and are stored, but their answers are lost on the way back.
        const message = stored.get(send.id) ?? messageDto({ id: send.id, text: send.text, author: "user" });
        stored.set(send.id, message);
        if (failuresLeft-- > 0) throw networkError();
        return message;
      },
    });
    render(api.wrap(<SessionPage sessionId={SESSION_ID} />));
    await typeAndSend("Are you free on Saturday?");

    // Shown at once, before any answer.
    expect(countText("Are you free on Saturday?")).toBe(1);
    await waitFor(() => expect(api.calls.filter((call) => call.path === "message.send")).toHaveLength(3), {
      timeout: 5000,
    });
    await waitFor(() => expect(document.querySelector("[data-outgoing-id]")).toBeNull());
    expect(countText("Are you free on Saturday?")).toBe(1);

    const sends = api.calls.filter((call) => call.path === "message.send").map((call) => call.input as SendInput);
    expect(new Set(sends.map((send) => send.id)).size).toBe(1);
    expect(sends[0]).toMatchObject({
      sessionId: SESSION_ID,
      text: "Are you free on Saturday?",
      author: "user",
      reply: true,
    });
    expect(stored.size).toBe(1);
  });

  it("keeps a failed send with Retry when the network stays down, and Retry reuses the id", async () => {
    let online = false;
    const api = fakeApi({
      "session.get": () => sessionDto(),
      "message.list": () => ({ items: [], nextCursor: null }),
      "message.send": (input) => {
        if (!online) throw networkError();
        const send = input as SendInput;
        return messageDto({ id: send.id, text: send.text, author: send.author as "user" });
      },
    });
    render(api.wrap(<SessionPage sessionId={SESSION_ID} />));
    await screen.findByText(/Nothing here yet/);
    // A pasted line from the contact, to see the author travel too.
    fireEvent.click(await screen.findByLabelText("Them (paste their message)"));
    fireEvent.change(screen.getByLabelText("What they said"), { target: { value: "sure, where?" } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));

    const alert = await screen.findByRole("alert", {}, { timeout: 20_000 });
    expect(alert.textContent).toMatch(/Not sent: Lockstep cannot be reached/);
    expect(countText("sure, where?")).toBe(1);

    online = true;
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(document.querySelector("[data-outgoing-id]")).toBeNull());
    expect(countText("sure, where?")).toBe(1);
    const sends = api.calls.filter((call) => call.path === "message.send").map((call) => call.input as SendInput);
    expect(sends.length).toBeGreaterThan(2);
    expect(new Set(sends.map((send) => send.id)).size).toBe(1);
    expect(sends.every((send) => send.author === "contact")).toBe(true);
  }, 30_000);

  it("does not retry a send the server refused", async () => {
    const api = fakeApi({
      "session.get": () => sessionDto(),
      "message.list": () => ({ items: [], nextCursor: null }),
      "message.send": () => {
        throw refusal("text must not be empty");
      },
    });
    render(api.wrap(<SessionPage sessionId={SESSION_ID} />));
    await typeAndSend("hello");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("text must not be empty");
    expect(api.calls.filter((call) => call.path === "message.send")).toHaveLength(1);
  });
});
