// Starts (or continues) a typed session with a character and a template, then opens it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTRPC } from "@lockstep/ui/trpc";

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
