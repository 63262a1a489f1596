// Connects the health card to the API: one tRPC query, its states mapped onto the card's props.
import { useQuery } from "@tanstack/react-query";
import { describeHealthError, HealthCard } from "@lockstep/ui/health-card";
import { useTRPC } from "./trpc.ts";

// A status page should notice a server going away without a reload.
const POLL_MS = 30_000;

export function HealthPanel() {
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.health.queryOptions(), refetchInterval: POLL_MS });
  const refetch = () => void health.refetch();

  if (health.isError) {
    return (
      <HealthCard
        state="error"
        error={describeHealthError(health.error)}
        retrying={health.isFetching}
        onRetry={refetch}
      />
    );
  }
  if (health.data) {
    return <HealthCard state="ready" health={health.data} refreshing={health.isFetching} onRefresh={refetch} />;
  }
  return <HealthCard state="loading" />;
}
