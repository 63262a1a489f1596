// One suggestion (an AI message with a title, tag and analysis) as a card: read it, see why it
// works, react to it, copy it (counted), and bookmark it into a collection. Used by the session page
// and the collections page, so it carries its own mutations and reports the updated message back.
import { COLLECTION_NAME_MAX, type TMessageDto, type TMessageSentiment } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { memo, useEffect, useId, useState } from "react";
import { useTRPC } from "@lockstep/ui/trpc";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { Markdown } from "./markdown.tsx";

export interface SuggestionCardProps {
  message: TMessageDto;
  /** Called with the message as the server returns it after a reaction or a bookmark. */
  onUpdated?: (message: TMessageDto) => void;
  /** Writes the text to the clipboard; the browser's clipboard by default (tests may replace it). */
  copyText?: (text: string) => Promise<void>;
}

const SENTIMENT: Record<TMessageSentiment, { label: string; className: string }> = {
  positive: {
    label: "Positive",
    className: "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  },
  neutral: { label: "Neutral", className: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300" },
  negative: { label: "Negative", className: "bg-rose-50 text-rose-800 dark:bg-rose-950 dark:text-rose-300" },
};

/** A pressed reaction looks pressed (filled in the accent colour), not just a changed word. */
const PRESSED =
  "aria-pressed:border-indigo-700 aria-pressed:bg-indigo-700 aria-pressed:text-white aria-pressed:hover:bg-indigo-600 dark:aria-pressed:border-indigo-300 dark:aria-pressed:bg-indigo-300 dark:aria-pressed:text-slate-950 dark:aria-pressed:hover:bg-indigo-200";

const defaultCopy = (text: string) => navigator.clipboard.writeText(text);

export const SuggestionCard = memo(function SuggestionCard({
  message: given,
  onUpdated,
  copyText = defaultCopy,
}: SuggestionCardProps) {
  const trpc = useTRPC();
  // The card shows the newest copy it knows: the server's answer to its own mutations, or a newer prop.
  const [message, setMessage] = useState(given);
  useEffect(() => setMessage(given), [given]);
  const [expanded, setExpanded] = useState(false);
  const [showCollections, setShowCollections] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const analysisId = useId();
  const titleId = useId();
  const usedId = useId();

  const apply = (updated: TMessageDto) => {
    setMessage(updated);
    onUpdated?.(updated);
  };
  const react = useMutation(
    trpc.message.react.mutationOptions({
      onSuccess: apply,
      onError: (error) => setNotice(describeAppError(error).message),
    }),
  );

  const toggle = (type: "liked" | "disliked" | "pinned", on: boolean) => {
    // Not disabled while saving (a disabled button drops keyboard focus to the page): ignored instead.
    if (react.isPending) return;
    setNotice(null);
    react.mutate({ messageId: message.id, type, on });
  };

  const copy = async () => {
    setNotice(null);
    try {
      await copyText(message.text);
    } catch {
      setNotice("The browser did not allow copying. Select the text and copy it yourself.");
      return;
    }
    react.mutate(
      { messageId: message.id, type: "copied_to_clipboard", on: true },
      { onSuccess: () => setNotice("Copied to the clipboard.") },
    );
  };

  const sentiment = message.sentiment ? SENTIMENT[message.sentiment] : null;
  return (
    <article
      aria-labelledby={titleId}
      data-suggestion-id={message.id}
      // Focus lands on a new suggestion after "Get suggestions", so it is read out and navigable.
      tabIndex={-1}
      className="rounded-2xl border border-indigo-100 bg-white p-4 shadow-sm dark:border-indigo-900/60 dark:bg-slate-900"
    >
      <header className="flex flex-wrap items-center gap-2">
        <h3 id={titleId} className="mr-auto text-base font-semibold text-slate-900 dark:text-slate-100">
          {message.title ?? "Suggestion"}
        </h3>
        {message.tag ? (
          <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
            {message.tag}
          </span>
        ) : null}
        {sentiment ? (
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${sentiment.className}`}>
            <span className="sr-only">Sentiment: </span>
            {sentiment.label}
          </span>
        ) : null}
      </header>
      <Markdown text={message.text} className="mt-2 text-[15px] leading-relaxed text-slate-800 dark:text-slate-200" />
      {message.builtIn ? (
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">Written by the built-in offline coach.</p>
      ) : null}

      {message.analysis ? (
        <div className="mt-3">
          <button
            type="button"
            aria-expanded={expanded}
            aria-controls={analysisId}
            onClick={() => setExpanded((open) => !open)}
            className="text-sm font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300"
          >
            {expanded ? "Hide why this works" : "Why this works"}
          </button>
          <p
            id={analysisId}
            hidden={!expanded}
            className="mt-2 text-sm whitespace-pre-wrap text-slate-600 dark:text-slate-300"
          >
            {message.analysis}
          </p>
        </div>
      ) : null}

      <div className="mt-3 flex flex-wrap items-center gap-1.5" role="group" aria-label="Suggestion actions">
        <Button
          size="sm"
          variant="secondary"
          aria-pressed={message.isLiked}
          aria-disabled={react.isPending || undefined}
          className={PRESSED}
          onClick={() => toggle("liked", !message.isLiked)}
        >
          {message.isLiked ? "Liked" : "Like"}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          aria-pressed={message.isDisliked}
          aria-disabled={react.isPending || undefined}
          className={PRESSED}
          onClick={() => toggle("disliked", !message.isDisliked)}
        >
          {message.isDisliked ? "Disliked" : "Dislike"}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          aria-pressed={message.isPinned}
          aria-disabled={react.isPending || undefined}
          className={PRESSED}
          onClick={() => toggle("pinned", !message.isPinned)}
        >
          {message.isPinned ? "Pinned" : "Pin"}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => void copy()}
          disabled={react.isPending}
          aria-describedby={usedId}
        >
          Copy
        </Button>
        {/* The count sits beside the button, not in its name, so what a person sees is what a screen reader calls it. */}
        <span id={usedId} className="self-center text-xs text-slate-600 dark:text-slate-300">
          used{" "}
          <span data-used-count className="tabular-nums">
            {message.usedCount}
          </span>{" "}
          {message.usedCount === 1 ? "time" : "times"}
        </span>
        <Button
          size="sm"
          variant="secondary"
          aria-expanded={showCollections}
          onClick={() => setShowCollections((open) => !open)}
        >
          Add to collection
        </Button>
      </div>
      {showCollections ? <CollectionPicker message={message} onAdded={apply} /> : null}
      <p role="status" className="mt-2 min-h-0 text-sm text-slate-600 empty:hidden dark:text-slate-300">
        {notice}
      </p>
    </article>
  );
});

/** The person's collections, with the ones holding this message marked, and a way to start a new one. */
function CollectionPicker({ message, onAdded }: { message: TMessageDto; onAdded: (message: TMessageDto) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const collections = useQuery(trpc.collection.list.queryOptions());
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();
  const refreshCollections = () => queryClient.invalidateQueries({ queryKey: trpc.collection.list.queryKey() });
  const add = useMutation(
    trpc.collection.addMessage.mutationOptions({
      onSuccess: (updated) => {
        onAdded(updated);
        void refreshCollections();
      },
      onError: (e) => setError(describeAppError(e).message),
    }),
  );
  const create = useMutation(
    trpc.collection.create.mutationOptions({
      onSuccess: (collection) => {
        setName("");
        add.mutate({ collectionId: collection.id, messageId: message.id });
      },
      onError: (e) => setError(describeAppError(e).message),
    }),
  );

  return (
    <div className="mt-3 rounded-xl border border-slate-200 p-3 dark:border-slate-700">
      {collections.isPending ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">Loading collections…</p>
      ) : null}
      {collections.isError ? (
        <p className="text-sm text-rose-700 dark:text-rose-300">
          {describeAppError(collections.error).message}{" "}
          <button type="button" className="underline" onClick={() => void collections.refetch()}>
            Retry
          </button>
        </p>
      ) : null}
      {collections.data && collections.data.length > 0 ? (
        <ul className="flex flex-wrap gap-1.5" aria-label="Your collections">
          {collections.data.map((collection) => {
            const inside = message.collectionIds.includes(collection.id);
            return (
              <li key={collection.id}>
                <Button
                  size="sm"
                  variant={inside ? "primary" : "secondary"}
                  disabled={inside || add.isPending}
                  onClick={() => add.mutate({ collectionId: collection.id, messageId: message.id })}
                >
                  {inside ? `In ${collection.name}` : `Add to ${collection.name}`}
                </Button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <form
        className="mt-2 flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          if (name.trim()) create.mutate({ name: name.trim() });
        }}
      >
        <label htmlFor={nameId} className="text-sm text-slate-700 dark:text-slate-300">
          New collection
        </label>
        <input
          id={nameId}
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={COLLECTION_NAME_MAX}
          className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800"
        />
        <Button size="sm" type="submit" busy={create.isPending} disabled={!name.trim()}>
          Create and add
        </Button>
      </form>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-rose-700 dark:text-rose-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}
