// The admin app's one tRPC client and the typed query-options proxy components read from context.
import type { AppRouter } from "@lockstep/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function createApiClient() {
  // Same origin in production (the server hosts the app) and via Vite's proxy in dev, so a
  // relative URL works everywhere; plain JSON because the server has no transformer.
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/trpc" })] });
}
