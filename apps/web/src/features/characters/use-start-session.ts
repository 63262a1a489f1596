// Starts a typed session with a character (and a scenario), then opens it. Where the coach already has an
// open session, the person is asked first, in the same dialog "New session" uses: continue it, or start fresh.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { createElement, useState } from "react";
import { useTRPC } from "@lockstep/ui/trpc";
import { NewSessionDialog, type StartChoice } from "../sidebar/new-session-dialog.tsx";

export function useStartSession() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation(
    trpc.session.start.mutationOptions({
      onSuccess: async (result) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.session.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.engagement.pathKey() }),
        ]);
        await navigate({ to: "/sessions/$sessionId", params: { sessionId: result.session.id } });
      },
    }),
  );
}

/** What is being started, for the spinner on the button that started it. */
export interface Starting {
  characterId: string;
  scenarioId: string | null;
}

/**
 * `begin` checks for the coach's open session: with none it starts at once; with one it opens the choice.
 * `dialog` is rendered once by the page.
 */
export function useStartWithChoice() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const start = useStartSession();
  const [choice, setChoice] = useState<StartChoice | null>(null);
  const [checking, setChecking] = useState<Starting | null>(null);
  const [checkError, setCheckError] = useState<unknown>(null);

  const begin = async (coach: { id: string; name: string }, scenario?: { id: string; title: string }) => {
    setChecking({ characterId: coach.id, scenarioId: scenario?.id ?? null });
    setCheckError(null);
    start.reset();
    try {
      const current = await queryClient.fetchQuery({
        ...trpc.session.openWith.queryOptions({ characterId: coach.id }),
        staleTime: 0,
      });
      if (current) setChoice({ characterId: coach.id, coachName: coach.name, openSession: current, scenario });
      else start.mutate({ characterId: coach.id, episodeTemplateId: scenario?.id ?? null, fresh: true });
    } catch (error) {
      setCheckError(error);
    } finally {
      setChecking(null);
    }
  };

  const starting: Starting | null = start.isPending
    ? { characterId: start.variables.characterId, scenarioId: start.variables.episodeTemplateId ?? null }
    : null;
  return {
    begin,
    busy: checking ?? starting,
    error: checkError ?? start.error,
    dialog: createElement(NewSessionDialog, { open: choice !== null, onClose: () => setChoice(null), choice }),
  };
}
