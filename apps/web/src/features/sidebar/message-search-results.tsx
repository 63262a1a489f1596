// The sidebar's "In messages" results: a person's messages that contain the words searched for,
// best first, with the matched words marked; each opens its session scrolled to that message.
import type { TMessageAuthor, TMessageHit, TSnippet } from "@lockstep/contracts";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Spinner } from "@lockstep/ui/spinner";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useMemo } from "react";

const AUTHOR_LABELS: Readonly<Record<TMessageAuthor, string>> = { user: "You", contact: "Them", ai: "Coach" };

export function MessageSearchResults({ query }: { query: string }) {
  const trpc = useTRPC();
  const search = useInfiniteQuery(
    trpc.session.search.infiniteQueryOptions(
      { query, limit: 20 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const hits = useMemo(() => {
    const seen = new Set<string>();
    const all: TMessageHit[] = [];
    for (const page of search.data?.pages ?? []) {
      for (const hit of page.messages) if (!seen.has(hit.messageId) && seen.add(hit.messageId)) all.push(hit);
    }
    return all;
  }, [search.data]);

  if (search.isPending) return <Spinner label="Searching messages…" className="p-3" />;
  if (search.isError) {
    return (
      <ErrorNotice
        title="Messages could not be searched"
        message={describeAppError(search.error).message}
        onRetry={() => void search.refetch()}
        retrying={search.isFetching}
      />
    );
  }
  if (hits.length === 0) {
    return <p className="mt-3 px-3 text-sm text-slate-600 dark:text-slate-400">No messages contain these words.</p>;
  }
  return (
    <section aria-labelledby="message-search-heading" className="mt-3">
      <h2
        id="message-search-heading"
        className="px-3 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400"
      >
        In messages
      </h2>
      <ul aria-label="Messages found" aria-busy={search.isFetching} className="grid gap-0.5">
        {hits.map((hit) => (
          <li key={hit.messageId} data-message-hit={hit.messageId}>
            <Link
              to="/sessions/$sessionId"
              params={{ sessionId: hit.sessionId }}
              search={{ message: hit.messageId }}
              className="block rounded-lg px-3 py-2 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:bg-slate-800"
            >
              <span className="block truncate text-sm font-medium text-slate-900 dark:text-slate-100">
                {hit.sessionName?.trim() || "Untitled session"}
              </span>
              <span className="mt-0.5 block text-xs text-slate-600 dark:text-slate-300">
                <span className="font-medium">{AUTHOR_LABELS[hit.author]}: </span>
                <Snippet parts={hit.snippet} />
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {search.hasNextPage ? (
        <button
          type="button"
          className="mt-1 w-full rounded-lg px-3 py-1.5 text-left text-xs font-medium text-indigo-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300 dark:hover:bg-slate-800"
          disabled={search.isFetchingNextPage}
          onClick={() => void search.fetchNextPage()}
        >
          {search.isFetchingNextPage ? "Loading more…" : "More messages"}
        </button>
      ) : null}
    </section>
  );
}

/** Plain text with the matched words in <mark>: React escapes every part, so nothing is markup. */
export function Snippet({ parts }: { parts: TSnippet }) {
  return (
    <>
      {parts.map((part, index) =>
        part.match ? (
          <mark key={index} className="rounded bg-amber-200 px-0.5 text-slate-900 dark:bg-amber-400/80">
            {part.text}
          </mark>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}
