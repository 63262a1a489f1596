// Optimistic sends: a message shows at once with an id made here, and the same id is used for every
// retry, so a send whose answer was lost is stored once and shown once (the server dedupes by id).
import type { TMessageDto } from "@lockstep/contracts";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useTRPC } from "@lockstep/ui/trpc";
import { describeAppError } from "@lockstep/ui/describe-app-error";

export type WritableAuthor = "user" | "contact";

export interface OutgoingMessage {
  id: string;
  text: string;
  author: WritableAuthor;
  state: "sending" | "failed";
  error: string | null;
  createdAt: number;
}

/** Network failures are retried this many times, with growing pauses, before the person is asked. */
export const SEND_RETRIES = 6;
export const sendRetryDelay = (attempt: number) => Math.min(400 * 2 ** attempt, 4000);

export function useSendOutbox(
  sessionId: string,
  onSent: (message: TMessageDto) => void,
  newId: () => string = () => crypto.randomUUID(),
) {
  const trpc = useTRPC();
  const [outbox, setOutbox] = useState<OutgoingMessage[]>([]);
  const update = (id: string, change: (entry: OutgoingMessage) => OutgoingMessage | null) =>
    setOutbox((entries) => entries.flatMap((entry) => (entry.id === id ? (change(entry) ?? []) : [entry])));

  const mutation = useMutation(
    trpc.message.send.mutationOptions({
      // TanStack Query retries with the same variables, hence the same id.
      retry: (failures, error) => failures < SEND_RETRIES && describeAppError(error).retryable,
      retryDelay: sendRetryDelay,
      onSuccess: (message) => {
        onSent(message);
        update(message.id, () => null);
      },
      onError: (error, variables) => {
        if (variables.id)
          update(variables.id, (entry) => ({ ...entry, state: "failed", error: describeAppError(error).message }));
      },
    }),
  );
  const { mutate } = mutation;

  const send = useCallback(
    (text: string, author: WritableAuthor) => {
      const entry: OutgoingMessage = {
        id: newId(),
        text,
        author,
        state: "sending",
        error: null,
        createdAt: Date.now(),
      };
      setOutbox((entries) => [...entries, entry]);
      mutate({ id: entry.id, sessionId, text, author, reply: true });
    },
    [mutate, newId, sessionId],
  );

  const retry = useCallback(
    (id: string) => {
      const entry = outbox.find((candidate) => candidate.id === id);
      if (!entry) return;
      update(id, (current) => ({ ...current, state: "sending", error: null }));
      mutate({ id, sessionId, text: entry.text, author: entry.author, reply: true });
    },
    [mutate, outbox, sessionId],
  );

  const discard = useCallback((id: string) => update(id, () => null), []);

  return { outbox, send, retry, discard };
}
