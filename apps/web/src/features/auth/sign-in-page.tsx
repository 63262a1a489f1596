// Sign in with email and password; a refusal says why (wrong password, too many attempts) in words.
import { Button } from "@lockstep/ui/button";
import { TextField } from "@lockstep/ui/text-field";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { AuthLayout } from "./auth-layout.tsx";
import { signIn } from "./auth-client.ts";
import { describeDeletedCounts } from "../profile/account-data.ts";
import { peekDeletedAccount } from "./farewell.ts";
import { useAfterSignIn } from "./use-auth-submit.ts";

const route = getRouteApi("/sign-in");

export function SignInPage() {
  const { redirect } = route.useSearch();
  const afterSignIn = useAfterSignIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [farewell] = useState(peekDeletedAccount);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await signIn({ email: email.trim(), password });
    if (result.ok) {
      await afterSignIn(redirect);
      return;
    }
    setBusy(false);
    setError(result.message);
  }

  return (
    <AuthLayout
      title="Sign in"
      footer={
        <>
          New to Lockstep?{" "}
          <Link
            to="/sign-up"
            search={redirect ? { redirect } : {}}
            className="font-medium text-indigo-700 underline dark:text-indigo-300"
          >
            Create an account
          </Link>
        </>
      }
    >
      {farewell && (
        <div
          role="status"
          className="mt-4 rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-100"
        >
          <p className="font-medium">Your account was deleted.</p>
          <p className="mt-1">
            Removed with it: {describeDeletedCounts(farewell).join(", ") || "no sessions or other data"}.
          </p>
        </div>
      )}
      <form className="mt-5 grid gap-4" onSubmit={(event) => void onSubmit(event)} noValidate>
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <p className="-mt-2 text-sm">
          <Link to="/forgot-password" className="font-medium text-indigo-700 underline dark:text-indigo-300">
            Forgot your password?
          </Link>
        </p>
        {error && (
          <p
            role="alert"
            className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800 dark:bg-rose-950/60 dark:text-rose-200"
          >
            {error}
          </p>
        )}
        <Button type="submit" busy={busy} disabled={!email || !password}>
          {busy ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </AuthLayout>
  );
}
