// The frame of the signed-out pages: the product in one sentence, the form, and a link to the service status.
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { Logo } from "../../shell/logo.tsx";

export function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <main id="main" className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center px-4 py-10 sm:px-6">
        <div className="flex items-center gap-2">
          <Logo />
          <span className="text-lg font-semibold tracking-tight">Lockstep</span>
        </div>
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
          Your AI coach for real conversations: type, or upload a screenshot of a chat, and get suggestions for what to
          say next.
        </p>
        <div className="mt-8 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6 dark:border-slate-800 dark:bg-slate-900">
          <h1 className="text-xl font-semibold">{title}</h1>
          {children}
        </div>
        <p className="mt-4 text-center text-sm text-slate-600 dark:text-slate-400">{footer}</p>
      </main>
      <footer className="border-t border-slate-200 dark:border-slate-800">
        <p className="mx-auto max-w-md px-4 py-4 text-xs text-slate-500 sm:px-6 dark:text-slate-400">
          <Link to="/status" className="underline hover:text-slate-700 dark:hover:text-slate-200">
            Service status
          </Link>
        </p>
      </footer>
    </div>
  );
}
