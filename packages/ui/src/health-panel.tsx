// Connects the health card to the API: one tRPC query, polled, its states mapped onto the card's props.
import { useQuery } from "@tanstack/react-query";
import { describeHealthError, HealthCard } from "./health-card.tsx";
import { useTRPC } from "./trpc.ts";

export function HealthPanel({
  pollMs,
}: {
  /** How soon a server going away shows, without a reload. */ pollMs: number;
}) {
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.health.queryOptions(), refetchInterval: pollMs });
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
