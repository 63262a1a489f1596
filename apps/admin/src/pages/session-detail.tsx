// One session of any person, read-only: its facts and messages (oldest first), and restoring a
// soft-deleted session or purging it with its messages for good (asked first).
import { SESSION_STATUS_LABELS } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, ConfirmAction, Fact, Loading, LoadMore, PageHeader } from "../components/ui.tsx";
import { formatCount, formatDateTime } from "../lib/format.ts";
import { sessionRoute } from "../router.tsx";
import { useTRPC } from "@lockstep/ui/trpc";

const AUTHOR_STYLE: Record<string, string> = {
  user: "ml-auto bg-indigo-600 text-white",
  contact: "bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-slate-100",
  ai: "border border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-100",
};

export function SessionDetailPage() {
  const { id } = sessionRoute.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const session = useQuery(trpc.admin.sessions.get.queryOptions({ id }));
  const messages = useInfiniteQuery(
    trpc.admin.sessions.messages.infiniteQueryOptions(
      { id, limit: 100 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.admin.sessions.pathKey() });
  };
  const restore = useMutation(trpc.admin.sessions.restore.mutationOptions({ onSuccess: refresh }));
  const purge = useMutation(
    trpc.admin.sessions.purge.mutationOptions({
      onSuccess: () => {
        refresh();
        void navigate({ to: "/sessions" });
      },
    }),
  );

  const back = (
    <Link to="/sessions" className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
      ← All sessions
    </Link>
  );
  if (session.isPending) return <Loading label="Loading the session…" />;
  if (session.isError) {
    return (
      <>
        {back}
        <div className="mt-4">
          <ErrorNotice error={session.error} title="Cannot load this session" onRetry={() => void session.refetch()} />
        </div>
      </>
    );
  }
  const s = session.data;
  const items = messages.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      {back}
      <div className="mt-3">
        <PageHeader
          title={s.name ?? "Untitled session"}
          description={<span className="font-mono text-xs">{s.id}</span>}
          actions={
            <span className="flex flex-wrap gap-1">
              <Badge>{SESSION_STATUS_LABELS[s.status]}</Badge>
              {s.deletedAt !== null && <Badge tone="bad">deleted {formatDateTime(s.deletedAt)}</Badge>}
            </span>
          }
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-[24rem_1fr]">
        <div className="grid content-start gap-4">
          <Card title="Session">
            <dl className="divide-y divide-slate-100 dark:divide-slate-800">
              <Fact term="Person">
                <Link
                  to="/users/$id"
                  params={{ id: s.userId }}
                  className="text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  {s.userEmail}
                </Link>
              </Fact>
              <Fact term="Type">{s.type}</Fact>
              <Fact term="Messages">{formatCount(s.messageCount)}</Fact>
              <Fact term="Created">{formatDateTime(s.createdAt)}</Fact>
              <Fact term="Last activity">{formatDateTime(s.lastActivity)}</Fact>
              <Fact term="Ended">{formatDateTime(s.endedAt)}</Fact>
              {s.errorReason && <Fact term="Error">{s.errorReason}</Fact>}
              <Fact term="AI calls">
                <Link
                  to="/interactions"
                  search={{ sessionId: s.id }}
                  className="text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  This session's interactions
                </Link>
              </Fact>
            </dl>
          </Card>
          <Card title="Actions">
            <div className="grid gap-3">
              {(restore.isError || purge.isError) && (
                <ErrorNotice error={restore.error ?? purge.error} title="The action failed" />
              )}
              {s.deletedAt !== null && (
                <Button variant="secondary" busy={restore.isPending} onClick={() => restore.mutate({ id: s.id })}>
                  Restore session
                </Button>
              )}
              <ConfirmAction
                label="Purge for good"
                confirmLabel="Yes, purge"
                consequence={`This deletes the session and its ${formatCount(s.messageCount)} messages permanently; it cannot be restored.`}
                busy={purge.isPending}
                onConfirm={() => purge.mutate({ id: s.id })}
              />
            </div>
          </Card>
        </div>
        <Card title="Messages (read-only)">
          {messages.isPending ? (
            <Loading label="Loading messages…" />
          ) : messages.isError ? (
            <ErrorNotice
              error={messages.error}
              title="Cannot load the messages"
              onRetry={() => void messages.refetch()}
            />
          ) : items.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">No messages.</p>
          ) : (
            <ol className="flex flex-col gap-2" aria-label="Messages">
              {items.map((message) => (
                <li
                  key={message.id}
                  className={`max-w-[85%] rounded-xl px-3 py-2 text-sm ${AUTHOR_STYLE[message.author] ?? ""}`}
                >
                  <p className="text-xs opacity-75">
                    {message.author}
                    {message.builtIn ? " (built-in)" : ""} · {formatDateTime(message.timestamp)}
                  </p>
                  {message.title && <p className="font-semibold">{message.title}</p>}
                  <p className="break-words whitespace-pre-wrap">{message.text}</p>
                  {message.analysis && <p className="mt-1 text-xs opacity-80">Why: {message.analysis}</p>}
                </li>
              ))}
            </ol>
          )}
          <LoadMore pages={messages} label="Load more messages" />
        </Card>
      </div>
    </>
  );
}
