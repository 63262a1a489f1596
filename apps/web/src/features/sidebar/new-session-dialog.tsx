// "New session": pick a character and a kind (typed, or from a screenshot), then open it.
import type { TSessionType } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { Dialog } from "@lockstep/ui/dialog";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Spinner } from "@lockstep/ui/spinner";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type FormEvent, useId, useState } from "react";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { SESSION_TYPE_LABELS, SESSION_TYPES } from "./session-list.ts";

const TYPE_HINTS: Record<TSessionType, string> = {
  text: "Write as yourself or paste what they said, and talk it through with the coach.",
  screenshot: "Upload a screenshot of a chat; Lockstep reads it and suggests what to say next.",
};

export function NewSessionDialog({
  open,
  onClose,
  initialCharacterId,
}: {
  open: boolean;
  onClose: () => void;
  initialCharacterId?: string;
}) {
  return (
    <Dialog open={open} onClose={onClose} title="New session">
      {open && <NewSessionForm onClose={onClose} initialCharacterId={initialCharacterId} />}
    </Dialog>
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
  const selectId = useId();

  const active = characters.data?.filter((c) => c.isActive) ?? [];
  const chosen = characterId || active[0]?.id || "";

  const open = async (sessionId: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.session.pathKey() });
    onClose();
    await navigate({ to: "/sessions/$sessionId", params: { sessionId } });
  };
  // A typed session with a character continues the one already open with them (session.start);
  // a screenshot is always a new session, with a client-made id so a retried create makes one.
  const start = useMutation(trpc.session.start.mutationOptions({ onSuccess: (result) => open(result.session.id) }));
  const create = useMutation(trpc.session.create.mutationOptions({ onSuccess: (session) => open(session.id) }));
  const pending = start.isPending || create.isPending;
  const failure = start.error ?? create.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    if (type === "text") start.mutate({ characterId: chosen });
    else create.mutate({ id: crypto.randomUUID(), type: "screenshot", characterId: chosen });
  };

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
    <form onSubmit={submit} className="grid gap-5">
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
      {failure && <ErrorNotice title="The session could not be started" message={describeAppError(failure).message} />}
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
