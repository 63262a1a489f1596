// The usage notice near the composer: nothing below a limit's soft threshold, what is used and when
// it resets once past it (the limit nearest its end first), and dismissed it stays hidden for that
// period only, in this browser.
import type { TMyUsage } from "@lockstep/contracts";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeApi } from "../../../test/test-api.tsx";
import { UsageNotice } from "./usage-notice.tsx";

afterEach(cleanup);
beforeEach(() => localStorage.clear());

const RESETS = Date.UTC(2030, 0, 2);
type Limit = TMyUsage["limits"][number];
const limit = (overrides: Partial<Limit>): Limit => ({
  period: "daily",
  metric: "calls",
  amount: 10,
  softThreshold: 0.8,
  used: 0,
  resetsAt: RESETS,
  ...overrides,
});

function renderWith(limits: Limit[]) {
  const api = fakeApi({ "usage.mine": () => ({ rows: [], currency: "USD", limits }) });
  const view = render(api.wrap(<UsageNotice version={0} />));
  return { api, view };
}

describe("UsageNotice", () => {
  it("says nothing below the soft threshold", async () => {
    const { api } = renderWith([limit({ used: 7 })]);
    await waitFor(() => expect(api.calls.map((call) => call.path)).toContain("usage.mine"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("says what is used and when it resets, the limit nearest its end first", async () => {
    renderWith([limit({ used: 8 }), limit({ period: "monthly", amount: 100, used: 95 })]);
    const notice = await screen.findByRole("status");
    expect(notice.textContent).toContain("Nearing your usage limit.");
    expect(notice.textContent).toContain("You have used 95 of your 100 calls this month (95%); the limit resets at");
  });

  it("says when a limit is reached", async () => {
    renderWith([limit({ metric: "cost", amount: 5, used: 5 })]);
    const notice = await screen.findByRole("status");
    expect(notice.textContent).toContain("Usage limit reached. You have used all $5.00 of your daily limit");
    expect(notice.textContent).toContain("Replies and suggestions wait until then.");
  });

  it("stays dismissed for the period, and comes back for the next one", async () => {
    const first = renderWith([limit({ used: 9 })]);
    fireEvent.click(await screen.findByRole("button", { name: /Dismiss the daily calls notice/ }));
    expect(screen.queryByRole("status")).toBeNull();
    first.view.unmount();

    const again = renderWith([limit({ used: 9 })]);
    await waitFor(() => expect(again.api.calls.map((call) => call.path)).toContain("usage.mine"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByRole("status")).toBeNull();
    again.view.unmount();

    renderWith([limit({ used: 9, resetsAt: RESETS + 86_400_000 })]);
    expect((await screen.findByRole("status")).textContent).toContain("9 of your 10 calls today");
  });
});
