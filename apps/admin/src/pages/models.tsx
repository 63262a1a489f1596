// Models and costs: the providers calls go to (keys are write-only here), the default model for
// chat, embeddings and vision, the price table per model-name pattern with re-pricing of a past
// range, and usage limits per role or person with the alerts they raised.
import type { TProvider } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, ConfirmAction, Empty, Loading, PageHeader, SelectField, TextField } from "../components/ui.tsx";
import { fieldError } from "../lib/field-error.ts";
import { formatCount, formatDateTime } from "../lib/format.ts";
import { Limits } from "./model-limits.tsx";
import { Prices } from "./model-prices.tsx";

export function ModelsPage() {
  return (
    <>
      <PageHeader
        title="Models and costs"
        description="Where model calls go, which model does what, what each call costs, and how much each person may use."
      />
      <div className="grid gap-4">
        <Providers />
        <Defaults />
        <Prices />
        <Limits />
      </div>
    </>
  );
}

// ------------------------------------------------------------------ providers

function Providers() {
  const trpc = useTRPC();
  const list = useQuery(trpc.admin.models.providers.queryOptions());
  const [adding, setAdding] = useState(false);
  return (
    <Card
      title="Providers"
      actions={
        !adding && (
          <Button size="sm" onClick={() => setAdding(true)}>
            Add a provider
          </Button>
        )
      }
    >
      {adding && <ProviderForm onDone={() => setAdding(false)} />}
      {list.isPending ? (
        <Loading label="Loading providers…" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="Cannot list providers" onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <Empty>No provider yet: the built-in offline one answers.</Empty>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Providers">
          {list.data.map((provider) => (
            <ProviderRow key={provider.id} provider={provider} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function useInvalidateProviders() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.admin.models.providers.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.admin.models.defaults.queryKey() });
  };
}

function ProviderForm({ provider, onDone }: { provider?: TProvider; onDone: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateProviders();
  const [name, setName] = useState(provider?.name ?? "");
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? "https://api.openai.com/v1");
  const [apiKey, setApiKey] = useState("");
  const [models, setModels] = useState(provider?.models.join("\n") ?? "");
  const create = useMutation(trpc.admin.models.createProvider.mutationOptions({ onSuccess: invalidate }));
  const update = useMutation(trpc.admin.models.updateProvider.mutationOptions({ onSuccess: invalidate }));
  const save = provider ? update : create;
  const modelList = models
    .split(/[\n,]/)
    .map((m) => m.trim())
    .filter(Boolean);

  function submit(event: FormEvent) {
    event.preventDefault();
    const done = { onSuccess: onDone };
    if (provider) {
      update.mutate({ id: provider.id, name, baseUrl, models: modelList, ...(apiKey ? { apiKey } : {}) }, done);
    } else {
      create.mutate({ name, baseUrl, models: modelList, ...(apiKey ? { apiKey } : {}) }, done);
    }
  }

  return (
    <form
      onSubmit={submit}
      aria-label={provider ? `Edit ${provider.name}` : "New provider"}
      className="mb-4 grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-700"
    >
      <TextField
        label="Name"
        required
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldError(save.error, "name")}
      />
      <TextField
        label="Base URL"
        required
        value={baseUrl}
        onChange={(e) => setBaseUrl(e.target.value)}
        hint="OpenAI-compatible, e.g. https://api.openai.com/v1 or http://localhost:11434/v1"
        error={fieldError(save.error, "baseUrl")}
      />
      <TextField
        label={provider?.hasApiKey ? "New API key (leave empty to keep the saved one)" : "API key"}
        type="password"
        autoComplete="off"
        value={apiKey}
        onChange={(e) => setApiKey(e.target.value)}
        hint="Stored encrypted; it is never shown again."
        error={fieldError(save.error, "apiKey")}
      />
      <div>
        <label className="mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300" htmlFor="provider-models">
          Models (one per line)
        </label>
        <textarea
          id="provider-models"
          rows={3}
          className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm dark:border-slate-600 dark:bg-slate-900"
          value={models}
          onChange={(e) => setModels(e.target.value)}
        />
      </div>
      {save.isError && (
        <p role="alert" className="text-sm text-rose-700 sm:col-span-2 dark:text-rose-300">
          {describeAppError(save.error).message}
        </p>
      )}
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" busy={save.isPending}>
          {provider ? "Save provider" : "Add provider"}
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function ProviderRow({ provider }: { provider: TProvider }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateProviders();
  const [editing, setEditing] = useState(false);
  const [model, setModel] = useState(provider.models[0] ?? "");
  const fetchModels = useMutation(
    trpc.admin.models.listModels.mutationOptions({
      onSuccess: (result) => update.mutate({ id: provider.id, models: result.models.slice(0, 200) }),
    }),
  );
  const update = useMutation(trpc.admin.models.updateProvider.mutationOptions({ onSuccess: invalidate }));
  const test = useMutation(trpc.admin.models.test.mutationOptions());
  const remove = useMutation(trpc.admin.models.deleteProvider.mutationOptions({ onSuccess: invalidate }));
  if (editing) return <ProviderForm provider={provider} onDone={() => setEditing(false)} />;
  const editable = provider.kind === "openai_compatible";
  return (
    <li className="py-3" data-provider={provider.name}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{provider.name}</span>
        <Badge tone={provider.kind === "builtin" ? "neutral" : "ok"}>
          {provider.kind === "builtin" ? "built-in (free)" : "OpenAI-compatible"}
        </Badge>
        {editable && (
          <Badge tone={provider.hasApiKey ? "ok" : "neutral"}>{provider.hasApiKey ? "key saved" : "no key"}</Badge>
        )}
        {!provider.configured && <Badge>seen in the log</Badge>}
        <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{provider.baseUrl ?? ""}</span>
      </div>
      <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        {provider.models.length ? provider.models.join(", ") : "No models listed."}
      </p>
      {editable && (
        <div className="mt-2 flex flex-wrap items-end gap-2">
          <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
            Edit
          </Button>
          <Button
            size="sm"
            variant="secondary"
            busy={fetchModels.isPending || update.isPending}
            onClick={() => fetchModels.mutate({ id: provider.id })}
          >
            Fetch models
          </Button>
          <SelectField
            label="Model to test"
            className="w-56"
            value={model}
            onChange={(e) => setModel(e.target.value)}
            options={provider.models}
            anyLabel="(choose)"
          />
          <Button
            size="sm"
            busy={test.isPending}
            disabled={!model}
            onClick={() => test.mutate({ id: provider.id, model })}
          >
            Test connection
          </Button>
          <ConfirmAction
            label="Delete"
            confirmLabel="Delete provider"
            consequence="Calls can no longer go to it. A provider that logged calls is kept."
            busy={remove.isPending}
            onConfirm={() => remove.mutate({ id: provider.id })}
          />
        </div>
      )}
      {fetchModels.isError && (
        <p className="mt-1 text-sm text-rose-700">{describeAppError(fetchModels.error).message}</p>
      )}
      {remove.isError && <p className="mt-1 text-sm text-rose-700">{describeAppError(remove.error).message}</p>}
      {test.data && (
        <p role="status" className="mt-2 text-sm">
          {test.data.ok ? <Badge tone="ok">connected</Badge> : <Badge tone="bad">failed</Badge>} {test.data.model}{" "}
          answered in {formatCount(test.data.latencyMs)} ms
          {test.data.ok ? `: "${test.data.reply ?? ""}"` : `: ${test.data.error ?? "no answer"}`}
        </p>
      )}
      {test.isError && <p className="mt-1 text-sm text-rose-700">{describeAppError(test.error).message}</p>}
    </li>
  );
}

// ------------------------------------------------------------------ defaults

type Purpose = "chat" | "embedding" | "vision";
const PURPOSES: { key: Purpose; label: string; hint: string }[] = [
  { key: "chat", label: "Chat", hint: "Replies, suggestions and memories." },
  {
    key: "embedding",
    label: "Embeddings",
    hint: "Knowledge search; a new model re-embeds the knowledge base in the background, and search switches when it is done.",
  },
  {
    key: "vision",
    label: "Vision",
    hint: "Reads each screenshot beside the offline OCR; lines where the two disagree are flagged for the person to check.",
  },
];

function Defaults() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const providers = useQuery(trpc.admin.models.providers.queryOptions());
  const defaults = useQuery(trpc.admin.models.defaults.queryOptions());
  const save = useMutation(
    trpc.admin.models.updateDefaults.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.admin.models.defaults.queryKey(), saved);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.models.embeddingStatus.queryKey() });
      },
    }),
  );
  const [choice, setChoice] = useState<Record<Purpose, string>>({ chat: "", embedding: "", vision: "" });
  useEffect(() => {
    if (defaults.data) {
      const value = (p: Purpose) => {
        const c = defaults.data[p];
        return c ? `${c.providerId}|${c.model}` : "";
      };
      setChoice({ chat: value("chat"), embedding: value("embedding"), vision: value("vision") });
    }
  }, [defaults.data]);
  const options = (providers.data ?? [])
    .filter((p) => p.kind === "openai_compatible")
    .flatMap((p) => p.models.map((m) => ({ value: `${p.id}|${m}`, label: `${p.name} · ${m}` })));

  function submit(event: FormEvent) {
    event.preventDefault();
    const parse = (v: string) => {
      if (!v) return null;
      const [providerId, ...rest] = v.split("|");
      return { providerId: providerId!, model: rest.join("|") };
    };
    save.mutate({ chat: parse(choice.chat), embedding: parse(choice.embedding), vision: parse(choice.vision) });
  }

  return (
    <Card title="Default models">
      {defaults.isPending || providers.isPending ? (
        <Loading />
      ) : defaults.isError ? (
        <ErrorNotice error={defaults.error} title="Cannot load the defaults" />
      ) : (
        <form onSubmit={submit} aria-label="Default models" className="grid gap-3 sm:grid-cols-3">
          {PURPOSES.map((purpose) => (
            <SelectField
              key={purpose.key}
              label={purpose.label}
              hint={purpose.hint}
              value={choice[purpose.key]}
              onChange={(e) => setChoice((c) => ({ ...c, [purpose.key]: e.target.value }))}
              options={options}
              anyLabel="Environment / built-in"
            />
          ))}
          <EmbeddingStatusLine />
          {save.isError && (
            <p role="alert" className="text-sm text-rose-700 sm:col-span-3">
              {describeAppError(save.error).message}
            </p>
          )}
          <div className="flex items-center gap-3 sm:col-span-3">
            <Button type="submit" busy={save.isPending}>
              Save defaults
            </Button>
            {save.isSuccess && (
              <span role="status" className="text-sm text-emerald-700">
                Saved; new calls use them now.
              </span>
            )}
            <span className="text-xs text-slate-500 dark:text-slate-400">
              {defaults.data.updatedAt ? `Last saved ${formatDateTime(defaults.data.updatedAt)}` : "Never saved."}
            </span>
          </div>
        </form>
      )}
    </Card>
  );
}

/** Which embedding model knowledge search answers from, and a re-embedding's progress (polled while one runs). */
function EmbeddingStatusLine() {
  const trpc = useTRPC();
  const status = useQuery({
    ...trpc.admin.models.embeddingStatus.queryOptions(),
    refetchInterval: (query) => (query.state.data?.reembedding ? 2000 : false),
  });
  if (!status.data) return null;
  const { servingModel, reembedding } = status.data;
  return (
    <p
      role="status"
      aria-label="Knowledge search model"
      className="text-sm text-slate-600 sm:col-span-3 dark:text-slate-300"
    >
      Knowledge search uses <strong>{servingModel ?? "the environment's model"}</strong>.
      {reembedding && (
        <>
          {" "}
          Re-embedding with <strong>{reembedding.model}</strong>: {formatCount(reembedding.embedded)}/
          {formatCount(reembedding.total)} chunks; search switches when all are done.
          {reembedding.error && (
            <span className="text-rose-700"> Last attempt failed: {reembedding.error} (retrying).</span>
          )}
        </>
      )}
    </p>
  );
}
