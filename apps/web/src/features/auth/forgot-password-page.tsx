// "Forgot your password?": asks for the account's email and mails a reset link. The answer is the
// same whether or not the address has an account, so the page cannot be used to find accounts.
import { Button } from "@lockstep/ui/button";
import { TextField } from "@lockstep/ui/text-field";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useRef, useState } from "react";
import { AuthLayout } from "./auth-layout.tsx";
import { requestPasswordReset } from "./auth-client.ts";

export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const address = email.trim();
    const result = await requestPasswordReset(address);
    setBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setSentTo(address);
    // The form is replaced by the confirmation; focus follows it instead of falling to the page.
    requestAnimationFrame(() => doneRef.current?.focus());
  }

  return (
    <AuthLayout
      title="Reset your password"
      footer={
        <>
          Remembered it?{" "}
          <Link to="/sign-in" className="font-medium text-indigo-700 underline dark:text-indigo-300">
            Sign in
          </Link>
        </>
      }
    >
      {sentTo ? (
        <p
          ref={doneRef}
          tabIndex={-1}
          role="status"
          className="mt-4 rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-100"
        >
          If <strong>{sentTo}</strong> has a Lockstep account, a link to choose a new password is on its way. It works
          once and for a limited time. No email? Check the spam folder, or ask your administrator: they can read the
          link in the admin tool&apos;s outbox.
        </p>
      ) : (
        <form className="mt-5 grid gap-4" onSubmit={(event) => void onSubmit(event)} noValidate>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Enter the email of your account and we will send you a link to choose a new password.
          </p>
          <TextField
            label="Email"
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          {error && (
            <p
              role="alert"
              className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800 dark:bg-rose-950/60 dark:text-rose-200"
            >
              {error}
            </p>
          )}
          <Button type="submit" busy={busy} disabled={!email.trim()}>
            {busy ? "Sending…" : "Send reset link"}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
