// Entry point of the admin app: one query client and one tRPC client for the page's lifetime.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import { createApiClient, TRPCProvider } from "./trpc.ts";
import "./index.css";

const queryClient = new QueryClient({
  // One quick retry: an operator learns sooner that the server is down.
  defaultOptions: { queries: { retry: 1, retryDelay: 500 } },
});
const trpcClient = createApiClient();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <App />
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
