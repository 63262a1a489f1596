// Where focus goes when a session opens: to the composer once its data is ready, unless the person is
// already typing somewhere else (renaming a session in the sidebar), whose edit must not be ended.
import { cleanup, render, waitFor } from "@testing-library/react";
import { useRef } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { useFocusOnOpen } from "./session-focus.ts";

afterEach(cleanup);

function SessionView({ ready }: { ready: boolean }) {
  const section = useRef<HTMLElement>(null);
  useFocusOnOpen(section, ready);
  return (
    <>
      <input aria-label="New name" />
      <button type="button" aria-label="New session" />
      <section ref={section}>
        <textarea aria-label="Message" />
      </section>
    </>
  );
}

const byLabel = (label: string) => document.querySelector<HTMLElement>(`[aria-label="${label}"]`)!;

describe("useFocusOnOpen", () => {
  it("moves focus to the composer when the session is ready", async () => {
    const view = render(<SessionView ready={false} />);
    byLabel("New session").focus();
    view.rerender(<SessionView ready />);
    await waitFor(() => expect(document.activeElement).toBe(byLabel("Message")));
  });

  it("leaves focus in a field the person is typing in elsewhere", async () => {
    const view = render(<SessionView ready={false} />);
    byLabel("New name").focus();
    view.rerender(<SessionView ready />);
    // Long enough for every frame the hook tries.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(document.activeElement).toBe(byLabel("New name"));
  });
});
