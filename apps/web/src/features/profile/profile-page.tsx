// The person's profile: change the name and picture, sign out, or delete the account.
import type { TUserDto } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Spinner } from "@lockstep/ui/spinner";
import { TextField } from "@lockstep/ui/text-field";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useRouter } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { signOut } from "../auth/auth-client.ts";
import { rememberDeletedAccount } from "../auth/farewell.ts";
import { ThemeSwitch } from "../../shell/theme.tsx";
import { ChangePasswordSection } from "./change-password.tsx";
import { DeleteAccountDialog } from "./delete-account-dialog.tsx";
import { UsagePanel } from "./usage-panel.tsx";

export function ProfilePage() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  if (me.isPending) return <Spinner className="p-6" />;
  if (me.isError || !me.data) {
    return (
      <div className="mx-auto max-w-2xl p-6">
        <ErrorNotice message={describeAppError(me.error).message} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  return <Profile me={me.data} />;
}

function useLeave() {
  const queryClient = useQueryClient();
  const router = useRouter();
  const navigate = useNavigate();
  return async () => {
    // Nothing of this person may linger in the tab for whoever signs in next.
    queryClient.clear();
    await router.invalidate();
    await navigate({ to: "/sign-in", replace: true });
  };
}

function Profile({ me }: { me: TUserDto }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const leave = useLeave();
  const [name, setName] = useState(me.name);
  const [image, setImage] = useState(me.image ?? "");
  const [saved, setSaved] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  const update = useMutation(
    trpc.user.updateProfile.mutationOptions({
      onSuccess: (user) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        setSaved(true);
      },
    }),
  );
  const remove = useMutation(
    trpc.user.deleteAccount.mutationOptions({
      onSuccess: async (result) => {
        rememberDeletedAccount(result.counts);
        await leave();
      },
    }),
  );
  const updateError = update.error ? describeAppError(update.error) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    update.mutate({ name: name.trim(), image: image.trim() === "" ? null : image.trim() });
  };

  return (
    <div className="mx-auto max-w-2xl p-4 sm:p-6">
      <h1 className="text-2xl font-bold tracking-tight">Profile</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Signed in as <span className="font-medium text-slate-900 dark:text-slate-100">{me.email}</span>
      </p>

      <section
        aria-labelledby="profile-edit"
        className="mt-6 rounded-2xl border border-slate-200 bg-white p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-900"
      >
        <h2 id="profile-edit" className="text-lg font-semibold">
          Your details
        </h2>
        <form className="mt-4 grid gap-4" onSubmit={submit} noValidate>
          <TextField
            label="Name"
            name="name"
            autoComplete="name"
            maxLength={80}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setSaved(false);
            }}
            error={updateError?.field === "name" ? updateError.message : null}
          />
          <TextField
            label="Picture URL"
            name="image"
            type="url"
            hint="An https link to an image, or leave empty for none."
            value={image}
            onChange={(e) => {
              setImage(e.target.value);
              setSaved(false);
            }}
            error={updateError?.field === "image" ? updateError.message : null}
          />
          {updateError && !updateError.field && (
            <ErrorNotice title="Your details were not saved" message={updateError.message} />
          )}
          <div className="flex items-center gap-3">
            <Button type="submit" busy={update.isPending} disabled={!name.trim()}>
              Save changes
            </Button>
            <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
              {saved ? "Saved." : ""}
            </p>
          </div>
        </form>
      </section>

      <UsagePanel />

      <ChangePasswordSection />

      <section
        aria-labelledby="profile-appearance"
        className="mt-6 rounded-2xl border border-slate-200 bg-white p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-900"
      >
        <h2 id="profile-appearance" className="text-lg font-semibold">
          Appearance
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Follow the system&apos;s light or dark setting, or choose one; kept on this device.
        </p>
        <ThemeSwitch className="mt-3" showLabel />
      </section>

      <section
        aria-labelledby="profile-session"
        className="mt-6 rounded-2xl border border-slate-200 bg-white p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-900"
      >
        <h2 id="profile-session" className="text-lg font-semibold">
          Sign out
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Sign out of Lockstep on this device.</p>
        {signOutError && <ErrorNotice className="mt-3" message={signOutError} />}
        <Button
          variant="secondary"
          className="mt-3"
          busy={signingOut}
          onClick={() =>
            void (async () => {
              setSigningOut(true);
              const result = await signOut();
              if (result.ok) return leave();
              setSigningOut(false);
              setSignOutError(result.message);
            })()
          }
        >
          Sign out
        </Button>
      </section>

      <section
        aria-labelledby="profile-delete"
        className="mt-6 rounded-2xl border border-rose-200 bg-white p-4 sm:p-6 dark:border-rose-900 dark:bg-slate-900"
      >
        <h2 id="profile-delete" className="text-lg font-semibold text-rose-800 dark:text-rose-200">
          Delete account
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Deletes your account and everything in it. This cannot be undone.
        </p>
        <Button variant="danger" className="mt-3" onClick={() => setDeleting(true)}>
          Delete account…
        </Button>
      </section>

      <DeleteAccountDialog
        open={deleting}
        email={me.email}
        busy={remove.isPending}
        error={remove.error ? describeAppError(remove.error).message : null}
        onCancel={() => {
          remove.reset();
          setDeleting(false);
        }}
        onConfirm={(confirmEmail) => remove.mutate({ confirmEmail })}
      />
    </div>
  );
}
