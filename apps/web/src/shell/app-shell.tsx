// The signed-in frame: a header, the sessions sidebar (a drawer under 768 px), and the page.
import { useQuery } from "@tanstack/react-query";
import { Link, Outlet, useRouterState } from "@tanstack/react-router";
import { useEffect, useMemo, useRef, useState } from "react";
import { SessionsSidebar } from "../features/sidebar/sessions-sidebar.tsx";
import { useTRPC } from "@lockstep/ui/trpc";
import { Logo } from "./logo.tsx";
import { ShortcutsDialog, useGlobalShortcuts } from "./shortcuts.tsx";
import { ThemeSwitch } from "./theme.tsx";

/** The sidebar's controls the shortcuts reach (by id, with a fallback to what the sidebar shows). */
function sidebarControl(which: "new-session" | "session-search"): HTMLElement | null {
  const byId = document.getElementById(which);
  if (byId) return byId;
  const sidebar = document.getElementById("sessions-sidebar");
  if (which === "session-search") return sidebar?.querySelector<HTMLElement>("input[type=search]") ?? null;
  return (
    [...(sidebar?.querySelectorAll<HTMLElement>("button") ?? [])].find((button) =>
      /new session/i.test(button.textContent ?? ""),
    ) ?? null
  );
}

export function AppShell() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const [drawerOpen, setDrawerOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const sidebarRef = useRef<HTMLElement>(null);
  const pathname = useRouterState({ select: (state) => state.location.pathname });

  const [helpOpen, setHelpOpen] = useState(false);
  const shortcuts = useMemo(() => {
    // On a phone the sidebar is a closed drawer: open it, then reach into it once it has rendered.
    const reach = (which: "new-session" | "session-search", act: (element: HTMLElement) => void) => {
      const now = sidebarControl(which);
      if (now && now.getClientRects().length > 0) return act(now);
      setDrawerOpen(true);
      requestAnimationFrame(() => {
        const later = sidebarControl(which);
        if (later) act(later);
      });
    };
    return {
      newSession: () => reach("new-session", (element) => element.click()),
      search: () => reach("session-search", (element) => element.focus()),
      showHelp: () => setHelpOpen(true),
    };
  }, []);
  useGlobalShortcuts(shortcuts);

  // Following a link from the drawer means the person is done with it.
  useEffect(() => setDrawerOpen(false), [pathname]);

  useEffect(() => {
    if (!drawerOpen) return;
    // Keyboard and screen-reader users land in the drawer they opened, and back on its button after.
    sidebarRef.current?.querySelector<HTMLElement>("button, a, input")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !document.querySelector("dialog[open], [role=menu]")) {
        setDrawerOpen(false);
        toggleRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [drawerOpen]);

  return (
    <div className="flex h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-3 focus:left-3 focus:z-50 focus:rounded-lg focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-slate-800"
      >
        Skip to content
      </a>
      <header className="z-20 flex shrink-0 items-center gap-2 border-b border-slate-200 bg-white px-3 py-2 sm:px-4 dark:border-slate-800 dark:bg-slate-900">
        <button
          ref={toggleRef}
          type="button"
          className="inline-flex size-10 items-center justify-center rounded-lg text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 md:hidden dark:text-slate-200 dark:hover:bg-slate-800"
          aria-label={drawerOpen ? "Close sessions" : "Open sessions"}
          aria-expanded={drawerOpen}
          aria-controls="sessions-sidebar"
          onClick={() => setDrawerOpen((open) => !open)}
        >
          <svg
            viewBox="0 0 24 24"
            className="size-6"
            aria-hidden="true"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
          >
            {drawerOpen ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
          </svg>
        </button>
        <Link
          to="/"
          className="flex items-center gap-2 rounded-lg focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          <Logo className="size-7" />
          <span className="text-base font-semibold tracking-tight">Lockstep</span>
        </Link>
        <div className="ml-auto flex min-w-0 items-center gap-1">
          <ThemeSwitch className="hidden sm:flex" />
          <button
            type="button"
            aria-label="Keyboard shortcuts"
            aria-keyshortcuts="Shift+?"
            title="Keyboard shortcuts (?)"
            onClick={() => setHelpOpen(true)}
            className="hidden size-9 items-center justify-center rounded-lg text-sm font-semibold text-slate-700 hover:bg-slate-100 sm:inline-flex dark:text-slate-200 dark:hover:bg-slate-800"
          >
            ?
          </button>
          <Link
            to="/profile"
            className="flex min-w-0 items-center gap-2 rounded-lg px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-200 dark:hover:bg-slate-800"
            activeProps={{ "aria-current": "page" }}
          >
            <span
              aria-hidden="true"
              className="inline-flex size-7 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-800 dark:bg-indigo-900 dark:text-indigo-200"
            >
              {(me.data?.name ?? "?").slice(0, 1).toUpperCase()}
            </span>
            <span className="truncate">
              <span className="sr-only">Profile of </span>
              {me.data?.name ?? "Profile"}
            </span>
          </Link>
        </div>
      </header>

      <div className="relative flex min-h-0 flex-1">
        {drawerOpen && (
          <div
            aria-hidden="true"
            className="fixed inset-0 top-14 z-20 bg-slate-950/40 md:hidden"
            onClick={() => setDrawerOpen(false)}
          />
        )}
        <aside
          ref={sidebarRef}
          id="sessions-sidebar"
          aria-label="Sessions"
          className={`${drawerOpen ? "fixed inset-y-0 top-14 left-0 z-30 flex w-[min(20rem,88vw)] shadow-xl" : "hidden"} flex-col border-r border-slate-200 bg-white md:static md:z-auto md:flex md:w-80 md:shrink-0 md:shadow-none dark:border-slate-800 dark:bg-slate-900`}
        >
          <SessionsSidebar />
        </aside>
        {/* Positioned, so visually hidden text (absolute) inside is clipped by this scroller instead of stretching the page. */}
        <main id="main" className="relative min-w-0 flex-1 overflow-y-auto">
          <Outlet />
        </main>
      </div>
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
