// The start page: the coaches to start a session with, and the sessions the person was last in.
import { Button } from "@lockstep/ui/button";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Spinner } from "@lockstep/ui/spinner";
import { StatusBadge } from "@lockstep/ui/status-badge";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { sessionTitle } from "../sidebar/session-list.ts";
import { CharacterAvatar } from "./character-avatar.tsx";
import { useStartWithChoice } from "./use-start-session.ts";

const RECENT = 6;

export function HomePage() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const characters = useQuery(trpc.character.list.queryOptions());
  const recent = useQuery(trpc.session.list.queryOptions({ limit: RECENT, orderBy: "last_activity" }));
  const start = useStartWithChoice();

  return (
    <div className="mx-auto max-w-5xl p-4 sm:p-6">
      <h1 className="text-2xl font-bold tracking-tight">{me.data ? `Hello, ${me.data.name}` : "Hello"}</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Pick a coach to start a session, or carry on where you left off.
      </p>

      <section aria-labelledby="coaches-title" className="mt-8">
        <h2 id="coaches-title" className="text-lg font-semibold">
          Coaches
        </h2>
        {start.error ? (
          <ErrorNotice
            className="mt-3"
            title="The session could not be started"
            message={describeAppError(start.error).message}
          />
        ) : null}
        {start.dialog}
        {characters.isPending ? (
          <Spinner label="Loading the coaches…" className="mt-3" />
        ) : characters.isError ? (
          <ErrorNotice
            className="mt-3"
            message={describeAppError(characters.error).message}
            onRetry={() => void characters.refetch()}
          />
        ) : (
          <ul className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {characters.data
              .filter((character) => character.isActive)
              .map((character) => (
                <li
                  key={character.id}
                  className="flex flex-col rounded-2xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
                >
                  <div className="flex items-center gap-3">
                    <CharacterAvatar avatar={character.avatar} name={character.name} />
                    <h3 className="font-semibold">
                      <Link
                        to="/characters/$characterId"
                        params={{ characterId: character.slug }}
                        className="hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                      >
                        {character.name}
                      </Link>
                    </h3>
                  </div>
                  <p className="mt-3 line-clamp-3 flex-1 text-sm text-slate-600 dark:text-slate-400">
                    {character.description}
                  </p>
                  <div className="mt-4 flex flex-wrap gap-2">
                    <Button
                      size="sm"
                      busy={start.busy?.characterId === character.id}
                      onClick={() => void start.begin(character)}
                      aria-label={`Start a session with ${character.name}`}
                    >
                      Start a session
                    </Button>
                    <Link
                      to="/characters/$characterId"
                      params={{ characterId: character.slug }}
                      className="inline-flex items-center rounded-lg px-2.5 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300 dark:hover:bg-indigo-950"
                      aria-label={`About ${character.name}`}
                    >
                      About
                    </Link>
                  </div>
                </li>
              ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="recent-title" className="mt-10">
        <h2 id="recent-title" className="text-lg font-semibold">
          Recent sessions
        </h2>
        {recent.isPending ? (
          <Spinner label="Loading your sessions…" className="mt-3" />
        ) : recent.isError ? (
          <ErrorNotice
            className="mt-3"
            message={describeAppError(recent.error).message}
            onRetry={() => void recent.refetch()}
          />
        ) : recent.data.items.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">No sessions yet.</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
            {recent.data.items.map((session) => (
              <li key={session.id}>
                <Link
                  to="/sessions/$sessionId"
                  params={{ sessionId: session.id }}
                  className="flex items-center justify-between gap-3 p-3 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:p-4 dark:hover:bg-slate-800"
                >
                  <span className="min-w-0 truncate text-sm font-medium">{sessionTitle(session)}</span>
                  <span className="flex shrink-0 items-center gap-3 text-xs text-slate-500 dark:text-slate-400">
                    <StatusBadge status={session.status} />
                    <time dateTime={new Date(session.lastActivity).toISOString()} className="hidden sm:inline">
                      {new Date(session.lastActivity).toLocaleString()}
                    </time>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
