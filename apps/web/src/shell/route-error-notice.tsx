// The words for a route whose load failed: the server's reason when it gave one, and a Retry.
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { ErrorNotice } from "@lockstep/ui/error-notice";

export default function RouteErrorNotice({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <ErrorNotice title="This page could not be loaded" message={describeAppError(error).message} onRetry={onRetry} />
  );
}
