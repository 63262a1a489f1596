// The person's collections of saved suggestions: create, rename, delete, and open one.
import type { TCollectionDto } from "@lockstep/contracts";
import { COLLECTION_NAME_MAX } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { ConfirmDialog, Dialog } from "@lockstep/ui/dialog";
import { ErrorNotice } from "@lockstep/ui/error-notice";
import { Menu } from "@lockstep/ui/menu";
import { Spinner } from "@lockstep/ui/spinner";
import { TextField } from "@lockstep/ui/text-field";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";

export function CollectionsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const collections = useQuery(trpc.collection.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.collection.pathKey() });
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.collection.create.mutationOptions({ onSuccess: () => setName(""), onSettled: refresh }),
  );
  const [renaming, setRenaming] = useState<TCollectionDto | null>(null);
  const [deleting, setDeleting] = useState<TCollectionDto | null>(null);
  const remove = useMutation(
    trpc.collection.delete.mutationOptions({ onSuccess: () => setDeleting(null), onSettled: refresh }),
  );
  const createError = create.error ? describeAppError(create.error) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate({ name: name.trim() });
  };

  return (
    <div className="mx-auto max-w-3xl p-4 sm:p-6">
      <h1 className="text-2xl font-bold tracking-tight">Collections</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Suggestions you saved, in named collections.</p>

      <form onSubmit={submit} className="mt-6 flex flex-wrap items-end gap-2">
        <TextField
          className="min-w-0 flex-1"
          label="New collection"
          placeholder="e.g. Openers that worked"
          maxLength={COLLECTION_NAME_MAX}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={createError?.message}
        />
        <Button type="submit" busy={create.isPending} disabled={!name.trim()}>
          Create
        </Button>
      </form>

      <div className="mt-6">
        {collections.isPending ? (
          <Spinner label="Loading collections…" />
        ) : collections.isError ? (
          <ErrorNotice
            message={describeAppError(collections.error).message}
            onRetry={() => void collections.refetch()}
          />
        ) : collections.data.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            No collections yet. Create one, then add suggestions to it from a session.
          </p>
        ) : (
          <ul
            aria-label="Your collections"
            className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
          >
            {collections.data.map((collection) => (
              <li key={collection.id} className="flex items-center gap-2 p-2 pl-4">
                <Link
                  to="/collections/$collectionId"
                  params={{ collectionId: collection.id }}
                  className="min-w-0 flex-1 rounded py-2 focus-visible:outline-2 focus-visible:outline-indigo-600"
                >
                  <span className="block truncate font-medium">{collection.name}</span>
                  <span className="text-xs text-slate-500 dark:text-slate-400">
                    {collection.messageCount} {collection.messageCount === 1 ? "suggestion" : "suggestions"}
                  </span>
                </Link>
                <Menu
                  label={`Actions for ${collection.name}`}
                  items={[
                    { label: "Rename", onSelect: () => setRenaming(collection) },
                    { label: "Delete", danger: true, onSelect: () => setDeleting(collection) },
                  ]}
                />
              </li>
            ))}
          </ul>
        )}
      </div>

      {renaming && <RenameCollectionDialog collection={renaming} onClose={() => setRenaming(null)} />}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this collection?"
        confirmLabel="Delete collection"
        danger
        busy={remove.isPending}
        onCancel={() => {
          remove.reset();
          setDeleting(null);
        }}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      >
        <p>“{deleting?.name}” will be deleted. The suggestions in it stay in their sessions.</p>
        {remove.error && <ErrorNotice className="mt-3" message={describeAppError(remove.error).message} />}
      </ConfirmDialog>
    </div>
  );
}

export function RenameCollectionDialog({ collection, onClose }: { collection: TCollectionDto; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState(collection.name);
  const rename = useMutation(
    trpc.collection.rename.mutationOptions({
      onSuccess: onClose,
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.collection.pathKey() }),
    }),
  );
  return (
    <Dialog
      open
      onClose={onClose}
      title="Rename collection"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="rename-collection" busy={rename.isPending} disabled={!name.trim()}>
            Save
          </Button>
        </>
      }
    >
      <form
        id="rename-collection"
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim()) rename.mutate({ id: collection.id, name: name.trim() });
        }}
      >
        <TextField
          label="Name"
          maxLength={COLLECTION_NAME_MAX}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={rename.error ? describeAppError(rename.error).message : null}
        />
      </form>
    </Dialog>
  );
}
