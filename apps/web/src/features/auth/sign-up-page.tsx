// Create an account (name, email, password); Better Auth signs the person in straight away.
import { Button } from "@lockstep/ui/button";
import { TextField } from "@lockstep/ui/text-field";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { AuthLayout } from "./auth-layout.tsx";
import { type AuthResult, signUp } from "./auth-client.ts";
import { useAfterSignIn } from "./use-auth-submit.ts";

const route = getRouteApi("/sign-up");
const PASSWORD_MIN = 8;

export function SignUpPage() {
  const { redirect } = route.useSearch();
  const afterSignIn = useAfterSignIn();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [failure, setFailure] = useState<Extract<AuthResult, { ok: false }> | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (password.length < PASSWORD_MIN) {
      setFailure({
        ok: false,
        field: "password",
        message: `The password must be at least ${PASSWORD_MIN} characters.`,
      });
      return;
    }
    setBusy(true);
    setFailure(null);
    const result = await signUp({ name: name.trim(), email: email.trim(), password });
    if (result.ok) {
      await afterSignIn(redirect);
      return;
    }
    setBusy(false);
    setFailure(result);
  }

  const fieldError = (field: "name" | "email" | "password") => (failure?.field === field ? failure.message : null);

  return (
    <AuthLayout
      title="Create your account"
      footer={
        <>
          Already have an account?{" "}
          <Link
            to="/sign-in"
            search={redirect ? { redirect } : {}}
            className="font-medium text-indigo-700 underline dark:text-indigo-300"
          >
            Sign in
          </Link>
        </>
      }
    >
      <form className="mt-5 grid gap-4" onSubmit={(event) => void onSubmit(event)} noValidate>
        <TextField
          label="Name"
          name="name"
          autoComplete="name"
          required
          maxLength={80}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError("name")}
        />
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldError("email")}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          hint={`At least ${PASSWORD_MIN} characters.`}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError("password")}
        />
        {failure && !failure.field && (
          <p
            role="alert"
            className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800 dark:bg-rose-950/60 dark:text-rose-200"
          >
            {failure.message}
          </p>
        )}
        <Button type="submit" busy={busy} disabled={!name.trim() || !email.trim() || !password}>
          {busy ? "Creating your account…" : "Create account"}
        </Button>
      </form>
    </AuthLayout>
  );
}
