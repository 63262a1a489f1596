// Entry point of the admin app: one query client and one tRPC client for the page's lifetime, the
// sign-in gate, and behind it the console (router, frame, pages), fetched only once an admin is in.
import { ChunkErrorBoundary, ChunkLoadFailed } from "@lockstep/ui/chunk-error";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { AuthGate, CenteredPanel } from "./auth.tsx";
import { Loading } from "./components/ui.tsx";
import { createApiClient, TRPCProvider } from "@lockstep/ui/trpc";
import "./index.css";

const SignedInConsole = lazy(() => import("./console.tsx"));

/**
 * A call refused because the session ended or the role was taken away: ask auth.me again, so the
 * gate shows the sign-in form or the no-access screen instead of a page of errors.
 */
function recheckSignIn(error: unknown) {
  const code = (error as { data?: { code?: unknown } } | null)?.data?.code;
  if (code === "UNAUTHORIZED" || code === "FORBIDDEN")
    void queryClient.invalidateQueries({ queryKey: [["auth", "me"]] });
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: recheckSignIn }),
  mutationCache: new MutationCache({ onError: recheckSignIn }),
  // One quick retry, and none for refusals: an operator learns sooner that something is wrong.
  defaultOptions: {
    queries: {
      retry: (count, error) =>
        count < 1 && typeof (error as { data?: { httpStatus?: number } }).data?.httpStatus !== "number",
      retryDelay: 500,
      refetchOnWindowFocus: false,
    },
  },
});
const trpcClient = createApiClient();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <AuthGate>
          {(user) => (
            <ChunkErrorBoundary
              fallback={
                <CenteredPanel>
                  <ChunkLoadFailed />
                </CenteredPanel>
              }
            >
              <Suspense
                fallback={
                  <CenteredPanel>
                    <Loading label="Opening the console…" />
                  </CenteredPanel>
                }
              >
                <SignedInConsole user={user} />
              </Suspense>
            </ChunkErrorBoundary>
          )}
        </AuthGate>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
