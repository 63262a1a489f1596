// The trash: sessions moved out of the sidebar, which can be restored or purged for good.
import { type TSessionDto } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { ConfirmDialog } from "@lockstep/ui/dialog";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Spinner } from "@lockstep/ui/spinner";
import { StatusBadge } from "@lockstep/ui/status-badge";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { EMPTY_FILTERS, orderSessions, sessionTitle, toListInput } from "./session-list.ts";
import { useSentinel } from "./use-sentinel.ts";
import { useSessionActions } from "./use-session-actions.ts";

export function TrashPage() {
  const trpc = useTRPC();
  const trash = useInfiniteQuery(
    trpc.session.list.infiniteQueryOptions(toListInput(EMPTY_FILTERS, { trash: true }), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
  const rows = useMemo(() => orderSessions(trash.data?.pages ?? []), [trash.data]);
  const actions = useSessionActions();
  const [purging, setPurging] = useState<TSessionDto | null>(null);
  const sentinel = useSentinel<HTMLDivElement>(() => {
    if (trash.hasNextPage && !trash.isFetchingNextPage) void trash.fetchNextPage();
  }, Boolean(trash.hasNextPage));
  const failure = actions.restore.error ?? actions.purge.error;

  return (
    <div className="mx-auto max-w-3xl p-4 sm:p-6">
      <h1 className="text-2xl font-bold tracking-tight">Trash</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Sessions you moved to the trash. Restore one to bring it back to the sidebar, or delete it forever with its
        messages.
      </p>
      {failure && (
        <ErrorNotice className="mt-4" title="That did not work" message={describeAppError(failure).message} />
      )}
      <div className="mt-6">
        {trash.isPending ? (
          <Spinner label="Loading the trash…" />
        ) : trash.isError ? (
          <ErrorNotice
            title="The trash could not be loaded"
            message={describeAppError(trash.error).message}
            onRetry={() => void trash.refetch()}
          />
        ) : rows.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            The trash is empty.
          </p>
        ) : (
          <ul
            aria-label="Sessions in the trash"
            className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
          >
            {rows.map((session) => {
              const title = sessionTitle(session);
              return (
                <li
                  key={session.id}
                  className="flex flex-wrap items-center gap-3 p-3 sm:p-4"
                  data-session-id={session.id}
                >
                  <div className="min-w-0 flex-1">
                    <p className="truncate font-medium">{title}</p>
                    <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
                      <StatusBadge status={session.status} />
                      {session.deletedAt !== null && (
                        <span>Deleted {new Date(session.deletedAt).toLocaleString()}</span>
                      )}
                    </p>
                  </div>
                  <div className="flex gap-2">
                    <Button
                      variant="secondary"
                      size="sm"
                      aria-label={`Restore ${title}`}
                      busy={actions.restore.isPending && actions.restore.variables.id === session.id}
                      onClick={() => actions.restore.mutate({ id: session.id })}
                    >
                      Restore
                    </Button>
                    <Button
                      variant="danger"
                      size="sm"
                      aria-label={`Delete ${title} forever`}
                      onClick={() => setPurging(session)}
                    >
                      Delete forever
                    </Button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        <div ref={sentinel} aria-hidden="true" className="h-1" />
      </div>
      <ConfirmDialog
        open={purging !== null}
        title="Delete this session forever?"
        confirmLabel="Delete forever"
        danger
        busy={actions.purge.isPending}
        onCancel={() => setPurging(null)}
        onConfirm={() => {
          if (!purging) return;
          actions.purge.mutate({ id: purging.id }, { onSuccess: () => setPurging(null) });
        }}
      >
        <p>
          “{purging ? sessionTitle(purging) : ""}” and all its messages and suggestions will be deleted. This cannot be
          undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
