// Data: the log's retention and masking settings, the database report (db:verify) on demand, the
// API health, and the audit log of every operator action with its before and after.
import {
  MASKING_CATEGORIES,
  RETENTION_DAYS_MAX,
  type TAdminAuditEntry,
  type TMaskingSettings,
} from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { JsonViewer } from "../components/json-viewer.tsx";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, Empty, Loading, LoadMore, PageHeader, TextField } from "../components/ui.tsx";
import { HealthPanel } from "@lockstep/ui/health-panel";
import { formatCount, formatDateTime } from "../lib/format.ts";
import { changedFields } from "../lib/audit.ts";
import { compact } from "../lib/interaction-search.ts";
import { useTRPC } from "@lockstep/ui/trpc";

// Operators watch this page; a dead server should show within seconds, without a reload.
const HEALTH_POLL_MS = 15_000;

const MASKING_LABELS: Record<(typeof MASKING_CATEGORIES)[number], string> = {
  email: "Email addresses",
  phone: "Phone numbers",
  card: "Card numbers",
  secret: "Keys and secrets",
  dataUrl: "Embedded files (data URLs)",
};

export function DataPage() {
  return (
    <>
      <PageHeader
        title="Data and audit"
        description="How long the AI log is kept and what it masks, the database's own report, and who did what in this console."
      />
      <div className="grid gap-4 xl:grid-cols-2">
        <Settings />
        <Verify />
      </div>
      <div className="mt-4">
        <AuditLog />
      </div>
      <div className="mt-4">
        <HealthPanel pollMs={HEALTH_POLL_MS} />
      </div>
    </>
  );
}

function Settings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.admin.data.settings.queryOptions());
  const save = useMutation(
    trpc.admin.data.updateSettings.mutationOptions({
      onSuccess: (saved) => queryClient.setQueryData(trpc.admin.data.settings.queryKey(), saved),
    }),
  );
  const [days, setDays] = useState("");
  const [masking, setMasking] = useState<TMaskingSettings | null>(null);
  useEffect(() => {
    if (settings.data) {
      setDays(String(settings.data.retentionDays));
      setMasking(settings.data.masking);
    }
  }, [settings.data]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (masking) save.mutate({ retentionDays: Number(days), masking });
  }

  return (
    <Card title="Retention and masking">
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorNotice error={settings.error} title="Cannot load the settings" onRetry={() => void settings.refetch()} />
      ) : (
        masking && (
          <form onSubmit={submit} aria-label="Retention and masking" className="grid gap-4">
            <TextField
              label="Keep AI interactions for (days)"
              type="number"
              min={1}
              max={RETENTION_DAYS_MAX}
              required
              value={days}
              onChange={(event) => setDays(event.target.value)}
              hint="Older log rows are deleted by the retention job every 6 hours."
              error={
                save.error
                  ? (
                      save.error as { data?: { fieldErrors?: Record<string, string[]> } }
                    ).data?.fieldErrors?.retentionDays?.join("; ")
                  : undefined
              }
            />
            <fieldset>
              <legend className="text-xs font-medium text-slate-700 dark:text-slate-300">
                Masking of new log rows
              </legend>
              <label className="mt-2 flex items-center gap-2 text-sm font-medium">
                <input
                  type="checkbox"
                  className="size-4"
                  checked={masking.enabled}
                  onChange={(event) => setMasking({ ...masking, enabled: event.target.checked })}
                />
                Mask personal data and credentials
              </label>
              <div className="mt-1 grid gap-1 pl-6 sm:grid-cols-2">
                {MASKING_CATEGORIES.map((category) => (
                  <label key={category} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="size-4"
                      disabled={!masking.enabled}
                      checked={masking[category]}
                      onChange={(event) => setMasking({ ...masking, [category]: event.target.checked })}
                    />
                    {MASKING_LABELS[category]}
                  </label>
                ))}
              </div>
            </fieldset>
            {save.isError && <ErrorNotice error={save.error} title="Not saved" />}
            {save.isSuccess && (
              <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
                Saved.
              </p>
            )}
            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" busy={save.isPending}>
                Save settings
              </Button>
              <span className="text-xs text-slate-500 dark:text-slate-400">
                {settings.data.source === "default"
                  ? "Using the environment's defaults."
                  : `Last saved ${formatDateTime(settings.data.updatedAt)}${settings.data.updatedBy ? ` by ${settings.data.updatedBy}` : ""}.`}
              </span>
            </div>
          </form>
        )
      )}
    </Card>
  );
}

function Verify() {
  const trpc = useTRPC();
  // A report on demand: it scans the whole database, so it runs only when asked.
  const verify = useQuery({ ...trpc.admin.data.verify.queryOptions(), enabled: false, retry: false });
  return (
    <Card
      title="Database report"
      actions={
        <Button size="sm" busy={verify.isFetching} onClick={() => void verify.refetch()}>
          {verify.data ? "Run again" : "Run the report"}
        </Button>
      }
    >
      {verify.isError && (
        <ErrorNotice error={verify.error} title="The report failed" onRetry={() => void verify.refetch()} />
      )}
      {!verify.data && !verify.isError && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Row counts, orphaned references, expected indexes and enum values against the contracts.
        </p>
      )}
      {verify.data && (
        <div className="grid gap-3">
          <p role="status" className="text-sm font-medium">
            {verify.data.ok ? <Badge tone="ok">all checks passed</Badge> : <Badge tone="bad">problems found</Badge>}{" "}
            <span className="text-slate-500 dark:text-slate-400">
              {verify.data.runtime} · {verify.data.location}
            </span>
          </p>
          <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" aria-label="Checks">
            {verify.data.checks.map((check) => (
              <li key={check.name} className="py-1.5">
                <span className="flex flex-wrap items-center gap-2">
                  <Badge tone={check.ok ? "ok" : "bad"}>{check.ok ? "ok" : "problem"}</Badge>
                  <span className="font-medium">{check.name}</span>
                </span>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{check.detail}</span>
                {check.rows && check.rows.length > 0 && (
                  // A failing check opens on its offending rows; a passing one keeps what it checked folded away.
                  <details open={!check.ok} className="mt-1">
                    <summary className="cursor-pointer text-xs text-indigo-700 dark:text-indigo-300">
                      {check.rows.length} row{check.rows.length === 1 ? "" : "s"}
                    </summary>
                    <JsonViewer value={check.rows} label={`${check.name} rows`} defaultDepth={1} />
                  </details>
                )}
              </li>
            ))}
          </ul>
          <details>
            <summary className="cursor-pointer text-sm font-medium">Row counts</summary>
            <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
              {Object.entries(verify.data.counts).map(([table, count]) => (
                <div key={table} className="flex justify-between gap-2">
                  <dt className="truncate font-mono text-xs">{table}</dt>
                  <dd className="tabular-nums">{formatCount(count)}</dd>
                </div>
              ))}
            </dl>
          </details>
        </div>
      )}
    </Card>
  );
}

interface AuditFilters {
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
}

function AuditLog() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Required<AuditFilters>>({ action: "", entityType: "", entityId: "", actorId: "" });
  const [filters, setFilters] = useState<AuditFilters>({});
  const list = useInfiniteQuery(
    trpc.admin.audit.list.infiniteQueryOptions(
      { ...filters, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const set = (key: keyof AuditFilters) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: event.target.value }));

  return (
    <Card
      title="Audit log"
      actions={
        <Button variant="secondary" size="sm" busy={list.isRefetching} onClick={() => void list.refetch()}>
          Refresh
        </Button>
      }
    >
      <form
        aria-label="Audit filters"
        className="mb-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_1fr_1fr_auto]"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(compact(Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, v.trim() || undefined]))));
        }}
      >
        <TextField label="Action" placeholder="admin.users.setDisabled" value={draft.action} onChange={set("action")} />
        <TextField label="Entity type" placeholder="user" value={draft.entityType} onChange={set("entityType")} />
        <TextField label="Entity id" value={draft.entityId} onChange={set("entityId")} />
        <TextField label="Actor id" value={draft.actorId} onChange={set("actorId")} />
        <div className="flex items-end">
          <Button type="submit">Filter</Button>
        </div>
      </form>
      {list.isPending ? (
        <Loading label="Loading the audit log…" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="Cannot load the audit log" onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <Empty>No audit entry matches.</Empty>
      ) : (
        <ol className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Audit entries">
          {rows.map((entry) => (
            <AuditRow key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
      <LoadMore pages={list} />
    </Card>
  );
}

function AuditRow({ entry }: { entry: TAdminAuditEntry }) {
  const changed = entry.before !== null || entry.after !== null;
  const fields = changedFields(entry.before, entry.after);
  return (
    <li className="py-2 text-sm" data-audit-action={entry.action}>
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-mono text-xs font-semibold">{entry.action}</span>
        <span className="text-slate-600 dark:text-slate-400">
          {entry.entityType}
          {entry.entityId ? ` ${entry.entityId}` : ""}
        </span>
        <span className="text-xs text-slate-500 dark:text-slate-400 sm:ml-auto">
          {entry.actorEmail ?? entry.actorId ?? "system"} · {formatDateTime(entry.createdAt)}
          {entry.ipAddress ? ` · ${entry.ipAddress}` : ""}
        </span>
      </p>
      {fields.length > 0 && (
        <p className="mt-1 font-mono text-xs break-all text-slate-700 dark:text-slate-300">
          <span className="sr-only">Changed: </span>
          {fields.join("; ")}
        </p>
      )}
      {changed && (
        <details className="mt-1">
          <summary className="cursor-pointer text-xs font-medium text-indigo-700 dark:text-indigo-300">
            Before and after
          </summary>
          <div className="mt-2 grid gap-2 lg:grid-cols-2">
            <div>
              <p className="mb-1 text-xs font-semibold">Before</p>
              {entry.before === null ? (
                <p className="text-xs text-slate-500 dark:text-slate-400">nothing (created)</p>
              ) : (
                <JsonViewer value={entry.before} label="before" defaultDepth={1} />
              )}
            </div>
            <div>
              <p className="mb-1 text-xs font-semibold">After</p>
              {entry.after === null ? (
                <p className="text-xs text-slate-500 dark:text-slate-400">nothing (deleted)</p>
              ) : (
                <JsonViewer value={entry.after} label="after" defaultDepth={1} />
              )}
            </div>
          </div>
        </details>
      )}
    </li>
  );
}
