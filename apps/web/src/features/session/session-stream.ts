// Listens to session.stream (SSE, resumed with the last event id by tRPC's link after a drop) and
// routes each event: tokens to the streaming tail, finished messages into the history, status moves
// into the session.
import type { TMessageDto, TSessionStatus, TSessionStreamEvent } from "@lockstep/contracts";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useRef } from "react";
import { useTRPC } from "@lockstep/ui/trpc";
import type { StreamTail } from "./stream-tail.ts";

export interface StreamHandlers {
  onMessage: (message: TMessageDto) => void;
  onStatus: (status: TSessionStatus, errorReason: string | null) => void;
}

export function applyStreamEvent(event: TSessionStreamEvent, tail: StreamTail, handlers: StreamHandlers): void {
  switch (event.kind) {
    case "token":
      tail.push(event.messageId, event.text);
      return;
    case "message":
      handlers.onMessage(event.message);
      tail.finish(event.message.id);
      // The person's message now says its reply failed, with Retry; the passing notice would repeat it.
      if (event.message.replyStatus === "failed") tail.dismissError();
      return;
    case "status":
      handlers.onStatus(event.status, event.errorReason);
      return;
    case "error":
      tail.fail(event.messageId, event.message);
      return;
  }
}

/** Subscribes while mounted; returns the connection state to show ("connecting" while it reconnects). */
export function useSessionStream(sessionId: string, tail: StreamTail, handlers: StreamHandlers) {
  const trpc = useTRPC();
  // The handlers change every render; the subscription must not restart because of that.
  const latest = useRef(handlers);
  latest.current = handlers;
  const subscription = useSubscription(
    trpc.session.stream.subscriptionOptions(
      { id: sessionId },
      { onData: (envelope) => applyStreamEvent(envelope.data, tail, latest.current) },
    ),
  );
  return subscription;
}
