// The service status page: open to anyone, so a person who cannot sign in can see whether Lockstep is up.
import { Link } from "@tanstack/react-router";
import { HealthPanel } from "@lockstep/ui/health-panel";
import { Logo } from "./logo.tsx";

// A status page should notice a server going away without a reload.
const HEALTH_POLL_MS = 30_000;

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
        <HealthPanel pollMs={HEALTH_POLL_MS} />
      </div>
    </main>
  );
}
