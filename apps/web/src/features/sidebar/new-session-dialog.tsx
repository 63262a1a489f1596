// "New session": pick a character and a kind (typed, or from a screenshot), then open a new session.
// Where the coach already has an open session the person chooses: continue it, or start fresh, which
// ends it (one open session per coach is the product's rule, and the dialog says so).
import { type TSessionDto, type TSessionType } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { Dialog } from "@lockstep/ui/dialog";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Spinner } from "@lockstep/ui/spinner";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type FormEvent, useId, useState } from "react";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { SESSION_TYPE_LABELS, SESSION_TYPES, sessionTitle } from "./session-list.ts";

const TYPE_HINTS: Record<TSessionType, string> = {
  text: "Write as yourself or paste what they said, and talk it through with the coach.",
  screenshot: "Upload a screenshot of a chat; Lockstep reads it and suggests what to say next.",
};

/**
 * A start that already found the coach's open session (a coach's or a scenario's Start button): the dialog
 * asks only whether to continue it or start fresh.
 */
export interface StartChoice {
  characterId: string;
  coachName: string;
  openSession: TSessionDto;
  /** The scenario a fresh start begins from; absent for a plain session with the coach. */
  scenario?: { id: string; title: string } | undefined;
}

export function NewSessionDialog({
  open,
  onClose,
  initialCharacterId,
  choice,
}: {
  open: boolean;
  onClose: () => void;
  initialCharacterId?: string;
  choice?: StartChoice | null;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={choice?.scenario ? `Start “${choice.scenario.title}”` : "New session"}>
      {open &&
        (choice ? (
          <OpenSessionChoice {...choice} onClose={onClose} onBack={onClose} backLabel="Cancel" />
        ) : (
          <NewSessionForm onClose={onClose} initialCharacterId={initialCharacterId} />
        ))}
    </Dialog>
  );
}

/** Continue the coach's open session, or start fresh (from the scenario, if one was picked), which ends it. */
function OpenSessionChoice({
  characterId,
  coachName,
  openSession,
  scenario,
  onClose,
  onBack,
  backLabel,
}: StartChoice & { onClose: () => void; onBack: () => void; backLabel: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const open = async (sessionId: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.session.pathKey() });
    onClose();
    await navigate({ to: "/sessions/$sessionId", params: { sessionId } });
  };
  const start = useMutation(
    trpc.session.start.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.engagement.pathKey() });
        await open(result.session.id);
      },
    }),
  );
  const title = sessionTitle(openSession);
  const fresh = scenario ? `Starting “${scenario.title}” fresh` : "Starting fresh";
  return (
    <div className="grid gap-4" data-testid="open-session-choice">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        You already have an open session with {coachName}: <strong>“{title}”</strong>. One session per coach stays open
        at a time.
      </p>
      <div className="grid gap-2">
        <Button variant="secondary" onClick={() => void open(openSession.id)} disabled={start.isPending}>
          Continue “{title}”
        </Button>
        <Button
          onClick={() => start.mutate({ characterId, episodeTemplateId: scenario?.id ?? null, fresh: true })}
          busy={start.isPending}
          aria-describedby="start-fresh-hint"
        >
          Start fresh
        </Button>
        <p id="start-fresh-hint" className="text-xs text-slate-600 dark:text-slate-400">
          {fresh} ends “{title}”: it stays in your list, marked Complete, and counts in your stats.
        </p>
      </div>
      {start.error && (
        <ErrorNotice title="The session could not be started" message={describeAppError(start.error).message} />
      )}
      <div className="flex justify-end">
        <Button variant="secondary" onClick={onBack} disabled={start.isPending}>
          {backLabel}
        </Button>
      </div>
    </div>
  );
}

function NewSessionForm({
  onClose,
  initialCharacterId,
}: {
  onClose: () => void;
  initialCharacterId?: string | undefined;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const characters = useQuery(trpc.character.list.queryOptions());
  const [characterId, setCharacterId] = useState(initialCharacterId ?? "");
  const [type, setType] = useState<TSessionType>("text");
  const [openOne, setOpenOne] = useState<TSessionDto | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<unknown>(null);
  const selectId = useId();

  const active = characters.data?.filter((c) => c.isActive) ?? [];
  const chosen = characterId || active[0]?.id || "";

  const open = async (sessionId: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.session.pathKey() });
    onClose();
    await navigate({ to: "/sessions/$sessionId", params: { sessionId } });
  };
  // A typed session is always new (session.start with fresh), unless the person chose to continue the
  // open one; a screenshot is always a new session, with a client-made id so a retried create makes one.
  const start = useMutation(
    trpc.session.start.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.engagement.pathKey() });
        await open(result.session.id);
      },
    }),
  );
  const create = useMutation(trpc.session.create.mutationOptions({ onSuccess: (session) => open(session.id) }));
  const pending = start.isPending || create.isPending || checking;
  const failure = start.error ?? create.error ?? checkError;
  const coachName = active.find((character) => character.id === chosen)?.name ?? "this coach";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    if (type === "screenshot") {
      create.mutate({ id: crypto.randomUUID(), type: "screenshot", characterId: chosen });
      return;
    }
    setChecking(true);
    setCheckError(null);
    try {
      const current = await queryClient.fetchQuery({
        ...trpc.session.openWith.queryOptions({ characterId: chosen }),
        staleTime: 0,
      });
      if (current) setOpenOne(current);
      else start.mutate({ characterId: chosen, fresh: true });
    } catch (error) {
      setCheckError(error);
    } finally {
      setChecking(false);
    }
  };

  if (openOne) {
    return (
      <OpenSessionChoice
        characterId={chosen}
        coachName={coachName}
        openSession={openOne}
        onClose={onClose}
        onBack={() => setOpenOne(null)}
        backLabel="Back"
      />
    );
  }

  if (characters.isPending) return <Spinner label="Loading the coaches…" />;
  if (characters.isError) {
    return (
      <ErrorNotice
        message={describeAppError(characters.error).message}
        onRetry={() => void characters.refetch()}
        retrying={characters.isFetching}
      />
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)} className="grid gap-5">
      <div>
        <label htmlFor={selectId} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
          Coach
        </label>
        <select
          id={selectId}
          value={chosen}
          onChange={(e) => setCharacterId(e.target.value)}
          className="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
        >
          {active.map((character) => (
            <option key={character.id} value={character.id}>
              {character.avatar && character.avatar.length <= 16 ? `${character.avatar} ` : ""}
              {character.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">Kind of session</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {SESSION_TYPES.map((value) => (
            <label
              key={value}
              className="flex cursor-pointer gap-2 rounded-lg border border-slate-300 p-3 has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-600 dark:border-slate-600 dark:has-[:checked]:bg-indigo-950"
            >
              <input
                type="radio"
                name="session-type"
                value={value}
                checked={type === value}
                onChange={() => setType(value)}
                className="mt-0.5"
              />
              <span>
                <span className="block text-sm font-medium">{SESSION_TYPE_LABELS[value]}</span>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{TYPE_HINTS[value]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Each coach keeps one session open. If {coachName} has one, you can continue it or start fresh.
      </p>
      {failure ? (
        <ErrorNotice title="The session could not be started" message={describeAppError(failure).message} />
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" busy={pending} disabled={!chosen}>
          {pending ? "Starting…" : "Start session"}
        </Button>
      </div>
    </form>
  );
}
