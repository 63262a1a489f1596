// The session page: the conversation (virtualised history, streamed reply, optimistic sends), the
// status and its legal actions, suggestions as cards, and for screenshot sessions the upload,
// OCR wait and verification steps. Mounted lazily by the router at /sessions/$sessionId.
import { SESSION_STATUS_LABELS, type TMessageDto, type TSessionDto, type TSessionStatus } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { useTRPC, useTRPCClient } from "@lockstep/ui/trpc";
import { Composer } from "./composer.tsx";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { ConversationControlsContext } from "./message-actions.tsx";
import { MessageHistory } from "./message-history.tsx";
import { dropFrom, flattenPages, type MessagePages, upsertMessages } from "./messages-cache.ts";
import { useSendOutbox } from "./send-outbox.ts";
import { useSessionStream } from "./session-stream.ts";
import { type StatusAction, StatusActions, statusActionsFor } from "./status-actions.tsx";
import { ScreenshotFlow, screenshotStepActive } from "./screenshot-flow.tsx";
import { StreamTail } from "./stream-tail.ts";
import { BuiltinCoachNotice } from "./builtin-coach-notice.tsx";
import { UsageNotice } from "./usage-notice.tsx";
import { useFocusOnOpen, useFocusSuggestions } from "./session-focus.ts";

export const HISTORY_PAGE_SIZE = 50;

export function SessionPage({ sessionId, focusMessageId }: { sessionId: string; focusMessageId?: string | undefined }) {
  const trpc = useTRPC();
  const session = useQuery({
    ...trpc.session.get.queryOptions({ id: sessionId }),
    // While the server works in the background (OCR, analysis) a poll backs up the stream's status events.
    refetchInterval: (query) => (query.state.data?.status === "analysis_in_progress" ? 3000 : false),
  });

  if (session.isPending) {
    return (
      <section aria-busy="true" className="p-6">
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          Loading the session…
        </p>
      </section>
    );
  }
  if (session.isError) {
    const described = describeAppError(session.error);
    return (
      <section className="p-6">
        <h1 className="text-xl font-semibold">This session could not be opened</h1>
        <p role="alert" className="mt-2 text-sm text-rose-700 dark:text-rose-300">
          {described.message}
        </p>
        {described.retryable ? (
          <Button className="mt-3" onClick={() => void session.refetch()}>
            Retry
          </Button>
        ) : null}
      </section>
    );
  }
  return <SessionView key={sessionId} session={session.data} focusMessageId={focusMessageId} />;
}

export default SessionPage;

function SessionView({ session, focusMessageId }: { session: TSessionDto; focusMessageId?: string | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessionId = session.id;
  // Memoised so the callbacks below (and the memoised rows they reach) stay the same across renders.
  const sessionKey = useMemo(() => trpc.session.get.queryKey({ id: sessionId }), [trpc, sessionId]);
  const listInput = useMemo(() => ({ sessionId, limit: HISTORY_PAGE_SIZE, direction: "older" as const }), [sessionId]);
  const historyKey = useMemo(() => trpc.message.list.infiniteQueryKey(listInput), [trpc, listInput]);
  const client = useTRPCClient();
  // Written out rather than trpc.message.list.infiniteQueryOptions: tRPC's infinite queries add their
  // own `direction` ("forward") to the input, which collides with message.list's `direction` field.
  // The key is still tRPC's own, so invalidations through the proxy reach it.
  const history = useInfiniteQuery({
    queryKey: historyKey,
    queryFn: ({ pageParam, signal }) => client.message.list.query({ ...listInput, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const messages = useMemo(() => flattenPages(history.data), [history.data]);

  const [tail] = useState(() => new StreamTail());
  useEffect(() => () => tail.dispose(), [tail]);
  // A stream opened later replays what the server still buffers; messages already shown are skipped.
  useEffect(() => tail.markFinished(messages.map((message) => message.id)), [messages, tail]);

  const upsert = useCallback(
    (incoming: readonly TMessageDto[]) =>
      queryClient.setQueryData<MessagePages>(historyKey, (data) => upsertMessages(data, incoming)),
    [queryClient, historyKey],
  );
  // The sidebar lists sessions with their status badges; a status move here must show there too.
  const refreshSessionLists = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: trpc.session.list.pathKey() }),
    [queryClient, trpc],
  );
  const setStatus = useCallback(
    (status: TSessionStatus, errorReason: string | null) => {
      queryClient.setQueryData<TSessionDto>(sessionKey, (current) =>
        current ? { ...current, status, errorReason } : current,
      );
      refreshSessionLists();
    },
    [queryClient, sessionKey, refreshSessionLists],
  );
  const stream = useSessionStream(sessionId, tail, { onMessage: (message) => upsert([message]), onStatus: setStatus });
  const onUpdated = useCallback(
    (message: TMessageDto) => {
      // A retried reply streams under the id of the one that failed: let its tokens show again.
      if (message.replyStatus === "pending") tail.reopenFailed();
      upsert([message]);
    },
    [upsert, tail],
  );
  const { outbox, send, retry, discard } = useSendOutbox(sessionId, onUpdated);
  const shownOutbox = useMemo(() => {
    const known = new Set(messages.map((message) => message.id));
    return outbox.filter((entry) => !known.has(entry.id));
  }, [messages, outbox]);

  const sectionRef = useRef<HTMLElement>(null);
  const focusSuggestions = useFocusSuggestions(sectionRef);
  // One reply at a time: while one is owed, streaming or being sent for, the composer waits, Get
  // suggestions waits (its cards would land above the reply), and Stop is offered.
  const tailActive = useSyncExternalStore(tail.subscribe, () => tail.getSnapshot().entries.length > 0);
  const replying =
    tailActive ||
    messages.some((message) => message.replyStatus === "pending") ||
    shownOutbox.some((entry) => entry.state === "sending");
  const stop = useMutation(trpc.message.stop.mutationOptions());
  const { mutate: stopMutate, reset: stopReset } = stop;
  const requestStop = useCallback(() => stopMutate({ sessionId }), [stopMutate, sessionId]);
  // The next reply starts with a fresh Stop.
  useEffect(() => {
    if (!replying) stopReset();
  }, [replying, stopReset]);
  useEffect(() => {
    if (!replying) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) requestStop();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [replying, requestStop]);
  const branchChanged = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: historyKey }),
    [queryClient, historyKey],
  );
  const replaced = useCallback(
    (replacedId: string, incoming: TMessageDto) => {
      queryClient.setQueryData<MessagePages>(historyKey, (data) => dropFrom(data, replacedId));
      onUpdated(incoming);
    },
    [queryClient, historyKey, onUpdated],
  );
  const controls = useMemo(() => ({ replying, branchChanged, replaced }), [replying, branchChanged, replaced]);

  const [actionError, setActionError] = useState<{ message: string; action: StatusAction; retry: boolean } | null>(
    null,
  );
  const afterSession = (next: TSessionDto) => {
    queryClient.setQueryData(sessionKey, next);
    refreshSessionLists();
  };
  const analyze = useMutation(
    trpc.session.analyze.mutationOptions({
      onSuccess: ({ session: next, suggestions }) => {
        afterSession(next);
        upsert(suggestions);
        focusSuggestions(suggestions.map((suggestion) => suggestion.id));
      },
    }),
  );
  const transition = useMutation(trpc.session.transition.mutationOptions({ onSuccess: afterSession }));
  const end = useMutation(
    trpc.session.end.mutationOptions({
      onSuccess: (next) => {
        afterSession(next);
        // Ending counts on the coach's engagement and may add memories.
        void queryClient.invalidateQueries({ queryKey: trpc.engagement.pathKey() });
      },
    }),
  );
  const runAction = (action: StatusAction) => {
    setActionError(null);
    const onError = (error: unknown) => {
      const described = describeAppError(error);
      // A usage limit stays reached until it resets: retrying at once would only be refused again.
      setActionError({ message: described.message, action, retry: described.appCode !== "USAGE_LIMIT_REACHED" });
      void queryClient.invalidateQueries({ queryKey: sessionKey });
    };
    if (action.kind === "analyze") analyze.mutate({ id: sessionId }, { onError });
    else if (action.kind === "end") end.mutate({ id: sessionId }, { onError });
    else transition.mutate({ id: sessionId, to: action.to }, { onError });
  };

  // Decided once the history is known, so a finished screenshot session never flashes its upload step.
  const showScreenshotSteps = !history.isPending && screenshotStepActive(session, messages.length > 0);
  const actions = statusActionsFor(session.status, session.type, messages.length > 0, session.endedAt !== null);
  const busy =
    analyze.isPending || transition.isPending || end.isPending || session.status === "analysis_in_progress" || replying;
  useFocusOnOpen(sectionRef, !history.isPending);
  const builtInAnswered = messages.some((message) => message.author === "ai" && message.builtIn);

  return (
    <section
      ref={sectionRef}
      aria-labelledby="session-title"
      className="flex h-full min-h-0 flex-col"
      data-session-status={session.status}
    >
      <header className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-slate-200 px-3 py-3 sm:px-6 dark:border-slate-800">
        <div className="mr-auto min-w-0">
          <h1
            id="session-title"
            tabIndex={-1}
            className="truncate text-lg font-semibold text-slate-900 dark:text-slate-100"
          >
            {session.name ?? (session.type === "screenshot" ? "Screenshot session" : "Text session")}
          </h1>
          <p className="flex flex-wrap items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
            <StatusBadge status={session.status} />
            {stream.status === "connecting" && stream.error ? <span role="status">Reconnecting…</span> : null}
          </p>
        </div>
        <StatusActions actions={actions} busy={busy} onAction={runAction} />
      </header>

      {builtInAnswered ? <BuiltinCoachNotice /> : null}
      {session.status === "error" && session.errorReason ? (
        <p
          role="alert"
          className="mx-3 mt-3 rounded-xl bg-rose-50 px-3 py-2 text-sm text-rose-800 sm:mx-6 dark:bg-rose-950 dark:text-rose-200"
        >
          {session.errorReason}
        </p>
      ) : null}
      {actionError ? (
        <p
          role="alert"
          className="mx-3 mt-3 flex flex-wrap items-center gap-2 rounded-xl bg-rose-50 px-3 py-2 text-sm text-rose-800 sm:mx-6 dark:bg-rose-950 dark:text-rose-200"
        >
          {actionError.message}
          {actionError.retry ? (
            <button type="button" className="font-medium underline" onClick={() => runAction(actionError.action)}>
              Retry
            </button>
          ) : null}
        </p>
      ) : null}
      {analyze.isPending ? (
        <p role="status" className="mx-3 mt-3 text-sm text-slate-600 sm:mx-6 dark:text-slate-300">
          Finding suggestions…
        </p>
      ) : null}

      {showScreenshotSteps ? (
        <div className="min-h-0 flex-1 overflow-y-auto px-3 sm:px-6">
          <ScreenshotFlow
            session={session}
            onSession={afterSession}
            onAnalysed={() => void queryClient.invalidateQueries({ queryKey: historyKey })}
          />
        </div>
      ) : history.isError ? (
        <div role="alert" className="m-6 text-sm text-rose-700 dark:text-rose-300">
          The messages could not be loaded: {describeAppError(history.error).message}{" "}
          <button type="button" className="underline" onClick={() => void history.refetch()}>
            Retry
          </button>
        </div>
      ) : history.isPending ? (
        <p role="status" className="m-6 text-sm text-slate-500 dark:text-slate-400">
          Loading messages…
        </p>
      ) : (
        <ConversationControlsContext value={controls}>
          <MessageHistory
            messages={messages}
            hasOlder={history.hasNextPage}
            loadingOlder={history.isFetchingNextPage}
            loadOlder={() => void history.fetchNextPage()}
            outbox={shownOutbox}
            onRetrySend={retry}
            onDiscardSend={discard}
            tail={tail}
            onUpdated={onUpdated}
            focusMessageId={focusMessageId}
            empty={
              <p className="py-10 text-center text-sm text-slate-500 dark:text-slate-400">
                Nothing here yet. Write what you want to say, or paste what they said, and the coach will answer.
              </p>
            }
          />
        </ConversationControlsContext>
      )}
      {/* Near where calls are started: the composer, or the screenshot steps. */}
      <UsageNotice version={messages.length + (replying ? 1 : 0)} />
      {showScreenshotSteps ? null : (
        <Composer
          onSend={send}
          replying={replying}
          stopping={stop.isPending || stop.data?.stopping === true}
          onStop={requestStop}
        />
      )}
    </section>
  );
}

function StatusBadge({ status }: { status: TSessionStatus }) {
  const tone =
    status === "error"
      ? "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200"
      : status === "complete"
        ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
        : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200";
  return (
    <span className={`rounded-full px-2 py-0.5 font-medium ${tone}`} data-status={status}>
      <span className="sr-only">Status: </span>
      {SESSION_STATUS_LABELS[status]}
    </span>
  );
}
