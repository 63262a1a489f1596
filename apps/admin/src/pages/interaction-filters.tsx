// The interaction log's filter form: edits a draft, and applying it writes the filters into the URL,
// which is the one source of truth for what the list, the groups and the export show.
import { ZAiInteractionStatusSchema, ZAiOperationSchema, ZDataSourceSchema } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { type FormEvent, useEffect, useState } from "react";
import { SelectField, TextField } from "../components/ui.tsx";
import { fromLocalInput, toLocalInput } from "../lib/format.ts";
import { compact, type InteractionSearch, parseInteractionSearch } from "../lib/interaction-search.ts";

interface Draft {
  from: string;
  to: string;
  provider: string;
  model: string;
  status: string;
  operation: string;
  dataSource: string;
  userId: string;
  sessionId: string;
  sort: string;
}

function draftOf(search: InteractionSearch): Draft {
  return {
    from: search.from === undefined ? "" : toLocalInput(search.from),
    to: search.to === undefined ? "" : toLocalInput(search.to),
    provider: search.provider ?? "",
    model: search.model ?? "",
    status: search.status ?? "",
    operation: search.operation ?? "",
    dataSource: search.dataSource ?? "",
    userId: search.userId ?? "",
    sessionId: search.sessionId ?? "",
    sort: search.sort ?? "created_at",
  };
}

/** The search the draft stands for, through the same parser as the URL, so nothing the API refuses gets in. */
export function searchOfDraft(draft: Draft, view: InteractionSearch["view"]): InteractionSearch {
  return parseInteractionSearch(
    compact({
      ...draft,
      from: fromLocalInput(draft.from),
      to: fromLocalInput(draft.to),
      sort: draft.sort === "created_at" ? undefined : draft.sort,
      view,
    }),
  );
}

export function InteractionFilters({
  search,
  onApply,
}: {
  search: InteractionSearch;
  onApply: (next: InteractionSearch) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(search));
  // Back/forward or a link changes the URL: the form follows it.
  useEffect(() => setDraft(draftOf(search)), [search]);
  const set = (key: keyof Draft) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: event.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(searchOfDraft(draft, search.view));
  }

  return (
    <form
      onSubmit={submit}
      aria-label="Interaction filters"
      className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-5"
    >
      <TextField label="From" type="datetime-local" value={draft.from} onChange={set("from")} />
      <TextField label="To" type="datetime-local" value={draft.to} onChange={set("to")} />
      <SelectField
        label="Status"
        anyLabel="Any status"
        options={ZAiInteractionStatusSchema.options}
        value={draft.status}
        onChange={set("status")}
      />
      <SelectField
        label="Operation"
        anyLabel="Any operation"
        options={ZAiOperationSchema.options}
        value={draft.operation}
        onChange={set("operation")}
      />
      <SelectField
        label="Source"
        anyLabel="Any source"
        options={ZDataSourceSchema.options}
        value={draft.dataSource}
        onChange={set("dataSource")}
      />
      <TextField label="Provider" placeholder="e.g. builtin" value={draft.provider} onChange={set("provider")} />
      <TextField label="Model" placeholder="exact model name" value={draft.model} onChange={set("model")} />
      <TextField label="User id" value={draft.userId} onChange={set("userId")} />
      <TextField label="Session id" placeholder="UUID" value={draft.sessionId} onChange={set("sessionId")} />
      <SelectField
        label="Sort"
        options={[
          { value: "created_at", label: "Newest first" },
          { value: "latency", label: "Slowest first" },
        ]}
        value={draft.sort}
        onChange={set("sort")}
      />
      <div className="flex flex-wrap items-end gap-2 sm:col-span-2 lg:col-span-5">
        <Button type="submit">Apply filters</Button>
        <Button variant="secondary" onClick={() => onApply({ view: search.view })}>
          Clear filters
        </Button>
      </div>
    </form>
  );
}
