// Under a person's message whose reply the coach gave up on: says so, and why, and offers Retry, which asks
// message.retryReply for the reply again. The state comes from the stored message, so it survives a reload.
import type { TMessageDto } from "@lockstep/contracts";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { useMutation } from "@tanstack/react-query";

export function ReplyFailed({
  message,
  onUpdated,
}: {
  message: TMessageDto;
  onUpdated: (message: TMessageDto) => void;
}) {
  const trpc = useTRPC();
  const retry = useMutation(trpc.message.retryReply.mutationOptions({ onSuccess: onUpdated }));
  return (
    <div
      role="alert"
      className="mt-1 flex flex-wrap items-center justify-end gap-x-2 gap-y-1 px-1 text-xs text-rose-700 dark:text-rose-300"
      data-reply-status="failed"
    >
      <span>The coach could not answer.</span>
      {message.replyError ? (
        <span data-reply-error className="text-rose-800 dark:text-rose-200">
          {message.replyError}
        </span>
      ) : null}
      <button
        type="button"
        className="-my-1 -mr-1.5 rounded px-1.5 py-1 font-medium underline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60"
        aria-label="Retry the coach's reply"
        disabled={retry.isPending}
        onClick={() => retry.mutate({ messageId: message.id })}
      >
        {retry.isPending ? "Retrying…" : "Retry"}
      </button>
      {retry.isError ? <span className="basis-full text-right">{describeAppError(retry.error).message}</span> : null}
    </div>
  );
}
