// The session mutations the sidebar and the trash offer, each refreshing every session list after it lands.
import type { TSessionStatus } from "@lockstep/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@lockstep/ui/trpc";

export function useSessionActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The whole session.* tree: the sidebar, the trash and an open session page all show these rows.
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.session.pathKey() });
  const options = { onSettled: refresh };
  return {
    rename: useMutation(trpc.session.rename.mutationOptions(options)),
    setPinned: useMutation(trpc.session.setPinned.mutationOptions(options)),
    transition: useMutation(trpc.session.transition.mutationOptions(options)),
    end: useMutation(
      trpc.session.end.mutationOptions({
        // Ending a session updates the character's engagement and may add memories.
        onSettled: () =>
          Promise.all([
            refresh(),
            queryClient.invalidateQueries({ queryKey: trpc.engagement.pathKey() }),
            queryClient.invalidateQueries({ queryKey: trpc.memory.pathKey() }),
          ]),
      }),
    ),
    remove: useMutation(trpc.session.delete.mutationOptions(options)),
    restore: useMutation(trpc.session.restore.mutationOptions(options)),
    purge: useMutation(trpc.session.purge.mutationOptions(options)),
  };
}

export type SessionActions = ReturnType<typeof useSessionActions>;
export type { TSessionStatus };
