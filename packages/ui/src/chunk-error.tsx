// When a part of an app fetched on demand cannot be loaded (a deploy replaced its file since the page
// opened, or the connection dropped), say so and offer a reload, which fetches the current build.
import { Component, type ReactNode } from "react";
import { Button } from "./button.tsx";

/** What browsers say when import() fails, and what Vite says when a chunk's stylesheet does. */
const CHUNK_LOAD_FAILURE =
  /Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed|Unable to preload CSS/i;

export function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  return CHUNK_LOAD_FAILURE.test(message);
}

export function ChunkLoadFailed({ className = "" }: { className?: string }) {
  return (
    <div
      role="alert"
      className={`rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950/50 ${className}`}
    >
      <p className="font-semibold text-amber-950 dark:text-amber-100">This part of the app could not be loaded</p>
      <p className="mt-1 text-amber-900 dark:text-amber-200">
        The app may have been updated since this page was opened, or the connection dropped. Reloading the page fetches
        the current version.
      </p>
      <Button variant="secondary" size="sm" className="mt-3" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </div>
  );
}

interface ChunkErrorBoundaryProps {
  children: ReactNode;
  className?: string;
  /** What to show instead of the plain notice (e.g. the notice inside the page's frame). */
  fallback?: ReactNode;
}

/** Shows ChunkLoadFailed when a lazy component below fails to load; any other error goes on up. */
export class ChunkErrorBoundary extends Component<ChunkErrorBoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === null) return this.props.children;
    if (isChunkLoadError(error)) return this.props.fallback ?? <ChunkLoadFailed className={this.props.className} />;
    // Not ours to handle: the next boundary up (a route's error view) shows it.
    throw error;
  }
}
