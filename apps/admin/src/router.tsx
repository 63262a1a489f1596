// The console's routes, in code, loaded only once an admin has signed in (see console.tsx): each page
// is its own chunk (lazyRouteComponent), so the charts come with the overview and nowhere else; the
// interaction log keeps its filters in the URL.
import { ChunkLoadFailed, isChunkLoadError } from "@lockstep/ui/chunk-error";
import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from "@tanstack/react-router";
import { ErrorNotice } from "./components/error-notice.tsx";
import { Loading } from "./components/ui.tsx";
import { interactionSearchShape, sessionSearchShape, userSearchShape } from "./lib/search-shape.ts";
import { Shell } from "./shell.tsx";

const rootRoute = createRootRoute({
  component: Shell,
  // A page's code that cannot be fetched (replaced by a deploy since the console opened) needs a reload, not a retry.
  errorComponent: ({ error, reset }) =>
    isChunkLoadError(error) ? (
      <ChunkLoadFailed />
    ) : (
      <ErrorNotice error={error} title="This page failed" onRetry={reset} />
    ),
  notFoundComponent: () => <p className="text-sm">No such page in the admin console.</p>,
});

const overviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  component: lazyRouteComponent(() => import("./pages/overview.tsx"), "OverviewPage"),
});
export const interactionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "interactions",
  validateSearch: interactionSearchShape,
  component: lazyRouteComponent(() => import("./pages/interactions.tsx"), "InteractionsPage"),
});
export const interactionRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "interactions/$id",
  component: lazyRouteComponent(() => import("./pages/interaction-detail.tsx"), "InteractionDetailPage"),
});
export const usersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "users",
  validateSearch: userSearchShape,
  component: lazyRouteComponent(() => import("./pages/users.tsx"), "UsersPage"),
});
export const userRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "users/$id",
  component: lazyRouteComponent(() => import("./pages/user-detail.tsx"), "UserDetailPage"),
});
export const sessionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "sessions",
  validateSearch: sessionSearchShape,
  component: lazyRouteComponent(() => import("./pages/sessions.tsx"), "SessionsPage"),
});
export const sessionRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "sessions/$id",
  component: lazyRouteComponent(() => import("./pages/session-detail.tsx"), "SessionDetailPage"),
});
const knowledgeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "knowledge",
  component: lazyRouteComponent(() => import("./pages/knowledge.tsx"), "KnowledgePage"),
});
const charactersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "characters",
  component: lazyRouteComponent(() => import("./pages/characters.tsx"), "CharactersPage"),
});
export const jobsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "jobs",
  // Plain strings only here (no zod in the first download); the page parses state and queue fully.
  validateSearch: (raw: Record<string, unknown>): { state?: string; queue?: string } => ({
    ...(typeof raw.state === "string" ? { state: raw.state } : {}),
    ...(typeof raw.queue === "string" ? { queue: raw.queue } : {}),
  }),
  component: lazyRouteComponent(() => import("./pages/jobs.tsx"), "JobsPage"),
});
const dataRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "data",
  component: lazyRouteComponent(() => import("./pages/data.tsx"), "DataPage"),
});

const modelsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "models",
  component: lazyRouteComponent(() => import("./pages/models.tsx"), "ModelsPage"),
});

const outboxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "outbox",
  component: lazyRouteComponent(() => import("./pages/outbox.tsx"), "OutboxPage"),
});

const routeTree = rootRoute.addChildren([
  overviewRoute,
  interactionsRoute,
  interactionRoute,
  usersRoute,
  userRoute,
  sessionsRoute,
  sessionRoute,
  knowledgeRoute,
  charactersRoute,
  jobsRoute,
  dataRoute,
  modelsRoute,
  outboxRoute,
]);

export const router = createRouter({
  routeTree,
  basepath: "/admin",
  defaultPreload: "intent",
  // Shown in the frame while a page's chunk is still on its way (after the router's short wait).
  defaultPendingComponent: () => <Loading />,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
