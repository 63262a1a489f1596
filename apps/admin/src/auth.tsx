// Who may use the console: the signed-in person from auth.me; strangers get the sign-in form, and a
// signed-in person who is not an ADMIN is told so plainly and sees nothing else.
import type { TUserDto } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { hashKey, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChunkErrorBoundary } from "@lockstep/ui/chunk-error";
import { type FormEvent, lazy, type ReactNode, Suspense, useState } from "react";
import { Loading, TextField } from "./components/ui.tsx";
import { useTRPC } from "@lockstep/ui/trpc";

/** Better Auth answers with { message, code }; the words for each case an operator meets. */
export async function signInMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { message?: string; code?: string } | null;
  if (response.status === 401) return "Wrong email or password.";
  if (response.status === 403) return body?.message ?? "This account may not sign in.";
  if (response.status === 429) return "Too many attempts; wait a minute before trying again.";
  return body?.message ?? `Sign-in failed (HTTP ${response.status}).`;
}

export async function signOut(): Promise<void> {
  // Better Auth wants a JSON body (even an empty one) on its POST endpoints.
  await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
}

/**
 * Signs out and shows the sign-in form at once. Emptying the cache alone would not: the gate's
 * query keeps the admin it last read, so the console stayed until a reload. The other queries go
 * too, so nothing the previous account loaded is left for the next one.
 */
export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  const trpc = useTRPC();
  return async () => {
    await signOut().catch(() => undefined);
    const meKey = trpc.auth.me.queryKey();
    queryClient.setQueryData(meKey, null);
    queryClient.removeQueries({ predicate: (query) => query.queryHash !== hashKey(meKey) });
  };
}

// Needed only when auth.me fails; fetched then, so the sign-in form's download leaves out the error codes.
const ErrorNotice = lazy(() =>
  import("./components/error-notice.tsx").then((module) => ({ default: module.ErrorNotice })),
);

export function AuthGate({ children }: { children: (user: TUserDto) => ReactNode }) {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 60_000 });

  if (me.isPending)
    return (
      <CenteredPanel>
        <Loading label="Checking who you are…" />
      </CenteredPanel>
    );
  if (me.isError) {
    return (
      <CenteredPanel>
        <ChunkErrorBoundary>
          <Suspense fallback={<Loading label="Checking who you are…" />}>
            <ErrorNotice error={me.error} title="Cannot check your sign-in" onRetry={() => void me.refetch()} />
          </Suspense>
        </ChunkErrorBoundary>
      </CenteredPanel>
    );
  }
  if (!me.data) return <SignIn />;
  if (me.data.role !== "admin") return <NoAccess user={me.data} />;
  return <>{children(me.data)}</>;
}

export function CenteredPanel({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="mx-auto flex min-h-dvh w-full max-w-md flex-col justify-center px-4 py-10">
      <div className="mb-6 flex items-center gap-3">
        <Logo />
        <span className="text-lg font-semibold tracking-tight">
          Lockstep <span className="text-indigo-600 dark:text-indigo-300">Admin</span>
        </span>
      </div>
      {children}
    </main>
  );
}

function SignIn() {
  const queryClient = useQueryClient();
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const response = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      if (!response.ok) {
        setFailure(await signInMessage(response));
        return;
      }
      await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
    } catch {
      setFailure("The server cannot be reached. Check that it is running, then try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <CenteredPanel>
      <form
        onSubmit={(event) => void submit(event)}
        className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
        aria-labelledby="sign-in-title"
      >
        <h1 id="sign-in-title" className="text-xl font-bold">
          Sign in to the admin console
        </h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          For operators only. Every change you make is recorded in the audit log.
        </p>
        <div className="mt-5 grid gap-4">
          <TextField
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {failure && (
          <p
            role="alert"
            className="mt-4 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900 dark:bg-rose-950/60 dark:text-rose-100"
          >
            {failure}
          </p>
        )}
        <Button type="submit" busy={busy} className="mt-5 w-full">
          {busy ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </CenteredPanel>
  );
}

function NoAccess({ user }: { user: TUserDto }) {
  const signOutNow = useSignOut();
  const [busy, setBusy] = useState(false);
  return (
    <CenteredPanel>
      <section
        role="alert"
        aria-labelledby="no-access-title"
        className="rounded-xl border border-amber-300 bg-amber-50 p-6 dark:border-amber-800 dark:bg-amber-950/50"
      >
        <h1 id="no-access-title" className="text-xl font-bold text-amber-950 dark:text-amber-100">
          No access to the admin console
        </h1>
        <p className="mt-2 text-sm text-amber-900 dark:text-amber-200">
          You are signed in as <strong>{user.email}</strong>, which is not an operator account. Only admins may use this
          console; ask an admin to grant you the role, or sign in with another account.
        </p>
        <Button
          variant="secondary"
          className="mt-4"
          busy={busy}
          onClick={() =>
            void (async () => {
              setBusy(true);
              await signOutNow();
              setBusy(false);
            })()
          }
        >
          Sign out
        </Button>
      </section>
    </CenteredPanel>
  );
}

export function Logo() {
  return (
    <svg viewBox="0 0 32 32" className="size-7 shrink-0" aria-hidden="true">
      <rect width="32" height="32" rx="8" className="fill-indigo-500" />
      <path d="M10 8v16h12" stroke="white" strokeWidth="4" fill="none" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
