// The apps' one tRPC client and the typed query-options proxy components read from context; the
// shared health panel reads the same context, so both apps provide it once at their root.
import type { AppRouter } from "@lockstep/api";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createApiClient() {
  // Same origin in production (the server hosts the apps) and via Vite's proxy in dev, so a
  // relative URL works everywhere; plain JSON because the server has no transformer.
  // Subscriptions go over SSE (httpSubscriptionLink), which reconnects by itself and sends the
  // last tracked event id back, so an interrupted reply stream resumes where it stopped.
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: "/trpc" }),
        false: httpBatchLink({ url: "/trpc" }),
      }),
    ],
  });
}
