// The profile's "Change password" form: the current password proves it is the owner, and every
// other device signed in to the account is signed out.
import { Button } from "@lockstep/ui/button";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { TextField } from "@lockstep/ui/text-field";
import { type FormEvent, useRef, useState } from "react";
import { type AuthResult, changePassword } from "../auth/auth-client.ts";

const MIN_LENGTH = 8;

export function ChangePasswordSection() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Extract<AuthResult, { ok: false }> | null>(null);
  const [done, setDone] = useState(false);
  const currentRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLInputElement>(null);
  const tooShort = next.length > 0 && next.length < MIN_LENGTH;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setDone(false);
    const result = await changePassword({ currentPassword: current, newPassword: next });
    setBusy(false);
    if (result.ok) {
      setCurrent("");
      setNext("");
      setDone(true);
      return;
    }
    setFailure(result);
    // Focus goes to the field to fix, so a keyboard or screen-reader user lands on the problem.
    (result.field === "password" ? nextRef : currentRef).current?.focus();
  }

  return (
    <section
      aria-labelledby="profile-password"
      className="mt-6 rounded-2xl border border-slate-200 bg-white p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="profile-password" className="text-lg font-semibold">
        Change password
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Every other device signed in to your account is signed out; this one stays signed in.
      </p>
      <form className="mt-4 grid gap-4" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          ref={currentRef}
          label="Current password"
          type="password"
          name="current-password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={failure?.field === "currentPassword" ? failure.message : null}
        />
        <TextField
          ref={nextRef}
          label="New password"
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          hint={`At least ${MIN_LENGTH} characters.`}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={failure?.field === "password" ? failure.message : null}
        />
        {failure && failure.field !== "currentPassword" && failure.field !== "password" && (
          <ErrorNotice title="Your password was not changed" message={failure.message} />
        )}
        <div className="flex items-center gap-3">
          <Button type="submit" busy={busy} disabled={!current || !next || tooShort}>
            Change password
          </Button>
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
            {done ? "Password changed. Other devices were signed out." : ""}
          </p>
        </div>
      </form>
    </section>
  );
}
