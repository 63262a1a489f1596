// The console's frame once an admin is signed in: header with who is signed in, the navigation
// (a side bar on wide screens, a scrolling row on phones) and the page.
import type { TUserDto } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { Link, Outlet } from "@tanstack/react-router";
import { createContext, Suspense, useContext, useState } from "react";
import { Logo, useSignOut } from "./auth.tsx";
import { Loading } from "./components/ui.tsx";

const NAV = [
  { to: "/", label: "Overview" },
  { to: "/interactions", label: "Interactions" },
  { to: "/users", label: "Users" },
  { to: "/sessions", label: "Sessions" },
  { to: "/knowledge", label: "Knowledge base" },
  { to: "/characters", label: "Characters" },
  { to: "/jobs", label: "Jobs" },
  { to: "/models", label: "Models & costs" },
  { to: "/data", label: "Data & audit" },
  { to: "/outbox", label: "Mail outbox" },
] as const;

/** The admin the gate let in; the frame is the router's root, so it reads them from here. */
export const SignedInAdmin = createContext<TUserDto | null>(null);

export function Shell() {
  const user = useContext(SignedInAdmin);
  const signOut = useSignOut();
  const [leaving, setLeaving] = useState(false);
  if (!user) throw new Error("the console's frame rendered outside SignedInAdmin");
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-3 focus:left-3 focus:z-10 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:text-slate-900 focus:shadow"
      >
        Skip to content
      </a>
      <header className="bg-slate-900 text-white dark:border-b dark:border-slate-800">
        <div className="flex items-center gap-3 px-4 py-3 sm:px-6">
          <Logo />
          <span className="font-semibold tracking-tight">
            Lockstep <span className="text-indigo-300">Admin</span>
          </span>
          <span className="ml-auto hidden truncate text-sm text-slate-300 sm:inline" title={user.email}>
            {user.email}
          </span>
          <Button
            variant="ghost"
            size="sm"
            busy={leaving}
            className="text-white hover:bg-white/10 dark:hover:bg-white/10"
            onClick={() =>
              void (async () => {
                setLeaving(true);
                await signOut();
                setLeaving(false);
              })()
            }
          >
            Sign out
          </Button>
        </div>
      </header>
      <div className="flex flex-1 flex-col lg:flex-row">
        <nav
          aria-label="Admin sections"
          className="border-b border-slate-200 bg-white lg:w-52 lg:shrink-0 lg:border-r lg:border-b-0 dark:border-slate-800 dark:bg-slate-900"
        >
          <ul className="flex gap-1 overflow-x-auto px-2 py-2 lg:flex-col lg:overflow-visible lg:px-3 lg:py-4">
            {NAV.map((item) => (
              <li key={item.to} className="shrink-0">
                <Link
                  to={item.to}
                  activeOptions={{ exact: item.to === "/", includeSearch: false }}
                  className="block rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-300 dark:hover:bg-slate-800"
                  activeProps={{
                    "aria-current": "page",
                    className: "bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200",
                  }}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:py-8">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
