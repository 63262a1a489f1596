// The admin app's page: what the console is for, and whether the API and database are healthy.
import { HealthPanel } from "./health-panel.tsx";

const UPCOMING = ["AI interaction log and charts", "Users and sessions", "Knowledge base", "Characters", "Retention"];

export function App() {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-3 focus:left-3 focus:z-10 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:text-slate-900 focus:shadow"
      >
        Skip to content
      </a>
      <header className="bg-slate-900 text-white dark:border-b dark:border-slate-800">
        <div className="mx-auto flex max-w-5xl items-center gap-3 px-4 py-3 sm:px-6">
          <Logo />
          <span className="font-semibold tracking-tight">
            Lockstep <span className="text-indigo-300">Admin</span>
          </span>
          <span className="ml-auto rounded-md bg-white/10 px-2 py-0.5 text-xs font-medium text-slate-200 ring-1 ring-white/20 ring-inset">
            Internal
          </span>
        </div>
      </header>

      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6 sm:py-10">
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">Lockstep Admin</h1>
        <p className="mt-2 max-w-3xl text-sm text-pretty text-slate-600 sm:text-base dark:text-slate-400">
          The operators’ console for Lockstep: every AI interaction, the people and sessions behind them, and the knowledge the
          coaches draw on.
        </p>

        <div className="mt-8 grid gap-6 lg:grid-cols-[1fr_18rem]">
          <HealthPanel />
          <aside
            aria-labelledby="upcoming-title"
            className="self-start rounded-xl border border-dashed border-slate-300 p-4 sm:p-5 dark:border-slate-700"
          >
            <h2 id="upcoming-title" className="text-sm font-semibold text-slate-900 dark:text-slate-100">
              Coming to this console
            </h2>
            <ul className="mt-3 space-y-2 text-sm text-slate-600 dark:text-slate-400">
              {UPCOMING.map((item) => (
                <li key={item} className="flex items-center gap-2">
                  <span aria-hidden="true" className="size-1.5 rounded-full bg-indigo-400" />
                  {item}
                </li>
              ))}
            </ul>
          </aside>
        </div>
      </main>

      <footer className="border-t border-slate-200 dark:border-slate-800">
        <p className="mx-auto max-w-5xl px-4 py-4 text-xs text-slate-500 sm:px-6 dark:text-slate-400">
          Lockstep Admin, for operators only. Admin actions will be recorded in the audit log.
        </p>
      </footer>
    </div>
  );
}

function Logo() {
  return (
    <svg viewBox="0 0 32 32" className="size-7" aria-hidden="true">
      <rect width="32" height="32" rx="8" className="fill-indigo-500" />
      <path d="M10 8v16h12" stroke="white" strokeWidth="4" fill="none" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
