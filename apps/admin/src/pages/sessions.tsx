// Any person's sessions, soft-deleted ones included on request: filter by person, name, status and type.
import { SESSION_STATUS_LABELS, ZSessionStatusSchema, ZSessionTypeSchema } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, Empty, Loading, LoadMore, PageHeader, SelectField, TextField } from "../components/ui.tsx";
import { formatCount, formatDateTime } from "../lib/format.ts";
import { parseSessionSearch, type SessionSearch } from "../lib/list-search.ts";
import { sessionsRoute } from "../router.tsx";
import { useTRPC } from "@lockstep/ui/trpc";

export function SessionsPage() {
  const search = parseSessionSearch(sessionsRoute.useSearch());
  const navigate = useNavigate({ from: "/sessions" });
  const trpc = useTRPC();
  const [query, setQuery] = useState(search.query ?? "");
  const [userId, setUserId] = useState(search.userId ?? "");
  useEffect(() => {
    setQuery(search.query ?? "");
    setUserId(search.userId ?? "");
  }, [search.query, search.userId]);
  const apply = (patch: Partial<SessionSearch>) => void navigate({ search: (current) => ({ ...current, ...patch }) });
  const list = useInfiniteQuery(
    trpc.admin.sessions.list.infiniteQueryOptions(
      { ...search, includeDeleted: search.includeDeleted ?? true, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Sessions"
        description="Every person's sessions, deleted ones included. Open one to read its messages, restore it or purge it for good."
      />
      <Card className="mb-4">
        <form
          role="search"
          aria-label="Find sessions"
          className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_10rem_9rem_auto]"
          onSubmit={(event) => {
            event.preventDefault();
            apply({ query: query.trim() || undefined, userId: userId.trim() || undefined });
          }}
        >
          <TextField
            label="Session name"
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <TextField label="User id" value={userId} onChange={(event) => setUserId(event.target.value)} />
          <SelectField
            label="Status"
            anyLabel="Any status"
            options={ZSessionStatusSchema.options.map((value) => ({ value, label: SESSION_STATUS_LABELS[value] }))}
            value={search.status ?? ""}
            onChange={(event) => apply({ status: (event.target.value || undefined) as SessionSearch["status"] })}
          />
          <SelectField
            label="Type"
            anyLabel="Any type"
            options={ZSessionTypeSchema.options}
            value={search.type ?? ""}
            onChange={(event) => apply({ type: (event.target.value || undefined) as SessionSearch["type"] })}
          />
          <div className="flex items-end gap-3">
            <label className="flex min-h-10 items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4"
                checked={search.includeDeleted ?? true}
                onChange={(event) => apply({ includeDeleted: event.target.checked })}
              />
              Include deleted
            </label>
            <Button type="submit">Search</Button>
          </div>
        </form>
      </Card>
      <Card>
        {list.isPending ? (
          <Loading label="Loading sessions…" />
        ) : list.isError ? (
          <ErrorNotice error={list.error} title="Cannot list sessions" onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <Empty>No session matches.</Empty>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Sessions">
            {rows.map((session) => (
              <li key={session.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-3 text-sm">
                <Link
                  to="/sessions/$id"
                  params={{ id: session.id }}
                  className="min-w-0 flex-1 font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  {session.name ?? "Untitled session"}
                </Link>
                <span className="flex flex-wrap gap-1">
                  <Badge>{SESSION_STATUS_LABELS[session.status]}</Badge>
                  <Badge>{session.type}</Badge>
                  {session.deletedAt !== null && <Badge tone="bad">deleted</Badge>}
                </span>
                <span className="w-full text-xs text-slate-500 sm:w-auto dark:text-slate-400">
                  {session.userEmail} · {formatCount(session.messageCount)} messages ·{" "}
                  {formatDateTime(session.lastActivity)}
                </span>
              </li>
            ))}
          </ul>
        )}
        <LoadMore pages={list} />
      </Card>
    </>
  );
}
