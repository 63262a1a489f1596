// One collection: the suggestions saved in it as suggestion cards (react, copy, bookmark), each removable from the collection.
import type { TMessageDto } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Spinner } from "@lockstep/ui/spinner";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { SuggestionCard } from "../session/suggestion-card.tsx";
import { RenameCollectionDialog } from "./collections-page.tsx";

export function CollectionPage() {
  const { collectionId } = useParams({ from: "/signed-in/collections/$collectionId" });
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const collections = useQuery(trpc.collection.list.queryOptions());
  const collection = collections.data?.find((c) => c.id === collectionId);
  const messages = useInfiniteQuery(
    trpc.collection.messages.infiniteQueryOptions(
      { collectionId, limit: 30 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const items = useMemo(() => messages.data?.pages.flatMap((page) => page.items) ?? [], [messages.data]);
  const [renaming, setRenaming] = useState(false);
  const removeMessage = useMutation(
    trpc.collection.removeMessage.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.collection.pathKey() }),
    }),
  );

  if (collections.isPending) return <Spinner className="p-6" />;
  if (collections.isError || !collection) {
    return (
      <div className="mx-auto max-w-3xl p-6">
        <ErrorNotice
          title="Collection not found"
          message={
            collections.isError
              ? describeAppError(collections.error).message
              : "This collection does not exist, or it was deleted."
          }
          {...(collections.isError ? { onRetry: () => void collections.refetch() } : {})}
        />
        <Link
          to="/collections"
          className="mt-4 inline-block text-sm font-medium text-indigo-700 underline dark:text-indigo-300"
        >
          All collections
        </Link>
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-3xl p-4 sm:p-6">
      <Link to="/collections" className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        ← All collections
      </Link>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <h1 className="min-w-0 flex-1 truncate text-2xl font-bold tracking-tight">{collection.name}</h1>
        <Button variant="secondary" size="sm" onClick={() => setRenaming(true)}>
          Rename
        </Button>
      </div>
      {removeMessage.error && <ErrorNotice className="mt-4" message={describeAppError(removeMessage.error).message} />}
      <div className="mt-6">
        {messages.isPending ? (
          <Spinner label="Loading suggestions…" />
        ) : messages.isError ? (
          <ErrorNotice message={describeAppError(messages.error).message} onRetry={() => void messages.refetch()} />
        ) : items.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            Nothing saved here yet. Add suggestions from a session.
          </p>
        ) : (
          <ul aria-label="Saved suggestions" className="grid gap-3">
            {items.map((message) => (
              <li key={message.id}>
                <SavedSuggestion
                  message={message}
                  onRemove={() => removeMessage.mutate({ collectionId, messageId: message.id })}
                  // A like, a copy or a bookmark changed from the card: counts and membership may have moved.
                  onUpdated={() => void queryClient.invalidateQueries({ queryKey: trpc.collection.pathKey() })}
                />
              </li>
            ))}
          </ul>
        )}
        {messages.hasNextPage && (
          <Button
            variant="secondary"
            size="sm"
            className="mt-3"
            busy={messages.isFetchingNextPage}
            onClick={() => void messages.fetchNextPage()}
          >
            Show more
          </Button>
        )}
      </div>
      {renaming && <RenameCollectionDialog collection={collection} onClose={() => setRenaming(false)} />}
    </div>
  );
}

function SavedSuggestion({
  message,
  onRemove,
  onUpdated,
}: {
  message: TMessageDto;
  onRemove: () => void;
  onUpdated: () => void;
}) {
  const label = message.title ?? message.text.slice(0, 40);
  return (
    <div>
      <SuggestionCard message={message} onUpdated={onUpdated} />
      <div className="mt-1 flex flex-wrap justify-end gap-2">
        <Link
          to="/sessions/$sessionId"
          params={{ sessionId: message.sessionId }}
          className="inline-flex items-center rounded-lg px-2.5 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300 dark:hover:bg-indigo-950"
          aria-label={`Open session: ${label}`}
        >
          Open session
        </Link>
        <Button variant="ghost" size="sm" aria-label={`Remove from collection: ${label}`} onClick={onRemove}>
          Remove from collection
        </Button>
      </div>
    </div>
  );
}
