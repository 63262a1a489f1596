// The conversation: a virtualised history (only the rows in view are mounted), older pages loaded
// when the person scrolls up without the view jumping, and below it, outside the virtual list, the
// messages being sent and the reply being streamed, so neither renders the history again.
import type { TMessageDto } from "@lockstep/contracts";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useSyncExternalStore } from "react";
import { Bubble, MessageRow } from "./message-row.tsx";
import type { OutgoingMessage } from "./send-outbox.ts";
import type { StreamTail } from "./stream-tail.ts";
import { useFocusMessage } from "./use-focus-message.ts";

export interface MessageHistoryProps {
  messages: readonly TMessageDto[];
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => void;
  outbox: readonly OutgoingMessage[];
  onRetrySend: (id: string) => void;
  onDiscardSend: (id: string) => void;
  tail: StreamTail;
  onUpdated: (message: TMessageDto) => void;
  /** Shown when there is nothing yet. */
  empty?: React.ReactNode;
  /** A message to scroll to and mark (opened from a search result); older pages load until it is there. */
  focusMessageId?: string | undefined;
}

/** Every row starts at this height until it is measured. */
const ESTIMATED_ROW_PX = 72;
/** Within this many pixels of the end counts as "at the bottom": new content keeps the view there. */
const STICK_PX = 96;
/** Start loading the previous page when the first rendered row is this close to the top. */
const PREFETCH_ROWS = 8;

export function MessageHistory(props: MessageHistoryProps) {
  const { messages, hasOlder, loadingOlder, loadOlder, outbox, tail, onUpdated } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: 6,
    // Keys by id, so measured heights stay with their messages when older ones are put in front,
    // and the row in view can be found again after a prepend.
    getItemKey: useCallback((index: number) => messages[index]!.id, [messages]),
    anchorTo: "end",
  });

  const scrollToEnd = useCallback(() => {
    const element = scrollRef.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, []);

  // Older pages are put in front without the view moving: anchorTo "end" (above) makes TanStack
  // Virtual find the keyed row that was in view after the prepend and keep it where it was. New
  // messages at the end follow the person only when they were reading the end.
  const firstId = messages[0]?.id;
  const lastId = messages.at(-1)?.id;
  const previous = useRef<{ firstId?: string; lastId?: string }>({});
  useLayoutEffect(() => {
    const element = scrollRef.current;
    const before = previous.current;
    previous.current = { firstId, lastId };
    if (!element || lastId === before.lastId) return;
    if (atBottom.current || !before.lastId) {
      // First load, or a new message while the person was reading the end: show the end.
      virtualizer.scrollToIndex(messages.length - 1, { align: "end" });
      requestAnimationFrame(scrollToEnd);
    }
  }, [firstId, lastId, messages.length, scrollToEnd, virtualizer]);

  useLayoutEffect(() => {
    if (atBottom.current) scrollToEnd();
  }, [outbox, scrollToEnd]);

  const focused = useFocusMessage(props.focusMessageId, messages, virtualizer, { hasOlder, loadingOlder, loadOlder });
  if (focused.holding) atBottom.current = false;

  const items = virtualizer.getVirtualItems();
  const firstVisible = items[0]?.index ?? 0;
  useEffect(() => {
    if (hasOlder && !loadingOlder && messages.length > 0 && firstVisible < PREFETCH_ROWS) loadOlder();
  }, [firstVisible, hasOlder, loadingOlder, loadOlder, messages.length]);

  const onScroll = () => {
    const element = scrollRef.current;
    if (element) atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_PX;
  };

  return (
    <div
      ref={scrollRef}
      onScroll={onScroll}
      tabIndex={0}
      role="log"
      aria-label="Conversation"
      aria-live="off"
      data-loaded-count={messages.length}
      className="relative min-h-0 flex-1 overflow-y-auto overscroll-contain px-3 py-4 [overflow-anchor:none] focus-visible:outline-2 focus-visible:outline-indigo-600 sm:px-6"
      data-testid="message-scroller"
    >
      {hasOlder ? (
        <p className="pb-2 text-center text-xs text-slate-500 dark:text-slate-400" role="status">
          {loadingOlder ? "Loading earlier messages…" : "Scroll up for earlier messages"}
        </p>
      ) : messages.length > 0 ? (
        <p className="pb-2 text-center text-xs text-slate-500 dark:text-slate-400">Start of the conversation</p>
      ) : null}
      {messages.length === 0 && outbox.length === 0 ? props.empty : null}
      <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => (
          <div
            key={item.key}
            data-index={item.index}
            data-row
            ref={virtualizer.measureElement}
            className="absolute top-0 left-0 w-full pb-3 data-focused:*:rounded-xl data-focused:*:bg-amber-50 data-focused:*:ring-2 data-focused:*:ring-amber-400 dark:data-focused:*:bg-amber-950/40"
            style={{ transform: `translateY(${item.start}px)` }}
            data-focused={item.key === focused.id || undefined}
          >
            <MessageRow message={messages[item.index]!} onUpdated={onUpdated} />
          </div>
        ))}
      </div>
      <OutboxRows outbox={outbox} onRetry={props.onRetrySend} onDiscard={props.onDiscardSend} />
      <StreamingTail tail={tail} onGrow={() => atBottom.current && scrollToEnd()} />
    </div>
  );
}

const OutboxRows = memo(function OutboxRows({
  outbox,
  onRetry,
  onDiscard,
}: {
  outbox: readonly OutgoingMessage[];
  onRetry: (id: string) => void;
  onDiscard: (id: string) => void;
}) {
  return outbox.map((entry) => (
    <div key={entry.id} className="pb-3" data-outgoing-id={entry.id} data-state={entry.state}>
      <Bubble
        author={entry.author}
        text={entry.text}
        footer={
          entry.state === "sending" ? (
            <span className="mt-0.5 px-1 text-[11px] text-slate-500 dark:text-slate-400">Sending…</span>
          ) : (
            <span
              role="alert"
              className="mt-1 flex flex-wrap items-center justify-end gap-2 px-1 text-xs text-rose-700 dark:text-rose-300"
            >
              Not sent: {entry.error}
              <button type="button" className="font-medium underline" onClick={() => onRetry(entry.id)}>
                Retry
              </button>
              <button type="button" className="underline" onClick={() => onDiscard(entry.id)}>
                Discard
              </button>
            </span>
          )
        }
      />
    </div>
  ));
});

/** The reply being written; subscribes to the tail store on its own, so tokens render only this. */
export function StreamingTail({ tail, onGrow }: { tail: StreamTail; onGrow?: () => void }) {
  const snapshot = useSyncExternalStore(tail.subscribe, tail.getSnapshot);
  const grow = useRef(onGrow);
  grow.current = onGrow;
  useLayoutEffect(() => {
    grow.current?.();
    if (snapshot.entries.length > 0) performance.mark("lockstep:tail-commit");
  }, [snapshot]);
  return (
    <div data-testid="streaming-tail">
      {snapshot.entries.map((entry) => (
        <div key={entry.messageId} className="pb-3" data-streaming-id={entry.messageId} aria-busy="true">
          <Bubble
            author="ai"
            text={entry.text}
            footer={<span className="mt-0.5 px-1 text-[11px] text-slate-500 dark:text-slate-400">Writing…</span>}
          />
        </div>
      ))}
      <p className="sr-only" role="status">
        {snapshot.entries.length > 0 ? "The coach is replying." : ""}
      </p>
      {snapshot.error ? (
        <p
          role="alert"
          className="mb-3 flex flex-wrap items-center gap-2 rounded-xl bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200"
        >
          {snapshot.error}
          <button type="button" className="underline" onClick={() => tail.dismissError()}>
            Dismiss
          </button>
        </p>
      ) : null}
    </div>
  );
}
