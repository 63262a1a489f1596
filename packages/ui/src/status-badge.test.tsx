// Every status shows the contract's human label, never the wire value.
import { SESSION_STATUS_LABELS, type TSessionStatus } from "@lockstep/contracts";
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { StatusBadge } from "./status-badge.tsx";

afterEach(cleanup);

describe("StatusBadge", () => {
  it("shows the label of each of the seven statuses", () => {
    const statuses = Object.keys(SESSION_STATUS_LABELS) as TSessionStatus[];
    expect(statuses).toHaveLength(7);
    for (const status of statuses) {
      const { container, unmount } = render(<StatusBadge status={status} />);
      expect(container.textContent).toBe(`Status: ${SESSION_STATUS_LABELS[status]}`);
      expect(container.querySelector("[data-session-status]")?.getAttribute("data-session-status")).toBe(status);
      unmount();
    }
  });
});
