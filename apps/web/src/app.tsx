// The web app's page: who Lockstep is for, and whether the service behind it is up.
import { HealthPanel } from "./health-panel.tsx";

export function App() {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-3 focus:left-3 focus:z-10 focus:rounded-lg focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white/80 dark:border-slate-800 dark:bg-slate-900/80">
        <div className="mx-auto flex max-w-3xl items-center gap-3 px-4 py-3 sm:px-6">
          <Logo />
          <span className="text-lg font-semibold tracking-tight">Lockstep</span>
          <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
            Chat
          </span>
        </div>
      </header>

      <main id="main" className="mx-auto w-full max-w-3xl flex-1 px-4 py-10 sm:px-6 sm:py-14">
        <p className="text-sm font-semibold tracking-wide text-indigo-600 uppercase dark:text-indigo-400">Lockstep</p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight text-balance sm:text-4xl">Your AI coach for real conversations</h1>
        <p className="mt-4 max-w-2xl text-base text-pretty text-slate-600 sm:text-lg dark:text-slate-400">
          Start a session with a coach by typing, or upload a screenshot of a chat. Lockstep reads it, and suggests what to say
          next, and why it works.
        </p>

        <div className="mt-10">
          <HealthPanel />
        </div>
      </main>

      <footer className="border-t border-slate-200 dark:border-slate-800">
        <p className="mx-auto max-w-3xl px-4 py-4 text-xs text-slate-500 sm:px-6 dark:text-slate-400">
          Lockstep chat app. Sessions and suggestions arrive here next; for now this page reports the service’s health.
        </p>
      </footer>
    </div>
  );
}

function Logo() {
  return (
    <svg viewBox="0 0 32 32" className="size-8" aria-hidden="true">
      <rect width="32" height="32" rx="8" className="fill-indigo-600" />
      <path d="M10 8v16h12" stroke="white" strokeWidth="4" fill="none" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
