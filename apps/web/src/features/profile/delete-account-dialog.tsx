// Deleting the account: a dialog that lists everything that goes and asks for the email address as
// a deliberate second step; the button stays disabled until it matches.
import type { TDeletedAccountCounts } from "@lockstep/contracts";
import { ConfirmDialog } from "@lockstep/ui/dialog";
import { TextField } from "@lockstep/ui/text-field";
import { useState } from "react";
import { DELETED_DATA_KEYS, DELETED_DATA_LABELS } from "./account-data.ts";

export interface DeleteAccountDialogProps {
  open: boolean;
  email: string;
  busy: boolean;
  error: string | null;
  onCancel: () => void;
  onConfirm: (confirmEmail: string) => void;
}

export function emailMatches(typed: string, email: string): boolean {
  return typed.trim().toLowerCase() === email.trim().toLowerCase() && typed.trim() !== "";
}

export function DeleteAccountDialog({ open, email, busy, error, onCancel, onConfirm }: DeleteAccountDialogProps) {
  const [typed, setTyped] = useState("");
  const matches = emailMatches(typed, email);
  return (
    <ConfirmDialog
      open={open}
      title="Delete your account?"
      confirmLabel="Delete my account"
      danger
      busy={busy}
      canConfirm={matches}
      onCancel={() => {
        setTyped("");
        onCancel();
      }}
      onConfirm={() => matches && onConfirm(typed.trim())}
    >
      <p>This deletes your account at once and cannot be undone. What goes:</p>
      <ul className="mt-2 list-disc space-y-1 pl-5" aria-label="What is deleted">
        {DELETED_DATA_KEYS.map((key: keyof TDeletedAccountCounts) => (
          <li key={key}>{DELETED_DATA_LABELS[key].gone}</li>
        ))}
      </ul>
      <TextField
        className="mt-4"
        label={`Type your email address (${email}) to confirm`}
        type="email"
        autoComplete="off"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        error={error}
      />
    </ConfirmDialog>
  );
}
