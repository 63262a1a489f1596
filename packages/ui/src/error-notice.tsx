// What went wrong, in words, with a Retry where trying again can help; announced to screen readers.
import { Button } from "./button.tsx";

export interface ErrorNoticeProps {
  title?: string;
  message: string;
  onRetry?: () => void;
  retrying?: boolean;
  className?: string;
}

export function ErrorNotice({
  title = "Something went wrong",
  message,
  onRetry,
  retrying = false,
  className = "",
}: ErrorNoticeProps) {
  return (
    <div
      role="alert"
      className={`rounded-xl border border-rose-200 bg-rose-50 p-4 text-sm dark:border-rose-900 dark:bg-rose-950/60 ${className}`}
    >
      <p className="font-semibold text-rose-900 dark:text-rose-100">{title}</p>
      <p className="mt-1 break-words text-rose-800 dark:text-rose-200">{message}</p>
      {onRetry && (
        <Button variant="secondary" size="sm" className="mt-3" busy={retrying} onClick={onRetry}>
          {retrying ? "Retrying…" : "Retry"}
        </Button>
      )}
    </div>
  );
}
