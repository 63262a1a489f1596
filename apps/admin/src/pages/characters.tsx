// The character catalogue: create and edit characters and their episode templates, and switch
// either on or off; refused input is shown against the field the server named.
import type { TCharacterAdminDto, TEpisodeTemplateDto } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { CharacterModelPicker } from "../components/character-model-picker.tsx";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, inputClass, Loading, PageHeader, TextField } from "../components/ui.tsx";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";

function useCatalogue() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return {
    trpc,
    invalidate: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.characters.list.queryKey() }),
  };
}

export function CharactersPage() {
  const { trpc } = useCatalogue();
  const list = useQuery(trpc.admin.characters.list.queryOptions());
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Characters and templates"
        description="The coaches people talk to, and the scenarios a session can start from. Inactive ones leave the catalogue; their history stays."
        actions={!creating && <Button onClick={() => setCreating(true)}>New character</Button>}
      />
      {creating && (
        <Card title="New character" className="mb-4">
          <CharacterForm onDone={() => setCreating(false)} />
        </Card>
      )}
      {list.isPending ? (
        <Loading label="Loading characters…" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="Cannot list characters" onRetry={() => void list.refetch()} />
      ) : (
        <div className="grid gap-4">
          {list.data.map((character) => (
            <CharacterCard key={character.id} character={character} />
          ))}
        </div>
      )}
    </>
  );
}

function fieldError(error: unknown, field: string): string | undefined {
  if (!error) return undefined;
  const described = describeAppError(error, { audience: "operator" });
  const messages = described.fieldErrors[field];
  if (messages?.length) return messages.join("; ");
  const details = (error as { data?: { details?: { field?: string } } }).data?.details;
  return details?.field === field ? described.message : undefined;
}

function CharacterForm({ character, onDone }: { character?: TCharacterAdminDto; onDone: () => void }) {
  const { trpc, invalidate } = useCatalogue();
  const [draft, setDraft] = useState({
    slug: character?.slug ?? "",
    name: character?.name ?? "",
    description: character?.description ?? "",
    avatar: character?.avatar ?? "",
    systemPrompt: character?.systemPrompt ?? "",
  });
  const options = { onSuccess: () => (invalidate(), onDone()) };
  const create = useMutation(trpc.admin.characters.create.mutationOptions(options));
  const update = useMutation(trpc.admin.characters.update.mutationOptions(options));
  const mutation = character ? update : create;
  const promptId = useId();
  const set = (key: keyof typeof draft) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: event.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const avatar = draft.avatar.trim() || null;
    if (character) update.mutate({ id: character.id, ...draft, avatar });
    else create.mutate({ ...draft, avatar });
  }
  const error = mutation.error;
  return (
    <form
      onSubmit={submit}
      className="grid gap-3 sm:grid-cols-2"
      aria-label={character ? `Edit ${character.name}` : "New character"}
    >
      <TextField
        label="Slug"
        required
        value={draft.slug}
        onChange={set("slug")}
        hint="lowercase words joined by hyphens"
        error={fieldError(error, "slug")}
      />
      <TextField label="Name" required value={draft.name} onChange={set("name")} error={fieldError(error, "name")} />
      <TextField
        label="Avatar"
        value={draft.avatar}
        onChange={set("avatar")}
        hint="an emoji or an https URL"
        error={fieldError(error, "avatar")}
      />
      <TextField
        label="Description"
        required
        value={draft.description}
        onChange={set("description")}
        error={fieldError(error, "description")}
      />
      <div className="sm:col-span-2">
        <label htmlFor={promptId} className="mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300">
          System prompt
        </label>
        <textarea
          id={promptId}
          required
          rows={5}
          className={inputClass}
          value={draft.systemPrompt}
          onChange={set("systemPrompt")}
        />
        {fieldError(error, "systemPrompt") && (
          <p className="mt-1 text-xs text-rose-700 dark:text-rose-300">{fieldError(error, "systemPrompt")}</p>
        )}
      </div>
      {error &&
        !Object.keys(describeAppError(error, { audience: "operator" }).fieldErrors).length &&
        !(error as { data?: { details?: unknown } }).data?.details && (
          <div className="sm:col-span-2">
            <ErrorNotice error={error} title="Not saved" />
          </div>
        )}
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" busy={mutation.isPending}>
          {character ? "Save changes" : "Create character"}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function CharacterCard({ character }: { character: TCharacterAdminDto }) {
  const { trpc, invalidate } = useCatalogue();
  const [editing, setEditing] = useState(false);
  const [addingTemplate, setAddingTemplate] = useState(false);
  const setActive = useMutation(trpc.admin.characters.setActive.mutationOptions({ onSuccess: invalidate }));
  return (
    <Card
      title={
        <span className="flex flex-wrap items-center gap-2">
          <span aria-hidden="true">{character.avatar && character.avatar.length <= 16 ? character.avatar : "🙂"}</span>
          {character.name}
          <span className="font-mono text-xs font-normal text-slate-500 dark:text-slate-400">{character.slug}</span>
          <Badge tone={character.isActive ? "ok" : "warn"}>{character.isActive ? "active" : "inactive"}</Badge>
        </span>
      }
      actions={
        <span className="flex gap-2">
          <Button variant="secondary" size="sm" onClick={() => setEditing((v) => !v)} aria-expanded={editing}>
            Edit<span className="sr-only"> {character.name}</span>
          </Button>
          <Button
            variant="secondary"
            size="sm"
            busy={setActive.isPending}
            onClick={() => setActive.mutate({ id: character.id, isActive: !character.isActive })}
          >
            {character.isActive ? "Deactivate" : "Activate"}
            <span className="sr-only"> {character.name}</span>
          </Button>
        </span>
      }
    >
      {setActive.isError && <ErrorNotice error={setActive.error} title="Cannot switch the character" />}
      {editing ? (
        <CharacterForm character={character} onDone={() => setEditing(false)} />
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">{character.description}</p>
      )}
      <CharacterModelPicker character={character} />
      <h3 className="mt-4 text-sm font-semibold">Templates</h3>
      {character.templates.length === 0 && (
        <p className="text-sm text-slate-500 dark:text-slate-400">No templates yet.</p>
      )}
      <ul className="mt-2 divide-y divide-slate-100 dark:divide-slate-800">
        {character.templates.map((template) => (
          <TemplateRow key={template.id} template={template} />
        ))}
      </ul>
      {addingTemplate ? (
        <TemplateForm characterId={character.id} onDone={() => setAddingTemplate(false)} />
      ) : (
        <Button variant="ghost" size="sm" className="mt-2" onClick={() => setAddingTemplate(true)}>
          + Add template<span className="sr-only"> to {character.name}</span>
        </Button>
      )}
    </Card>
  );
}

function TemplateRow({ template }: { template: TEpisodeTemplateDto }) {
  const { trpc, invalidate } = useCatalogue();
  const [editing, setEditing] = useState(false);
  const setActive = useMutation(trpc.admin.templates.setActive.mutationOptions({ onSuccess: invalidate }));
  return (
    <li className="py-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">{template.title}</span>
        <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{template.slug}</span>
        <Badge tone={template.isActive ? "ok" : "warn"}>{template.isActive ? "active" : "inactive"}</Badge>
        <span className="ml-auto flex gap-2">
          <Button variant="ghost" size="sm" onClick={() => setEditing((v) => !v)} aria-expanded={editing}>
            Edit<span className="sr-only"> template {template.title}</span>
          </Button>
          <Button
            variant="ghost"
            size="sm"
            busy={setActive.isPending}
            onClick={() => setActive.mutate({ id: template.id, isActive: !template.isActive })}
          >
            {template.isActive ? "Deactivate" : "Activate"}
            <span className="sr-only"> template {template.title}</span>
          </Button>
        </span>
      </div>
      {setActive.isError && <ErrorNotice error={setActive.error} title="Cannot switch the template" />}
      {editing && (
        <TemplateForm template={template} characterId={template.characterId} onDone={() => setEditing(false)} />
      )}
    </li>
  );
}

function TemplateForm({
  template,
  characterId,
  onDone,
}: {
  template?: TEpisodeTemplateDto;
  characterId: string;
  onDone: () => void;
}) {
  const { trpc, invalidate } = useCatalogue();
  const [draft, setDraft] = useState({
    slug: template?.slug ?? "",
    title: template?.title ?? "",
    situation: template?.situation ?? "",
    openingLine: template?.openingLine ?? "",
    sortOrder: String(template?.sortOrder ?? 0),
  });
  const options = { onSuccess: () => (invalidate(), onDone()) };
  const create = useMutation(trpc.admin.templates.create.mutationOptions(options));
  const update = useMutation(trpc.admin.templates.update.mutationOptions(options));
  const mutation = template ? update : create;
  const set = (key: keyof typeof draft) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: event.target.value }));
  function submit(event: FormEvent) {
    event.preventDefault();
    const values = { ...draft, openingLine: draft.openingLine.trim() || null, sortOrder: Number(draft.sortOrder) || 0 };
    if (template) update.mutate({ id: template.id, ...values });
    else create.mutate({ characterId, ...values });
  }
  const error = mutation.error;
  return (
    <form
      onSubmit={submit}
      className="mt-2 grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-800"
      aria-label={template ? `Edit template ${template.title}` : "New template"}
    >
      <TextField label="Slug" required value={draft.slug} onChange={set("slug")} error={fieldError(error, "slug")} />
      <TextField
        label="Title"
        required
        value={draft.title}
        onChange={set("title")}
        error={fieldError(error, "title")}
      />
      <TextField
        label="Situation"
        required
        value={draft.situation}
        onChange={set("situation")}
        error={fieldError(error, "situation")}
        className="sm:col-span-2"
      />
      <TextField
        label="Opening line"
        value={draft.openingLine}
        onChange={set("openingLine")}
        error={fieldError(error, "openingLine")}
      />
      <TextField
        label="Sort order"
        type="number"
        min={0}
        value={draft.sortOrder}
        onChange={set("sortOrder")}
        error={fieldError(error, "sortOrder")}
      />
      {error &&
        !Object.keys(describeAppError(error, { audience: "operator" }).fieldErrors).length &&
        !fieldError(error, "slug") && (
          <div className="sm:col-span-2">
            <ErrorNotice error={error} title="Not saved" />
          </div>
        )}
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" size="sm" busy={mutation.isPending}>
          {template ? "Save template" : "Add template"}
        </Button>
        <Button variant="secondary" size="sm" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
