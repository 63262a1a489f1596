// What a route shows when it has nothing to show: an unknown address, or a load that failed.
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { type ErrorComponentProps, Link, useRouter } from "@tanstack/react-router";
import { describeAppError } from "@lockstep/ui/describe-app-error";

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
  const described = describeAppError(error);
  return (
    <div className="mx-auto max-w-xl p-6">
      <ErrorNotice
        title="This page could not be loaded"
        message={described.message}
        onRetry={() => {
          reset();
          void router.invalidate();
        }}
      />
    </div>
  );
}
