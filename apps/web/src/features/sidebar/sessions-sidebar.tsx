// The sessions sidebar on every signed-in page: new session, search and filters, and the person's
// sessions in keyset pages that load as the list scrolls (pinned first, then by last activity).
import { SESSION_STATUS_LABELS, type TSessionStatus, type TSessionType } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Spinner } from "@lockstep/ui/spinner";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useCallback, useId, useMemo, useState } from "react";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { useDebounced } from "@lockstep/ui/use-debounced";
import { MessageSearchResults } from "./message-search-results.tsx";
import { NewSessionDialog } from "./new-session-dialog.tsx";
import {
  EMPTY_FILTERS,
  orderSessions,
  SESSION_STATUSES,
  SESSION_TYPE_LABELS,
  SESSION_TYPES,
  type SessionFilters,
  sessionTitle,
  toListInput,
} from "./session-list.ts";
import { SessionRow } from "./session-row.tsx";
import { UndoToast } from "./undo-toast.tsx";
import { useSentinel } from "./use-sentinel.ts";
import { useSessionActions } from "./use-session-actions.ts";

const NAV_LINK =
  "rounded-lg px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white";
const SELECT =
  "min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-800 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";

export function SessionsSidebar() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<SessionFilters>(EMPTY_FILTERS);
  const [creating, setCreating] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const query = useDebounced(filters.query, 300);
  const input = toListInput({ ...filters, query });
  const ids = { status: useId(), type: useId() };

  const sessions = useInfiniteQuery(
    trpc.session.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      // The old rows stay while a new filter loads, rather than the list blinking to a spinner.
      placeholderData: keepPreviousData,
    }),
  );
  const rows = useMemo(() => orderSessions(sessions.data?.pages ?? []), [sessions.data]);
  const actions = useSessionActions();
  const [trashed, setTrashed] = useState<{ id: string; title: string } | null>(null);
  const dismissTrashed = useCallback(() => setTrashed(null), []);
  const sentinel = useSentinel<HTMLLIElement>(() => {
    if (sessions.hasNextPage && !sessions.isFetchingNextPage) void sessions.fetchNextPage();
  }, Boolean(sessions.hasNextPage));
  // From the filters the shown rows were asked with (the search settles after typing stops).
  const filtered = query.trim() !== "" || filters.status !== "all" || filters.type !== "all";

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="grid grid-cols-1 gap-3 border-b border-slate-200 p-3 dark:border-slate-800">
        {/* Stable ids: keyboard shortcuts focus these two. */}
        <Button id="new-session" onClick={() => setCreating(true)} className="w-full">
          <span aria-hidden="true">+</span> New session
        </Button>
        <nav aria-label="Pages" className="flex flex-wrap gap-1">
          <Link to="/" className={NAV_LINK} activeOptions={{ exact: true }}>
            Home
          </Link>
          <Link to="/collections" className={NAV_LINK}>
            Collections
          </Link>
          <Link to="/trash" className={NAV_LINK}>
            Trash
          </Link>
        </nav>
        <div role="search" className="grid grid-cols-1 gap-2">
          <label htmlFor="session-search" className="sr-only">
            Search sessions and messages
          </label>
          <input
            id="session-search"
            type="search"
            placeholder="Search sessions and messages"
            value={filters.query}
            onChange={(e) => setFilters({ ...filters, query: e.target.value })}
            className="w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
          />
          <div className="flex gap-2">
            <label htmlFor={ids.status} className="sr-only">
              Filter by status
            </label>
            <select
              id={ids.status}
              value={filters.status}
              onChange={(e) => setFilters({ ...filters, status: e.target.value as TSessionStatus | "all" })}
              className={SELECT}
            >
              <option value="all">All statuses</option>
              {SESSION_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {SESSION_STATUS_LABELS[status]}
                </option>
              ))}
            </select>
            <label htmlFor={ids.type} className="sr-only">
              Filter by kind
            </label>
            <select
              id={ids.type}
              value={filters.type}
              onChange={(e) => setFilters({ ...filters, type: e.target.value as TSessionType | "all" })}
              className={SELECT}
            >
              <option value="all">All kinds</option>
              {SESSION_TYPES.map((type) => (
                <option key={type} value={type}>
                  {SESSION_TYPE_LABELS[type]}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>

      <div className="relative min-h-0 flex-1 overflow-y-auto p-2">
        {actionError && (
          <div className="mb-2">
            <ErrorNotice title="That did not work" message={actionError} />
            <button type="button" className="mt-1 text-xs underline" onClick={() => setActionError(null)}>
              Dismiss
            </button>
          </div>
        )}
        {sessions.isPending ? (
          <Spinner label="Loading sessions…" className="p-3" />
        ) : sessions.isError ? (
          <ErrorNotice
            title="Sessions could not be loaded"
            message={describeAppError(sessions.error).message}
            onRetry={() => void sessions.refetch()}
            retrying={sessions.isFetching}
          />
        ) : rows.length === 0 ? (
          <p className="p-3 text-sm text-slate-600 dark:text-slate-400">
            {filtered ? "No session names match these filters." : "No sessions yet. Start one with a coach."}
          </p>
        ) : (
          <ul aria-label="Your sessions" aria-busy={sessions.isFetching} className="grid gap-0.5">
            {rows.map((session) => (
              <SessionRow
                key={session.id}
                session={session}
                actions={actions}
                onError={(error) => setActionError(describeAppError(error).message)}
                onTrashed={(trashedSession) =>
                  setTrashed({ id: trashedSession.id, title: sessionTitle(trashedSession) })
                }
              />
            ))}
            <li ref={sentinel} aria-hidden={!sessions.isFetchingNextPage} className="min-h-1">
              {sessions.isFetchingNextPage && <Spinner label="Loading more sessions…" className="p-3" />}
            </li>
          </ul>
        )}
        {/* Words inside messages, beside the names above: a search box people expect to search everything. */}
        {query.trim() ? <MessageSearchResults query={query.trim()} /> : null}
      </div>
      {trashed ? (
        <UndoToast
          message={`“${trashed.title}” moved to the trash.`}
          busy={actions.restore.isPending}
          onDismiss={dismissTrashed}
          onUndo={() =>
            actions.restore.mutate(
              { id: trashed.id },
              {
                onSuccess: dismissTrashed,
                onError: (error) => setActionError(describeAppError(error).message),
              },
            )
          }
        />
      ) : null}
      <NewSessionDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
