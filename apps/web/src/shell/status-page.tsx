// The service status page: open to anyone, so a person who cannot sign in can see whether Lockstep is up.
import { Link } from "@tanstack/react-router";
import { HealthPanel } from "../health-panel.tsx";
import { Logo } from "./logo.tsx";

export function StatusPage() {
  return (
    <main id="main" className="mx-auto w-full max-w-3xl px-4 py-10 sm:px-6">
      <Link
        to="/"
        className="inline-flex items-center gap-2 rounded-lg focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <Logo className="size-7" />
        <span className="text-base font-semibold">Lockstep</span>
      </Link>
      <h1 className="mt-8 text-2xl font-bold tracking-tight">Service status</h1>
      <div className="mt-6">
        <HealthPanel />
      </div>
    </main>
  );
}
