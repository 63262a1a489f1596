// One coach: who they are, the scenarios to start from, the person's stats with them, and what the
// coach remembers about the person (which the person can delete).
import type { TMemoryDto, TMemoryKind } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { ConfirmDialog } from "@lockstep/ui/dialog";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Spinner } from "@lockstep/ui/spinner";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { CharacterAvatar } from "./character-avatar.tsx";
import { useStartWithChoice } from "./use-start-session.ts";

const MEMORY_KIND_LABELS: Record<TMemoryKind, string> = {
  fact: "Fact",
  preference: "Preference",
  event: "Event",
  goal: "Goal",
};

function isNotFound(error: unknown): boolean {
  return (error as { data?: { code?: unknown } | null } | null)?.data?.code === "NOT_FOUND";
}

export function CharacterPage() {
  const { characterId: slug } = useParams({ from: "/signed-in/characters/$characterId" });
  const trpc = useTRPC();
  const character = useQuery(trpc.character.get.queryOptions({ slug }));
  const start = useStartWithChoice();

  if (character.isPending) return <Spinner label="Loading the coach…" className="p-6" />;
  if (character.isError) {
    return (
      <div className="mx-auto max-w-3xl p-6">
        <ErrorNotice
          title={isNotFound(character.error) ? "No such coach" : "The coach could not be loaded"}
          message={describeAppError(character.error).message}
          {...(isNotFound(character.error) ? {} : { onRetry: () => void character.refetch() })}
        />
      </div>
    );
  }
  const c = character.data;
  const templates = c.templates.filter((t) => t.isActive).sort((a, b) => a.sortOrder - b.sortOrder);

  return (
    <div className="mx-auto max-w-4xl p-4 sm:p-6">
      <div className="flex flex-wrap items-start gap-4">
        <CharacterAvatar avatar={c.avatar} name={c.name} className="size-16 text-4xl" />
        <div className="min-w-0 flex-1">
          <h1 className="text-2xl font-bold tracking-tight">{c.name}</h1>
          <p className="mt-2 max-w-2xl text-sm text-slate-700 dark:text-slate-300">{c.description}</p>
        </div>
        {c.isActive && (
          <Button busy={start.busy?.scenarioId === null} onClick={() => void start.begin(c)}>
            Start a session
          </Button>
        )}
      </div>
      {!c.isActive && (
        <p className="mt-4 text-sm text-amber-800 dark:text-amber-200">This coach is not taking new sessions.</p>
      )}
      {start.error ? (
        <ErrorNotice
          className="mt-4"
          title="The session could not be started"
          message={describeAppError(start.error).message}
        />
      ) : null}
      {start.dialog}

      <EngagementStats characterId={c.id} />

      {templates.length > 0 && (
        <section aria-labelledby="templates-title" className="mt-8">
          <h2 id="templates-title" className="text-lg font-semibold">
            Scenarios
          </h2>
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">
            {templates.map((template) => (
              <li
                key={template.id}
                className="flex flex-col rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
              >
                <h3 className="font-medium">{template.title}</h3>
                <p className="mt-1 flex-1 text-sm text-slate-600 dark:text-slate-400">{template.situation}</p>
                {template.openingLine && (
                  <p className="mt-2 text-sm text-slate-500 italic dark:text-slate-400">“{template.openingLine}”</p>
                )}
                {c.isActive && (
                  <Button
                    variant="secondary"
                    size="sm"
                    className="mt-3 self-start"
                    aria-label={`Start this scenario: ${template.title}`}
                    busy={start.busy?.scenarioId === template.id}
                    onClick={() => void start.begin(c, { id: template.id, title: template.title })}
                  >
                    Start this scenario
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <Memories characterId={c.id} name={c.name} />
    </div>
  );
}

function EngagementStats({ characterId }: { characterId: string }) {
  const trpc = useTRPC();
  const engagement = useQuery({ ...trpc.engagement.get.queryOptions({ characterId }), retry: false });
  return (
    <section aria-labelledby="stats-title" className="mt-8">
      <h2 id="stats-title" className="text-lg font-semibold">
        Your time together
      </h2>
      {engagement.isPending ? (
        <Spinner className="mt-3" />
      ) : engagement.isError ? (
        isNotFound(engagement.error) ? (
          <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
            You have not had a session with this coach yet.
          </p>
        ) : (
          <ErrorNotice
            className="mt-3"
            message={describeAppError(engagement.error).message}
            onRetry={() => void engagement.refetch()}
          />
        )
      ) : (
        <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="engagement-stats">
          <Stat term="Sessions ended" value={String(engagement.data.totalSessions)} />
          <Stat term="Messages" value={String(engagement.data.totalMessages)} />
          <Stat term="First met" value={new Date(engagement.data.firstMetAt).toLocaleDateString()} />
          <Stat
            term="Last talked"
            value={
              engagement.data.lastInteractionAt === null
                ? "Not yet"
                : new Date(engagement.data.lastInteractionAt).toLocaleDateString()
            }
          />
        </dl>
      )}
    </section>
  );
}

function Stat({ term, value }: { term: string; value: string }) {
  return (
    <div className="rounded-xl bg-white px-4 py-3 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{term}</dt>
      <dd className="mt-1 text-lg font-semibold">{value}</dd>
    </div>
  );
}

function Memories({ characterId, name }: { characterId: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const memories = useInfiniteQuery(
    trpc.memory.list.infiniteQueryOptions(
      { characterId, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const items = useMemo(() => memories.data?.pages.flatMap((page) => page.items) ?? [], [memories.data]);
  const [forgetting, setForgetting] = useState<TMemoryDto | null>(null);
  const forget = useMutation(
    trpc.memory.delete.mutationOptions({
      onSuccess: () => setForgetting(null),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.memory.list.pathKey() }),
    }),
  );

  return (
    <section aria-labelledby="memories-title" className="mt-8">
      <h2 id="memories-title" className="text-lg font-semibold">
        What {name} remembers about you
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Noted at the end of each session. Delete anything you would rather the coach forgot.
      </p>
      {memories.isPending ? (
        <Spinner className="mt-3" />
      ) : memories.isError ? (
        <ErrorNotice
          className="mt-3"
          message={describeAppError(memories.error).message}
          onRetry={() => void memories.refetch()}
        />
      ) : items.length === 0 ? (
        <p className="mt-3 rounded-xl border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
          Nothing yet.
        </p>
      ) : (
        <ul
          aria-label="Memories"
          className="mt-3 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
        >
          {items.map((memory) => (
            <li key={memory.id} className="flex items-start gap-3 p-3 sm:p-4">
              <span className="mt-0.5 shrink-0 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                {MEMORY_KIND_LABELS[memory.kind]}
              </span>
              <p className="min-w-0 flex-1 text-sm break-words">{memory.content}</p>
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Delete memory: ${memory.content}`}
                onClick={() => setForgetting(memory)}
              >
                Delete
              </Button>
            </li>
          ))}
        </ul>
      )}
      {memories.hasNextPage && (
        <Button
          variant="secondary"
          size="sm"
          className="mt-3"
          busy={memories.isFetchingNextPage}
          onClick={() => void memories.fetchNextPage()}
        >
          Show more
        </Button>
      )}
      <ConfirmDialog
        open={forgetting !== null}
        title="Delete this memory?"
        confirmLabel="Delete memory"
        danger
        busy={forget.isPending}
        onCancel={() => {
          forget.reset();
          setForgetting(null);
        }}
        onConfirm={() => forgetting && forget.mutate({ id: forgetting.id })}
      >
        <p>
          {name} will no longer know: “{forgetting?.content}”.
        </p>
        {forget.error && <ErrorNotice className="mt-3" message={describeAppError(forget.error).message} />}
      </ConfirmDialog>
    </section>
  );
}
