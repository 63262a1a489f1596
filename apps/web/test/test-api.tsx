// Component-test support, kept out of src so no app code can import it: a real tRPC client and
// TanStack Query around a component, with a link that answers procedures from a table in the test
// instead of a server (and can fail like a network).
import type { AppRouter } from "@lockstep/api";
import type { TMessageDto, TSessionDto } from "@lockstep/contracts";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import type { ReactNode } from "react";
import { TRPCProvider } from "@lockstep/ui/trpc";

export type Handler = (input: unknown) => unknown | Promise<unknown>;
export interface Call {
  path: string;
  input: unknown;
}

/** A failure the way the browser reports a request that never got an answer. */
export function networkError(): TRPCClientError<AppRouter> {
  return TRPCClientError.from(new TypeError("Failed to fetch"));
}

/** A refusal the server answered with (a tRPC error response with its HTTP status). */
export function refusal(message: string, httpStatus = 400, code = "BAD_REQUEST"): TRPCClientError<AppRouter> {
  return TRPCClientError.from<AppRouter>({ error: { message, code: -32600, data: { code, httpStatus } } });
}

export function fakeApi(handlers: Record<string, Handler>) {
  const calls: Call[] = [];
  const link: TRPCLink<AppRouter> =
    () =>
    ({ op }) =>
      observable((observer) => {
        calls.push({ path: op.path, input: op.input });
        const handler = handlers[op.path];
        // Subscriptions without a handler stay open and quiet, like a stream with nothing to say.
        if (!handler) {
          if (op.type === "subscription") return () => {};
          observer.error(TRPCClientError.from(new Error(`no handler for ${op.path}`)));
          return () => {};
        }
        Promise.resolve()
          .then(() => handler(op.input))
          .then(
            (data) => {
              observer.next({ result: { type: "data", data } });
              observer.complete();
            },
            (error: unknown) =>
              observer.error(error instanceof TRPCClientError ? error : TRPCClientError.from(error as Error)),
          );
        return () => {};
      });
  const client = createTRPCClient<AppRouter>({ links: [link] });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrap = (node: ReactNode) => (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={client} queryClient={queryClient}>
        {node}
      </TRPCProvider>
    </QueryClientProvider>
  );
  return { calls, wrap, queryClient };
}

export const SESSION_ID = "00000000-0000-4000-8000-000000000001";

export function sessionDto(overrides: Partial<TSessionDto> = {}): TSessionDto {
  return {
    id: SESSION_ID,
    type: "text",
    status: "pending_user_input",
    name: "Coffee plans",
    characterId: null,
    engagementId: null,
    episodeTemplateId: null,
    hasScreenshot: false,
    errorReason: null,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    lastActivity: 1_700_000_000_000,
    endedAt: null,
    deletedAt: null,
    isActive: true,
    isPinned: false,
    ...overrides,
  };
}

export function messageDto(overrides: Partial<TMessageDto> = {}): TMessageDto {
  return {
    id: "00000000-0000-4000-8000-0000000000aa",
    sessionId: SESSION_ID,
    text: "Hello",
    author: "user",
    timestamp: 1_700_000_000_000,
    sentiment: null,
    collectionIds: [],
    title: null,
    tag: null,
    analysis: null,
    isLiked: false,
    isDisliked: false,
    isPinned: false,
    usedCount: 0,
    builtIn: false,
    replyStatus: null,
    replyError: null,
    parentId: null,
    versions: [overrides.id ?? "00000000-0000-4000-8000-0000000000aa"],
    stopped: false,
    ...overrides,
  };
}
