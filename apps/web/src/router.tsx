// The app's routes (code-based, no codegen): public sign-in, sign-up and status pages, and the
// signed-in pages inside the shell. The shell and every page are their own chunks, so the sign-in
// page loads only the router, the query client and its own form.
import type { AppRouter } from "@lockstep/api";
import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
  useParams,
  useSearch,
} from "@tanstack/react-router";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { lazy, Suspense } from "react";
import { ChunkErrorBoundary } from "@lockstep/ui/chunk-error";
import { Spinner } from "@lockstep/ui/spinner";
import { NotFound, RouteError } from "./shell/route-states.tsx";

export interface RouterContext {
  queryClient: QueryClient;
  trpc: TRPCOptionsProxy<AppRouter>;
}

// Where a signed-out visitor was going, so sign-in can take them there. Only paths on this site.
function safeRedirect(value: unknown): string | undefined {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : undefined;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
  errorComponent: RouteError,
});

/** Who is signed in, from the cache when fresh: every navigation asks, few reach the server. */
function whoAmI({ queryClient, trpc }: RouterContext) {
  return queryClient.fetchQuery({ ...trpc.auth.me.queryOptions(), staleTime: 60_000 });
}

const authSearch = (search: Record<string, unknown>): { redirect?: string } => {
  const target = safeRedirect(search.redirect);
  return target ? { redirect: target } : {};
};

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  validateSearch: authSearch,
  beforeLoad: async ({ context, search }) => {
    if (await whoAmI(context).catch(() => null)) throw redirect({ to: search.redirect ?? "/" });
  },
  component: lazyRouteComponent(() => import("./features/auth/sign-in-page.tsx"), "SignInPage"),
});

const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-up",
  validateSearch: authSearch,
  beforeLoad: async ({ context }) => {
    if (await whoAmI(context).catch(() => null)) throw redirect({ to: "/" });
  },
  component: lazyRouteComponent(() => import("./features/auth/sign-up-page.tsx"), "SignUpPage"),
});

const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/forgot-password",
  component: lazyRouteComponent(() => import("./features/auth/forgot-password-page.tsx"), "ForgotPasswordPage"),
});

// Open signed in or out: a reset link may be opened in a browser where someone is signed in.
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reset-password",
  validateSearch: (search: Record<string, unknown>): { token?: string; error?: string } => ({
    ...(typeof search.token === "string" && search.token ? { token: search.token } : {}),
    ...(typeof search.error === "string" && search.error ? { error: search.error } : {}),
  }),
  component: lazyRouteComponent(() => import("./features/auth/reset-password-page.tsx"), "ResetPasswordPage"),
});

const statusRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/status",
  component: lazyRouteComponent(() => import("./shell/status-page.tsx"), "StatusPage"),
});

// The signed-in part of the app: one guard for all of it, and the shell with the sessions sidebar.
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "signed-in",
  beforeLoad: async ({ context, location }) => {
    const me = await whoAmI(context);
    if (!me) throw redirect({ to: "/sign-in", search: { redirect: location.href } });
    return { me };
  },
  component: lazyRouteComponent(() => import("./shell/app-shell.tsx"), "AppShell"),
  errorComponent: RouteError,
});

const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  component: lazyRouteComponent(() => import("./features/characters/home-page.tsx"), "HomePage"),
});

const characterRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/characters/$characterId",
  component: lazyRouteComponent(() => import("./features/characters/character-page.tsx"), "CharacterPage"),
});

const SessionPage = lazy(() => import("./features/session/session-page.tsx"));

function SessionRoute() {
  const { sessionId } = useParams({ from: "/signed-in/sessions/$sessionId" });
  const { message } = useSearch({ from: "/signed-in/sessions/$sessionId" });
  return (
    <ChunkErrorBoundary className="m-6">
      <Suspense fallback={<Spinner label="Opening the session…" className="p-6" />}>
        {/* Keyed: another session is another page, with none of the last one's state. */}
        <SessionPage key={sessionId} sessionId={sessionId} focusMessageId={message} />
      </Suspense>
    </ChunkErrorBoundary>
  );
}

const sessionRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/sessions/$sessionId",
  // ?message=<id>: open scrolled to that message and mark it (a search result links here).
  validateSearch: (search: Record<string, unknown>): { message?: string } =>
    typeof search.message === "string" && /^[0-9a-f-]{36}$/i.test(search.message) ? { message: search.message } : {},
  component: SessionRoute,
});

const collectionsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/collections",
  component: lazyRouteComponent(() => import("./features/collections/collections-page.tsx"), "CollectionsPage"),
});

const collectionRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/collections/$collectionId",
  component: lazyRouteComponent(() => import("./features/collections/collection-page.tsx"), "CollectionPage"),
});

const profileRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/profile",
  component: lazyRouteComponent(() => import("./features/profile/profile-page.tsx"), "ProfilePage"),
});

const trashRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/trash",
  component: lazyRouteComponent(() => import("./features/sidebar/trash-page.tsx"), "TrashPage"),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  statusRoute,
  appRoute.addChildren([
    homeRoute,
    characterRoute,
    sessionRoute,
    collectionsRoute,
    collectionRoute,
    profileRoute,
    trashRoute,
  ]),
]);

export function createAppRouter(context: RouterContext) {
  return createRouter({
    routeTree,
    context,
    defaultPreload: "intent",
    // The query cache is the data layer; the router's own cache would only duplicate it.
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: () => <Spinner className="p-6" />,
    scrollRestoration: true,
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
