// The price table of the models page: prices per model-name pattern, added, edited in place and
// removed (each change audited by the server with its before and after), and re-pricing a past range.
import type { TPrice } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Card, Empty, Loading, TextField } from "../components/ui.tsx";
import { fieldError } from "../lib/field-error.ts";
import { formatDateTime, fromLocalInput, toLocalInput } from "../lib/format.ts";

const money = (value: number | null) => (value === null ? "—" : `$${value.toFixed(value < 1 ? 3 : 2)}`);

interface PriceDraft {
  pattern: string;
  input: string;
  cached: string;
  output: string;
  from: string;
}

const emptyDraft = (): PriceDraft => ({
  pattern: "",
  input: "",
  cached: "",
  output: "",
  from: toLocalInput(Date.now()),
});

const draftOf = (price: TPrice): PriceDraft => ({
  pattern: price.pattern,
  input: String(price.inputPerMillion),
  cached: price.cachedInputPerMillion === null ? "" : String(price.cachedInputPerMillion),
  output: String(price.outputPerMillion),
  from: toLocalInput(price.effectiveFrom),
});

/** What the server is sent; a blank number goes as NaN, so the server names the field instead of reading 0. */
function valuesOf(draft: PriceDraft) {
  const number = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
  return {
    pattern: draft.pattern,
    inputPerMillion: number(draft.input),
    cachedInputPerMillion: draft.cached.trim() === "" ? null : number(draft.cached),
    outputPerMillion: number(draft.output),
    currency: "USD",
    effectiveFrom: fromLocalInput(draft.from) ?? Number.NaN,
  };
}

/** The fields of one price, for adding a new one and for editing one in place. */
function PriceForm({
  label,
  initial,
  submitLabel,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  label: string;
  initial: PriceDraft;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (draft: PriceDraft, reset: () => void) => void;
  onCancel?: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const set = (patch: Partial<PriceDraft>) => setDraft((current) => ({ ...current, ...patch }));
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(draft, () => setDraft((d) => ({ ...emptyDraft(), from: d.from })));
  }
  return (
    <form onSubmit={submit} aria-label={label} className="grid gap-2 sm:grid-cols-6">
      <TextField
        label="Model pattern"
        placeholder="gpt-4o-mini*"
        required
        value={draft.pattern}
        onChange={(e) => set({ pattern: e.target.value })}
        error={fieldError(error, "pattern")}
        className="sm:col-span-2"
      />
      <TextField
        label="Input $"
        type="number"
        step="any"
        min={0}
        required
        value={draft.input}
        onChange={(e) => set({ input: e.target.value })}
        error={fieldError(error, "inputPerMillion")}
      />
      <TextField
        label="Cached input $"
        type="number"
        step="any"
        min={0}
        value={draft.cached}
        onChange={(e) => set({ cached: e.target.value })}
        error={fieldError(error, "cachedInputPerMillion")}
      />
      <TextField
        label="Output $"
        type="number"
        step="any"
        min={0}
        required
        value={draft.output}
        onChange={(e) => set({ output: e.target.value })}
        error={fieldError(error, "outputPerMillion")}
      />
      <TextField
        label="Effective from"
        type="datetime-local"
        required
        value={draft.from}
        onChange={(e) => set({ from: e.target.value })}
        error={fieldError(error, "effectiveFrom")}
      />
      {error ? (
        <p role="alert" className="text-sm text-rose-700 sm:col-span-6 dark:text-rose-300">
          {describeAppError(error).message}
        </p>
      ) : null}
      <div className="flex gap-2 sm:col-span-6">
        <Button type="submit" size="sm" busy={busy}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button type="button" size="sm" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

export function Prices() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.prices.list.queryOptions());
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.prices.list.queryKey() });
  const create = useMutation(trpc.admin.prices.create.mutationOptions({ onSuccess: invalidate }));
  const update = useMutation(trpc.admin.prices.update.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.admin.prices.delete.mutationOptions({ onSuccess: invalidate }));
  const reprice = useMutation(trpc.admin.prices.reprice.mutationOptions());
  const [editing, setEditing] = useState<string | null>(null);
  const [range, setRange] = useState({ from: toLocalInput(Date.now() - 7 * 86_400_000), to: toLocalInput(Date.now()) });

  const startEditing = (id: string | null) => {
    update.reset();
    setEditing(id);
  };

  return (
    <Card title="Prices (per million tokens)">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Each call is priced when it finishes, by the longest pattern matching its model in effect when it started. A
        call no pattern matches shows &ldquo;no price&rdquo;, never 0; the built-in provider and OCR are free. An edit
        prices later calls; re-price a past range below to apply it to calls already made.
      </p>
      <div className="mb-4">
        <PriceForm
          label="New price"
          initial={emptyDraft()}
          submitLabel="Add price"
          busy={create.isPending}
          error={create.error}
          onSubmit={(draft, reset) => create.mutate(valuesOf(draft), { onSuccess: reset })}
        />
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="Cannot list prices" />
      ) : list.data.length === 0 ? (
        <Empty>No prices: every call shows &ldquo;no price&rdquo;.</Empty>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" aria-label="Prices">
            <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
              <tr>
                <th className="py-1 pr-3">Pattern</th>
                <th className="pr-3">Input</th>
                <th className="pr-3">Cached input</th>
                <th className="pr-3">Output</th>
                <th className="pr-3">From</th>
                <th />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {list.data.map((price: TPrice) =>
                editing === price.id ? (
                  <tr key={price.id} data-price={price.pattern} className="bg-indigo-50/60 dark:bg-indigo-950/40">
                    <td colSpan={6} className="px-2 py-2">
                      <PriceForm
                        label={`Edit price ${price.pattern}`}
                        initial={draftOf(price)}
                        submitLabel="Save price"
                        busy={update.isPending}
                        error={update.error}
                        onSubmit={(draft) =>
                          update.mutate({ id: price.id, ...valuesOf(draft) }, { onSuccess: () => setEditing(null) })
                        }
                        onCancel={() => startEditing(null)}
                      />
                    </td>
                  </tr>
                ) : (
                  <tr key={price.id} data-price={price.pattern}>
                    <td className="py-1 pr-3 font-mono text-xs">{price.pattern}</td>
                    <td className="pr-3 tabular-nums">{money(price.inputPerMillion)}</td>
                    <td className="pr-3 tabular-nums">{money(price.cachedInputPerMillion)}</td>
                    <td className="pr-3 tabular-nums">{money(price.outputPerMillion)}</td>
                    <td className="pr-3 text-xs">{formatDateTime(price.effectiveFrom)}</td>
                    <td className="py-1 text-right whitespace-nowrap">
                      <Button
                        size="sm"
                        variant="secondary"
                        aria-label={`Edit ${price.pattern} from ${formatDateTime(price.effectiveFrom)}`}
                        onClick={() => startEditing(price.id)}
                      >
                        Edit
                      </Button>{" "}
                      <Button
                        size="sm"
                        variant="secondary"
                        aria-label={`Remove ${price.pattern} from ${formatDateTime(price.effectiveFrom)}`}
                        onClick={() => remove.mutate({ id: price.id })}
                      >
                        Remove
                      </Button>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {remove.isError && (
        <p role="alert" className="mt-2 text-sm text-rose-700 dark:text-rose-300">
          {describeAppError(remove.error).message}
        </p>
      )}
      <form
        aria-label="Re-price a past range"
        className="mt-4 flex flex-wrap items-end gap-2 border-t border-slate-100 pt-3 dark:border-slate-800"
        onSubmit={(event) => {
          event.preventDefault();
          reprice.mutate({ from: fromLocalInput(range.from) ?? 0, to: fromLocalInput(range.to) ?? Date.now() });
        }}
      >
        <TextField
          label="Re-price calls from"
          type="datetime-local"
          value={range.from}
          onChange={(e) => setRange({ ...range, from: e.target.value })}
        />
        <TextField
          label="until"
          type="datetime-local"
          value={range.to}
          onChange={(e) => setRange({ ...range, to: e.target.value })}
        />
        <Button type="submit" variant="secondary" busy={reprice.isPending}>
          Re-price (background job)
        </Button>
        {reprice.isSuccess && (
          <span role="status" className="text-sm text-emerald-700">
            Queued; costs and usage update when the job finishes.
          </span>
        )}
        {reprice.isError && <span className="text-sm text-rose-700">{describeAppError(reprice.error).message}</span>}
      </form>
    </Card>
  );
}
