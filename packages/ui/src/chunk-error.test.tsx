// A lazy part that fails to load: the boundary offers a reload for a failed chunk (a real rejected
// import() through React.lazy) and leaves every other error to the boundary above it.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { Component, lazy, type ReactNode, Suspense } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChunkErrorBoundary, isChunkLoadError } from "./chunk-error.tsx";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** What the next boundary up would show, to see that an error went past the chunk boundary. */
class Outer extends Component<{ children: ReactNode }, { message: string | null }> {
  override state = { message: null as string | null };
  static getDerivedStateFromError(error: unknown) {
    return { message: error instanceof Error ? error.message : String(error) };
  }
  override render() {
    return this.state.message === null ? this.props.children : <p>outer: {this.state.message}</p>;
  }
}

function lazyFailing(error: Error) {
  return lazy(() => Promise.reject(error));
}

describe("isChunkLoadError", () => {
  it("knows the messages of Chromium, Firefox and Safari and of Vite's CSS preload, and nothing else", () => {
    for (const message of [
      "Failed to fetch dynamically imported module: http://x/assets/page-1.js",
      "error loading dynamically imported module: http://x/assets/page-1.js",
      "Importing a module script failed.",
      "Unable to preload CSS for /assets/page-1.css",
    ])
      expect(isChunkLoadError(new TypeError(message)), message).toBe(true);
    expect(isChunkLoadError(new Error("UNAUTHORIZED"))).toBe(false);
    expect(isChunkLoadError(null)).toBe(false);
  });
});

describe("ChunkErrorBoundary", () => {
  it("offers a reload when a lazy part's code cannot be fetched, and reloads on click", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const reload = vi.fn();
    vi.spyOn(window, "location", "get").mockReturnValue({ ...window.location, reload });
    const Page = lazyFailing(new TypeError("Failed to fetch dynamically imported module: /assets/page-1.js"));
    render(
      <Outer>
        <ChunkErrorBoundary>
          <Suspense fallback={<p>loading</p>}>
            <Page />
          </Suspense>
        </ChunkErrorBoundary>
      </Outer>,
    );
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("This part of the app could not be loaded");
    expect(screen.queryByText(/^outer:/)).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Reload" }));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it("passes any other error up to the boundary above", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const Page = lazyFailing(new Error("the page threw while loading its data"));
    render(
      <Outer>
        <ChunkErrorBoundary>
          <Suspense fallback={<p>loading</p>}>
            <Page />
          </Suspense>
        </ChunkErrorBoundary>
      </Outer>,
    );
    expect((await screen.findByText(/^outer:/)).textContent).toBe("outer: the page threw while loading its data");
    expect(screen.queryByRole("button", { name: "Reload" })).toBeNull();
  });
});
