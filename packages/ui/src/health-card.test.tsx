// The health card's states, rendered from plain props: what a person or an operator reads in each.
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

/** The text of the definition that follows a term, e.g. "Version" -> "0.1.0". */
function fact(term: string): string | null {
  const dt = screen.getByText(term, { selector: "dt" });
  return dt.nextElementSibling?.textContent ?? null;
}

describe("HealthCard", () => {
  it("shows ok, the version, the runtime, reachability and the migration counts", () => {
    const { container } = render(<HealthCard state="ready" health={healthDto()} />);
    expect(screen.getByRole("heading", { name: "API & database health" })).toBeTruthy();
    expect(container.textContent).toContain("Status: ok");
    expect(screen.getByRole("status").textContent).toMatch(/healthy/);
    expect(fact("Version")).toBe("0.1.0");
    expect(fact("Database runtime")).toBe("pglite (embedded PGlite)");
    expect(fact("Database reachable")).toBe("yes");
    expect(fact("Migrations")).toBe("3 applied, 0 pending");
    expect(screen.queryByText("Pending", { selector: "dt" })).toBeNull();
  });

  it("shows degraded, an unreachable database and each pending migration", () => {
    const health = healthDto({
      status: "degraded",
      database: {
        reachable: false,
        runtime: "postgres",
        migrations: { applied: 1, pending: ["20250101000000_add_uploads", "20250102000000_audit_log"], current: false },
      },
    });
    const { container } = render(<HealthCard state="ready" health={health} />);
    expect(container.textContent).toContain("Status: degraded");
    expect(screen.getByRole("status").textContent).toMatch(/not current/);
    expect(fact("Database runtime")).toBe("postgres (PostgreSQL server)");
    expect(fact("Database reachable")).toBe("no");
    expect(fact("Migrations")).toBe("1 applied, 2 pending");
    expect(screen.getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "20250101000000_add_uploads",
      "20250102000000_audit_log",
    ]);
  });

  it("flags a history that is not current even with nothing pending", () => {
    const health = healthDto({
      status: "degraded",
      database: { reachable: true, runtime: "pglite", migrations: { applied: 3, pending: [], current: false } },
    });
    render(<HealthCard state="ready" health={health} />);
    expect(fact("Migrations")).toBe("3 applied, 0 pending (history not current)");
  });

  it("shows an error with a Retry button that calls back", () => {
    const onRetry = vi.fn();
    const { container } = render(
      <HealthCard state="error" error={describeHealthError(new TypeError("Failed to fetch"))} onRetry={onRetry} />,
    );
    expect(container.textContent).toContain("Status: unreachable");
    expect(screen.getByRole("status").textContent).toMatch(/cannot be reached/);
    expect(container.textContent).toContain("Failed to fetch");
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it("says the API answered when the error carries an HTTP status", () => {
    const error = describeHealthError(Object.assign(new Error("Internal error"), { data: { httpStatus: 500 } }));
    render(<HealthCard state="error" error={error} retrying onRetry={() => {}} />);
    expect(screen.getByRole("status").textContent).toMatch(/HTTP 500/);
    expect((screen.getByRole("button", { name: "Retrying…" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("announces that it is checking while loading", () => {
    render(<HealthCard state="loading" />);
    expect(screen.getByRole("status").textContent).toMatch(/Checking/);
  });
});
