// The health card's states, rendered from plain props: what a person reads in each.
import type { THealthDto } from "@lockstep/contracts";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { describeHealthError, HealthCard } from "./health-card.tsx";

afterEach(cleanup);

function healthDto(overrides: Partial<THealthDto> = {}): THealthDto {
  return {
    status: "ok",
    version: "0.1.0",
    database: { reachable: true, runtime: "pglite", migrations: { applied: 3, pending: [], current: true } },
    time: Date.UTC(2025, 0, 1, 12, 0, 0),
    ...overrides,
  };
}

describe("HealthCard", () => {
  it("shows ok, the version, the runtime and the migration counts", () => {
    const { container } = render(<HealthCard state="ready" health={healthDto()} />);
    expect(screen.getByRole("heading", { name: "Service health" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Everything is working.");
    expect(container.querySelector("[data-health-status]")?.getAttribute("data-health-status")).toBe("ok");
    const card = container.textContent ?? "";
    expect(card).toContain("Status: ok");
    expect(card).toContain("0.1.0");
    expect(card).toContain("pglite");
    expect(card).toContain("embedded database");
    expect(card).toContain("3 applied");
    expect(card).toContain("0 pending");
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
  });

  it("shows degraded with the names of the pending migrations", () => {
    const health = healthDto({
      status: "degraded",
      database: {
        reachable: true,
        runtime: "postgres",
        migrations: { applied: 2, pending: ["20250101000000_add_uploads"], current: false },
      },
    });
    const { container } = render(<HealthCard state="ready" health={health} />);
    const card = container.textContent ?? "";
    expect(card).toContain("Status: degraded");
    expect(screen.getByRole("status").textContent).toMatch(/database needs attention/);
    expect(card).toContain("postgres");
    expect(card).toContain("PostgreSQL server");
    expect(card).toContain("2 applied");
    expect(card).toContain("1 pending");
    expect(screen.getByRole("listitem").textContent).toBe("20250101000000_add_uploads");
  });

  it("says when the database is not reachable", () => {
    const health = healthDto({
      status: "degraded",
      database: { reachable: false, runtime: "pglite", migrations: { applied: 0, pending: [], current: false } },
    });
    const { container } = render(<HealthCard state="ready" health={health} />);
    expect(container.textContent).toContain("not reachable");
  });

  it("shows an error with a Retry button that calls back", () => {
    const onRetry = vi.fn();
    const error = describeHealthError(new TypeError("Failed to fetch"));
    const { container } = render(<HealthCard state="error" error={error} onRetry={onRetry} />);
    expect(container.textContent).toContain("Status: unreachable");
    expect(screen.getByRole("status").textContent).toMatch(/cannot be reached/);
    expect(container.textContent).toContain("Failed to fetch");
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it("disables Retry while a retry is in flight", () => {
    render(<HealthCard state="error" error={{ message: "down" }} retrying onRetry={() => {}} />);
    const button = screen.getByRole("button", { name: "Retrying…" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
  });

  it("announces that it is checking while loading", () => {
    const { container } = render(<HealthCard state="loading" />);
    expect(screen.getByRole("status").textContent).toMatch(/Checking/);
    expect(container.querySelector("section")?.getAttribute("aria-busy")).toBe("true");
  });
});

describe("describeHealthError", () => {
  it("tells a server that answered with an error from one that did not answer", () => {
    const answered = Object.assign(new Error("Internal error"), { data: { httpStatus: 500 } });
    expect(describeHealthError(answered)).toEqual({
      message: "The Lockstep API answered with an error (HTTP 500).",
      detail: "Internal error",
    });
    expect(describeHealthError(new TypeError("Failed to fetch")).message).toMatch(/cannot be reached/);
  });
});
