// Usage limits of the models page: per role, or for one person chosen by searching their email (as
// the people page searches), and the alerts people raised by nearing or reaching a limit.
import type { TAdminUserListItem, TUsageLimit } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { useDebounced } from "@lockstep/ui/use-debounced";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, Empty, inputClass, Loading, SelectField, TextField } from "../components/ui.tsx";
import { fieldError } from "../lib/field-error.ts";
import { formatCount, formatDateTime } from "../lib/format.ts";

function describeLimit(limit: TUsageLimit) {
  const unit = limit.amount === 1 ? limit.metric.replace(/s$/, "") : limit.metric;
  const amount = limit.metric === "cost" ? `$${limit.amount.toFixed(2)}` : `${formatCount(limit.amount)} ${unit}`;
  return `${amount} ${limit.period === "daily" ? "a day" : "a month"}`;
}

type Person = Pick<TAdminUserListItem, "id" | "email" | "name">;

/** Finds a person by email (or name) and picks them; the chosen person shows with a way to change them. */
function PersonPicker({
  value,
  onChange,
  error,
}: {
  value: Person | null;
  onChange: (person: Person | null) => void;
  error?: string | undefined;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [query, setQuery] = useState("");
  const search = useDebounced(query.trim(), 250);
  const found = useQuery({
    ...trpc.admin.users.list.queryOptions({ query: search, limit: 8 }),
    enabled: value === null && search.length > 0,
  });

  if (value) {
    return (
      <div>
        <span className="mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300">Person</span>
        <div className="flex flex-wrap items-center gap-2 text-sm" data-chosen-person={value.email}>
          <span className="min-w-0 truncate font-medium">{value.email}</span>
          <Button size="sm" variant="secondary" onClick={() => onChange(null)}>
            Change person
          </Button>
        </div>
        {error && <p className="mt-1 text-xs text-rose-700 dark:text-rose-300">{error}</p>}
      </div>
    );
  }
  const results = found.data?.items ?? [];
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300">
        Person (search by email or name)
      </label>
      <input
        id={id}
        type="search"
        className={inputClass}
        value={query}
        placeholder="name@example.com"
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-note`}
        onChange={(event) => setQuery(event.target.value)}
      />
      <p
        id={`${id}-note`}
        className={`mt-1 text-xs ${error ? "text-rose-700 dark:text-rose-300" : "text-slate-500 dark:text-slate-400"}`}
      >
        {error ??
          (search.length === 0
            ? "Type part of their email to find them."
            : found.isPending
              ? "Searching…"
              : found.isError
                ? describeAppError(found.error).message
                : results.length === 0
                  ? "Nobody matches."
                  : "Choose the person below.")}
      </p>
      {results.length > 0 && (
        <ul aria-label="People found" className="mt-1 grid gap-1">
          {results.map((person) => (
            <li key={person.id}>
              <button
                type="button"
                className="w-full rounded-lg border border-slate-200 px-2 py-1 text-left text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-800"
                onClick={() => onChange({ id: person.id, email: person.email, name: person.name })}
              >
                <span className="font-medium">{person.email}</span>
                <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">{person.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Limits() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const limits = useQuery(trpc.admin.usage.limits.queryOptions());
  const alerts = useQuery(trpc.admin.usage.alerts.queryOptions());
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.usage.limits.queryKey() });
  const save = useMutation(trpc.admin.usage.saveLimit.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.admin.usage.deleteLimit.mutationOptions({ onSuccess: invalidate }));
  const [draft, setDraft] = useState({ who: "role:user", period: "daily", metric: "calls", amount: "", soft: "80" });
  const [person, setPerson] = useState<Person | null>(null);
  const [missingPerson, setMissingPerson] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    const forPerson = draft.who === "person";
    if (forPerson && !person) {
      setMissingPerson(true);
      return;
    }
    setMissingPerson(false);
    save.mutate({
      role: forPerson ? null : draft.who === "role:admin" ? "admin" : "user",
      userId: forPerson ? person!.id : null,
      period: draft.period as "daily" | "monthly",
      metric: draft.metric as "calls" | "tokens" | "cost",
      amount: draft.amount.trim() === "" ? Number.NaN : Number(draft.amount),
      softThreshold: Number(draft.soft) / 100,
    });
  }

  return (
    <Card title="Usage limits and alerts">
      <form onSubmit={submit} aria-label="New limit" className="mb-4 grid gap-2 sm:grid-cols-6">
        <SelectField
          label="Applies to"
          value={draft.who}
          onChange={(e) => setDraft({ ...draft, who: e.target.value })}
          options={[
            { value: "role:user", label: "Everyone with the user role" },
            { value: "role:admin", label: "Everyone with the admin role" },
            { value: "person", label: "One person" },
          ]}
          className="sm:col-span-2"
        />
        <SelectField
          label="Period"
          value={draft.period}
          onChange={(e) => setDraft({ ...draft, period: e.target.value })}
          options={["daily", "monthly"]}
        />
        <SelectField
          label="Measure"
          value={draft.metric}
          onChange={(e) => setDraft({ ...draft, metric: e.target.value })}
          options={["calls", "tokens", "cost"]}
        />
        <TextField
          label="Limit"
          type="number"
          step="any"
          min={0}
          required
          value={draft.amount}
          onChange={(e) => setDraft({ ...draft, amount: e.target.value })}
          error={fieldError(save.error, "amount")}
        />
        <TextField
          label="Warn at %"
          type="number"
          min={1}
          max={100}
          value={draft.soft}
          onChange={(e) => setDraft({ ...draft, soft: e.target.value })}
          error={fieldError(save.error, "softThreshold")}
        />
        {draft.who === "person" && (
          <div className="sm:col-span-3">
            <PersonPicker
              value={person}
              onChange={(next) => {
                setPerson(next);
                if (next) setMissingPerson(false);
              }}
              error={missingPerson ? "Choose the person this limit is for." : fieldError(save.error, "userId")}
            />
          </div>
        )}
        {save.isError && (
          <p role="alert" className="text-sm text-rose-700 sm:col-span-6 dark:text-rose-300">
            {describeAppError(save.error).message}
          </p>
        )}
        <div className="sm:col-span-6">
          <Button type="submit" size="sm" busy={save.isPending}>
            Save limit
          </Button>
        </div>
      </form>
      {limits.isPending ? (
        <Loading />
      ) : limits.isError ? (
        <ErrorNotice error={limits.error} title="Cannot list limits" />
      ) : limits.data.length === 0 ? (
        <Empty>No limits: nobody is stopped.</Empty>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" aria-label="Limits">
          {limits.data.map((limit) => (
            <li key={limit.id} className="flex flex-wrap items-center gap-2 py-1.5">
              <Badge>{limit.role ? `role ${limit.role}` : `person ${limit.email ?? limit.userId}`}</Badge>
              <span>{describeLimit(limit)}</span>
              <span className="text-xs text-slate-500 dark:text-slate-400">
                warns at {Math.round(limit.softThreshold * 100)}%
              </span>
              <Button size="sm" variant="secondary" className="ml-auto" onClick={() => remove.mutate({ id: limit.id })}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <h3 className="mt-4 mb-1 text-sm font-semibold">Recent alerts</h3>
      {alerts.data && alerts.data.length === 0 && <Empty>No one has come near a limit.</Empty>}
      {alerts.data && alerts.data.length > 0 && (
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" aria-label="Usage alerts">
          {alerts.data.map((alert) => (
            <li key={alert.id} className="flex flex-wrap gap-2 py-1">
              <Badge tone={alert.level === "hard" ? "bad" : "neutral"}>
                {alert.level === "hard" ? "limit reached" : "near limit"}
              </Badge>
              <span>{alert.email ?? alert.userId}</span>
              <span className="text-slate-600">
                {alert.period} {alert.metric}: {formatCount(alert.used)} of {formatCount(alert.amount)}
              </span>
              <span className="ml-auto text-xs text-slate-500 dark:text-slate-400">
                {formatDateTime(alert.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
