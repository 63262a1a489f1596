// The app's providers: one query client, one tRPC client and one router for the page's lifetime.
import type { AppRouter } from "@lockstep/api";
import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { createAppRouter } from "./router.tsx";
import { createApiClient, TRPCProvider } from "@lockstep/ui/trpc";

function isUnauthorized(error: unknown): boolean {
  return (error as { data?: { code?: unknown } | null } | null)?.data?.code === "UNAUTHORIZED";
}

export function createApp() {
  const trpcClient = createApiClient();
  let onSignedOut = () => {};
  const queryClient = new QueryClient({
    // A session that expires while a page is open: send the person to sign in, not to a broken page.
    queryCache: new QueryCache({ onError: (error) => isUnauthorized(error) && onSignedOut() }),
    defaultOptions: {
      // One quick retry, and none for refusals: a person staring at a spinner learns sooner what is wrong.
      queries: { retry: (count, error) => count < 1 && !isUnauthorized(error), retryDelay: 500 },
    },
  });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  const router = createAppRouter({ queryClient, trpc });
  onSignedOut = () => {
    queryClient.setQueryData(trpc.auth.me.queryKey(), null);
    const here = router.state.location.href;
    if (!here.startsWith("/sign-")) void router.navigate({ to: "/sign-in", search: { redirect: here } });
  };

  function App() {
    return (
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <RouterProvider router={router} />
        </TRPCProvider>
      </QueryClientProvider>
    );
  }
  return { App, router, queryClient };
}
