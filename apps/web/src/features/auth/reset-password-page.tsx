// Where a reset link lands (/reset-password?token=…): choose a new password. The server sends an
// expired or used link here with ?error=INVALID_TOKEN instead, and the page says so.
import { Button } from "@lockstep/ui/button";
import { TextField } from "@lockstep/ui/text-field";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, useRef, useState } from "react";
import { AuthLayout } from "./auth-layout.tsx";
import { resetPassword } from "./auth-client.ts";

const route = getRouteApi("/reset-password");
const MIN_LENGTH = 8;
const SPENT = "This reset link has expired or was already used. Ask for a new one.";

export function ResetPasswordPage() {
  const { token, error: linkError } = route.useSearch();
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(linkError || !token ? SPENT : null);
  const [done, setDone] = useState(false);
  const doneRef = useRef<HTMLDivElement>(null);
  const usable = Boolean(token) && !linkError;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!token) return;
    setBusy(true);
    setError(null);
    const result = await resetPassword({ token, newPassword: password });
    setBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setDone(true);
    requestAnimationFrame(() => doneRef.current?.focus());
  }

  return (
    <AuthLayout
      title="Choose a new password"
      footer={
        <Link to="/forgot-password" className="font-medium text-indigo-700 underline dark:text-indigo-300">
          Ask for a new reset link
        </Link>
      }
    >
      {done ? (
        <div ref={doneRef} tabIndex={-1} role="status" className="mt-4 grid gap-3 text-sm">
          <p className="rounded-lg bg-emerald-50 p-3 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-100">
            Your password was changed, and every device that was signed in was signed out.
          </p>
          <Link
            to="/sign-in"
            className="inline-flex justify-center rounded-lg bg-indigo-600 px-3.5 py-2 font-medium text-white hover:bg-indigo-500"
          >
            Sign in with the new password
          </Link>
        </div>
      ) : (
        <form className="mt-5 grid gap-4" onSubmit={(event) => void onSubmit(event)} noValidate>
          {usable && (
            <TextField
              label="New password"
              type="password"
              name="new-password"
              autoComplete="new-password"
              required
              hint={`At least ${MIN_LENGTH} characters.`}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
          {error && (
            <p
              role="alert"
              className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800 dark:bg-rose-950/60 dark:text-rose-200"
            >
              {error}
            </p>
          )}
          {usable && (
            <Button type="submit" busy={busy} disabled={password.length < MIN_LENGTH}>
              {busy ? "Saving…" : "Set new password"}
            </Button>
          )}
        </form>
      )}
    </AuthLayout>
  );
}
