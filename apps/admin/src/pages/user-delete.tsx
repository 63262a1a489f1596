// Deleting an account from the console: the operator types the email to confirm, and sees what went with it.
import { Button } from "@lockstep/ui/button";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { ErrorNotice } from "../components/error-notice.tsx";
import { TextField } from "../components/ui.tsx";
import { useTRPC } from "@lockstep/ui/trpc";

export function DeleteUser({ id, email }: { id: string; email: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const remove = useMutation(
    trpc.admin.users.delete.mutationOptions({
      onSuccess: () => {
        // Dropped rather than invalidated: the list must not show the deleted person while it refetches.
        queryClient.removeQueries({ queryKey: trpc.admin.users.list.pathKey() });
        queryClient.removeQueries({ queryKey: trpc.admin.users.get.queryKey({ id }) });
        void navigate({ to: "/users" });
      },
    }),
  );
  if (!open) {
    return (
      <div>
        <Button variant="danger" size="sm" onClick={() => setOpen(true)}>
          Delete account…
        </Button>
      </div>
    );
  }
  const matches = typed.trim().toLowerCase() === email.toLowerCase();
  return (
    <div
      role="group"
      aria-label="Delete account"
      className="rounded-lg border border-rose-300 bg-rose-50 p-3 text-sm dark:border-rose-800 dark:bg-rose-950/50"
    >
      <p className="text-rose-900 dark:text-rose-100">
        This deletes {email} with their sessions, messages, collections and memories; their AI calls stay in the log
        without them. It cannot be undone.
      </p>
      <TextField
        label={`Type ${email} to confirm`}
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
        className="mt-2"
        autoComplete="off"
      />
      {remove.isError && <ErrorNotice error={remove.error} title="Not deleted" />}
      <div className="mt-2 flex gap-2">
        <Button
          variant="danger"
          size="sm"
          disabled={!matches}
          busy={remove.isPending}
          onClick={() => remove.mutate({ id })}
        >
          Delete for good
        </Button>
        <Button variant="secondary" size="sm" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
