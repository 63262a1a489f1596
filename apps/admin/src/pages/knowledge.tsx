// The knowledge base: upload a chunk file (validated first, written only on a second, deliberate
// step), the chunk list with its filters and switches, and a search playground that shows scores
// and how far each filter narrowed the base.
import {
  KNOWLEDGE_SEARCH_LIMIT_DEFAULT,
  type TAdminKnowledgeListInput,
  type TKnowledgeIngestReport,
  ZKnowledgeGoalSchema,
  ZKnowledgeTypeSchema,
} from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, Empty, Loading, LoadMore, PageHeader, SelectField, TextField } from "../components/ui.tsx";
import { formatCount } from "../lib/format.ts";
import { IngestReport } from "../knowledge/ingest-report.tsx";
import { useTRPC } from "@lockstep/ui/trpc";

export function KnowledgePage() {
  return (
    <>
      <PageHeader
        title="Knowledge base"
        description="The chunks the coaches ground their suggestions on: ingest files, switch chunks on and off, and try searches."
      />
      <div className="grid gap-4">
        <Upload />
        <Playground />
        <ChunkList />
      </div>
    </>
  );
}

type Parsed = { name: string; file: unknown } | { name: string; error: string };

function Upload() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [deactivateMissing, setDeactivateMissing] = useState(false);
  const [validation, setValidation] = useState<TKnowledgeIngestReport | null>(null);
  const [result, setResult] = useState<TKnowledgeIngestReport | null>(null);
  // Validation is its own procedure, which cannot write; ingestion repeats the checks before writing.
  const validate = useMutation(trpc.admin.knowledge.validate.mutationOptions());
  const ingest = useMutation(trpc.admin.knowledge.ingest.mutationOptions());

  async function choose(files: FileList | null) {
    const chosen = files?.[0];
    setValidation(null);
    setResult(null);
    validate.reset();
    ingest.reset();
    if (!chosen) return setParsed(null);
    let file: unknown;
    try {
      file = JSON.parse(await chosen.text());
    } catch (error) {
      return setParsed({ name: chosen.name, error: `${chosen.name} is not valid JSON: ${(error as Error).message}` });
    }
    setParsed({ name: chosen.name, file });
    // Validation first: every chunk is checked and compared with what is stored; nothing is written.
    validate.mutate({ file, deactivateMissing }, { onSuccess: setValidation });
  }

  function write() {
    if (!parsed || !("file" in parsed)) return;
    ingest.mutate(
      { file: parsed.file, dryRun: false, deactivateMissing },
      {
        onSuccess: (report) => {
          setResult(report);
          void queryClient.invalidateQueries({ queryKey: trpc.admin.knowledge.list.pathKey() });
        },
      },
    );
  }

  const canWrite = validation?.ok && !result && parsed && "file" in parsed;
  return (
    <Card title="Ingest a knowledge file">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        A JSON file of chunks (an array, or <code>{"{ chunks: [...] }"}</code>). It is validated first; nothing is
        written until you confirm.
      </p>
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <label htmlFor={inputId} className="mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300">
            Knowledge file
          </label>
          <input
            id={inputId}
            type="file"
            accept=".json,application/json"
            onChange={(event) => void choose(event.target.files)}
            className="block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-indigo-600 file:px-3 file:py-2 file:text-sm file:font-medium file:text-white"
          />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={deactivateMissing}
            onChange={(event) => {
              const next = event.target.checked;
              setDeactivateMissing(next);
              // The report depends on this choice: validate the loaded file again under it.
              if (parsed && "file" in parsed) {
                setValidation(null);
                setResult(null);
                validate.mutate({ file: parsed.file, deactivateMissing: next }, { onSuccess: setValidation });
              }
            }}
            className="size-4"
          />
          Deactivate chunks of this source missing from the file
        </label>
      </div>
      <div className="mt-4 grid gap-3">
        {parsed && "error" in parsed && (
          <p
            role="alert"
            className="rounded-lg border border-rose-300 bg-rose-50 p-3 text-sm text-rose-900 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-100"
          >
            {parsed.error}
          </p>
        )}
        {validate.isPending && <Loading label="Validating…" />}
        {validate.isError && <ErrorNotice error={validate.error} title="Validation failed" />}
        {ingest.isPending && <Loading label="Ingesting…" />}
        {ingest.isError && (
          <ErrorNotice error={ingest.error} title="Ingestion failed; nothing was written" onRetry={write} />
        )}
        {validation && <IngestReport report={validation} />}
        {canWrite && (
          <div>
            <Button onClick={write} busy={ingest.isPending}>
              Ingest {parsed.name}
            </Button>
          </div>
        )}
        {result && <IngestReport report={result} />}
      </div>
    </Card>
  );
}

type ListFilters = Omit<TAdminKnowledgeListInput, "cursor" | "limit">;

function ChunkList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<ListFilters>({});
  const [version, setVersion] = useState("");
  const list = useInfiniteQuery(
    trpc.admin.knowledge.list.infiniteQueryOptions(
      { ...filters, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const setActive = useMutation(
    trpc.admin.knowledge.setActive.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.knowledge.list.pathKey() }),
    }),
  );
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const update = (patch: Partial<ListFilters>) =>
    setFilters((current) =>
      Object.fromEntries(Object.entries({ ...current, ...patch }).filter(([, v]) => v !== undefined)),
    );

  return (
    <Card title="Chunks">
      <form
        aria-label="Chunk filters"
        className="mb-3 grid grid-cols-2 gap-3 sm:grid-cols-5"
        onSubmit={(event) => {
          event.preventDefault();
          update({ version: version.trim() || undefined });
        }}
      >
        <SelectField
          label="Phase"
          anyLabel="Any phase"
          options={["1", "2", "3", "4"]}
          value={filters.phase === undefined ? "" : String(filters.phase)}
          onChange={(event) =>
            update({ phase: event.target.value ? (Number(event.target.value) as ListFilters["phase"]) : undefined })
          }
        />
        <SelectField
          label="Goal"
          anyLabel="Any goal"
          options={ZKnowledgeGoalSchema.options}
          value={filters.goal ?? ""}
          onChange={(event) => update({ goal: (event.target.value || undefined) as ListFilters["goal"] })}
        />
        <SelectField
          label="Type"
          anyLabel="Any type"
          options={ZKnowledgeTypeSchema.options}
          value={filters.type ?? ""}
          onChange={(event) => update({ type: (event.target.value || undefined) as ListFilters["type"] })}
        />
        <SelectField
          label="Active"
          anyLabel="Active or not"
          options={[
            { value: "true", label: "Active only" },
            { value: "false", label: "Inactive only" },
          ]}
          value={filters.active === undefined ? "" : String(filters.active)}
          onChange={(event) => update({ active: event.target.value ? event.target.value === "true" : undefined })}
        />
        <div className="flex items-end gap-2">
          <TextField
            label="Version"
            placeholder="2.0.0"
            value={version}
            onChange={(event) => setVersion(event.target.value)}
            className="min-w-0 flex-1"
          />
          <Button type="submit" variant="secondary">
            Apply
          </Button>
        </div>
      </form>
      {list.isPending ? (
        <Loading label="Loading chunks…" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="Cannot list the chunks" onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <Empty>No chunk matches these filters.</Empty>
      ) : (
        <>
          {setActive.isError && <ErrorNotice error={setActive.error} title="Cannot switch the chunk" />}
          {/* The base holds hundreds of chunks: the list scrolls inside its card so the page stays short. */}
          <ul
            className="max-h-[36rem] divide-y divide-slate-100 overflow-auto pr-1 dark:divide-slate-800"
            aria-label="Knowledge chunks"
            tabIndex={0}
          >
            {rows.map((chunk) => (
              <li key={chunk.id} className="flex flex-wrap items-start gap-3 py-3" data-chunk-id={chunk.chunkId}>
                <div className="min-w-0 flex-1">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-sm font-semibold break-all">{chunk.chunkId}</span>
                    <Badge>{chunk.version}</Badge>
                    <Badge tone={chunk.isActive ? "ok" : "warn"}>{chunk.isActive ? "active" : "inactive"}</Badge>
                    {!chunk.hasEmbedding && <Badge tone="warn">no embedding</Badge>}
                  </p>
                  <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                    phase {chunk.phase ?? "–"} · {chunk.goal ?? "–"} · {chunk.type ?? "–"} · source {chunk.source}
                  </p>
                  <p className="mt-1 line-clamp-2 text-sm">{chunk.textContent}</p>
                </div>
                <Button
                  variant="secondary"
                  size="sm"
                  busy={setActive.isPending && setActive.variables?.id === chunk.id}
                  onClick={() => setActive.mutate({ id: chunk.id, active: !chunk.isActive })}
                >
                  {chunk.isActive ? "Deactivate" : "Activate"}
                  <span className="sr-only"> {chunk.chunkId}</span>
                </Button>
              </li>
            ))}
          </ul>
          <LoadMore pages={list} label="Load more chunks" />
        </>
      )}
    </Card>
  );
}

function Playground() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState({
    query: "",
    phase: "",
    goal: "",
    type: "",
    limit: String(KNOWLEDGE_SEARCH_LIMIT_DEFAULT),
  });
  const [input, setInput] = useState<Parameters<typeof trpc.admin.knowledge.search.queryOptions>[0] | null>(null);
  const search = useQuery({
    ...trpc.admin.knowledge.search.queryOptions(input ?? { query: "-" }),
    enabled: input !== null,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setInput({
      query: draft.query,
      limit: Number(draft.limit) || KNOWLEDGE_SEARCH_LIMIT_DEFAULT,
      ...(draft.phase ? { phase: Number(draft.phase) as 1 | 2 | 3 | 4 } : {}),
      ...(draft.goal ? { goal: draft.goal as (typeof ZKnowledgeGoalSchema.options)[number] } : {}),
      ...(draft.type ? { type: draft.type as (typeof ZKnowledgeTypeSchema.options)[number] } : {}),
    });
  }
  const set = (key: keyof typeof draft) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: event.target.value }));
  const report = search.data?.filters;

  return (
    <Card title="Search playground">
      <form onSubmit={submit} aria-label="Knowledge search" className="grid grid-cols-2 gap-3 sm:grid-cols-6">
        <TextField
          label="Situation to search for"
          required
          value={draft.query}
          onChange={set("query")}
          className="col-span-2 sm:col-span-6"
        />
        <SelectField
          label="Phase"
          anyLabel="Any phase"
          options={["1", "2", "3", "4"]}
          value={draft.phase}
          onChange={set("phase")}
        />
        <SelectField
          label="Goal"
          anyLabel="Any goal"
          options={ZKnowledgeGoalSchema.options}
          value={draft.goal}
          onChange={set("goal")}
        />
        <SelectField
          label="Type"
          anyLabel="Any type"
          options={ZKnowledgeTypeSchema.options}
          value={draft.type}
          onChange={set("type")}
        />
        <TextField label="Results" type="number" min={1} max={50} value={draft.limit} onChange={set("limit")} />
        <div className="col-span-2 flex items-end">
          <Button type="submit" busy={search.isFetching}>
            Search
          </Button>
        </div>
      </form>
      <div className="mt-4">
        {search.isError && (
          <ErrorNotice error={search.error} title="The search failed" onRetry={() => void search.refetch()} />
        )}
        {report && search.data && (
          <>
            <p role="status" className="mb-2 text-sm">
              {formatCount(report.active)} active chunks; the filters let {formatCount(report.matching)} through,{" "}
              {formatCount(report.searchable)} with an embedding of{" "}
              <span className="font-mono">{search.data.settings.embeddingModel}</span>.
            </p>
            <dl className="mb-3 flex flex-wrap gap-x-6 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
              {(["phase", "goal", "type"] as const).map((name) => (
                <div key={name} className="flex gap-1">
                  <dt>{name} alone:</dt>
                  <dd>{report.byFilter[name] === null ? "not used" : formatCount(report.byFilter[name])}</dd>
                </div>
              ))}
              <div className="flex gap-1">
                <dt>scan:</dt>
                <dd>
                  ef_search {search.data.settings.efSearch}, iterative {search.data.settings.iterativeScan}
                </dd>
              </div>
            </dl>
            {search.data.items.length === 0 ? (
              <Empty>{report.matching === 0 ? "The filters let no chunk through." : "No similar chunk found."}</Empty>
            ) : (
              <ol className="grid gap-2" aria-label="Search results">
                {search.data.items.map((hit) => (
                  <li key={hit.id} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
                    <p className="flex flex-wrap items-center gap-2">
                      <Badge tone="info">score {hit.score.toFixed(3)}</Badge>
                      <span className="font-mono text-sm font-semibold">{hit.chunkId}</span>
                      <span className="text-xs text-slate-500 dark:text-slate-400">
                        phase {hit.phase ?? "–"} · {hit.goal ?? "–"} · {hit.type ?? "–"}
                      </span>
                    </p>
                    <p className="mt-1 text-sm">{hit.text}</p>
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </div>
    </Card>
  );
}
