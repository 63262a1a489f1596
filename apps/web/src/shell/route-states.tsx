// What a route shows when it has nothing to show: an unknown address, or a load that failed. These are
// in the first download, so the words for a failure (they need the contracts' error codes) are fetched
// only when one happens; a page whose own code could not be fetched offers a reload instead.
import { ChunkErrorBoundary, ChunkLoadFailed, isChunkLoadError } from "@lockstep/ui/chunk-error";
import { Spinner } from "@lockstep/ui/spinner";
import { type ErrorComponentProps, Link, useRouter } from "@tanstack/react-router";
import { lazy, Suspense } from "react";

const RouteErrorNotice = lazy(() => import("./route-error-notice.tsx"));

export function NotFound() {
  return (
    <div className="mx-auto max-w-xl p-6">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">There is nothing at this address.</p>
      <Link to="/" className="mt-4 inline-block text-sm font-medium text-indigo-700 underline dark:text-indigo-300">
        Go to the start page
      </Link>
    </div>
  );
}

export function RouteError({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  return (
    <div className="mx-auto max-w-xl p-6">
      {isChunkLoadError(error) ? (
        <ChunkLoadFailed />
      ) : (
        <ChunkErrorBoundary>
          <Suspense fallback={<Spinner />}>
            <RouteErrorNotice
              error={error}
              onRetry={() => {
                reset();
                void router.invalidate();
              }}
            />
          </Suspense>
        </ChunkErrorBoundary>
      )}
    </div>
  );
}
