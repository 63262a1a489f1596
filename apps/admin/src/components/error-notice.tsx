// An error in words for operators: the server's reason and the fields at fault, with Retry when asked.
import { Button } from "@lockstep/ui/button";
import { describeAppError } from "@lockstep/ui/describe-app-error";

/** An error in words, with Retry when retrying can help (or when the caller insists). */
export function ErrorNotice({
  error,
  onRetry,
  title = "Something went wrong",
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const described = describeAppError(error, { audience: "operator" });
  return (
    <div
      role="alert"
      className="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-100"
    >
      <p className="font-semibold">{title}</p>
      <p className="mt-1 break-words">{described.message}</p>
      {Object.entries(described.fieldErrors).map(([field, messages]) => (
        <p key={field} className="mt-1 font-mono text-xs">
          {field}: {messages.join("; ")}
        </p>
      ))}
      {onRetry && (
        <Button variant="secondary" size="sm" className="mt-2" onClick={onRetry}>
          Retry
        </Button>
      )}
    </div>
  );
}
