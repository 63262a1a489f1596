// Cost and usage panels: on the overview, cost per day, cost by model and the people who cost
// most, with a CSV download; on a user's page, their calls, tokens and cost per day and model.
// A model with no price shows "no price", never $0.
import type { TUsageOverview, TUsageRow } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useTRPC } from "@lockstep/ui/trpc";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Card, Empty, Loading, SelectField } from "../components/ui.tsx";
import { formatCount } from "../lib/format.ts";

export function formatCost(cost: number | null, unpricedCalls = 0): string {
  if (cost === null) return "no price";
  // A fraction of a cent is still a cost: never rounded down to a $0 that looks free.
  const text = cost > 0 && cost < 0.0001 ? "< $0.0001" : `$${cost.toFixed(cost !== 0 && cost < 0.01 ? 4 : 2)}`;
  return unpricedCalls > 0 ? `${text} + ${unpricedCalls} unpriced` : text;
}

/** Quotes a CSV cell when it needs it (RFC 4180); a leading = + - @ is defused for spreadsheets. */
function cell(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function downloadCsv(name: string, rows: (string | number | null)[][]) {
  const blob = new Blob([rows.map((r) => r.map(cell).join(",")).join("\n") + "\n"], { type: "text/csv" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function overviewCsv(data: TUsageOverview): (string | number | null)[][] {
  return [
    ["section", "key", "calls", "cost_usd", "unpriced_calls"],
    ...data.byDay.map((d) => ["day", d.day, d.calls, d.cost, d.unpricedCalls]),
    ...data.byModel.map((m) => ["model", m.modelName, m.calls, m.cost, m.unpricedCalls]),
    ...data.topUsers.map((u) => ["user", u.email ?? u.userId, u.calls, u.cost, u.unpricedCalls]),
  ];
}

export function CostOverview() {
  const trpc = useTRPC();
  const [days, setDays] = useState(30);
  const usage = useQuery(trpc.admin.usage.overview.queryOptions({ days }));
  return (
    <Card
      title="Cost"
      className="mt-4"
      actions={
        <div className="flex items-end gap-2">
          <SelectField
            label="Days"
            value={String(days)}
            onChange={(e) => setDays(Number(e.target.value))}
            options={["7", "30", "90"]}
          />
          <Button
            size="sm"
            variant="secondary"
            disabled={!usage.data}
            onClick={() => usage.data && downloadCsv(`lockstep-cost-${days}d.csv`, overviewCsv(usage.data))}
          >
            Export CSV
          </Button>
        </div>
      }
    >
      {usage.isPending ? (
        <Loading label="Loading costs…" />
      ) : usage.isError ? (
        <ErrorNotice error={usage.error} title="Cannot load costs" onRetry={() => void usage.refetch()} />
      ) : usage.data.byDay.length === 0 ? (
        <Empty>No usage in these days yet (usage is rolled up every 10 minutes).</Empty>
      ) : (
        <div className="grid gap-4 lg:grid-cols-3">
          <div className="h-56 lg:col-span-2" role="figure" aria-label="Cost per day">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={usage.data.byDay}>
                <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                <XAxis dataKey="day" fontSize={11} />
                <YAxis
                  fontSize={11}
                  width={70}
                  tickFormatter={(v: number) => (v === 0 ? "$0" : `$${Number(v.toPrecision(2))}`)}
                />
                <Tooltip formatter={(v) => formatCost(Number(v))} />
                <Bar dataKey="cost" name="Cost (USD)" fill="#6366f1" />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <div className="grid content-start gap-3 text-sm">
            <div>
              <h3 className="mb-1 font-semibold">By model</h3>
              <ul aria-label="Cost by model">
                {usage.data.byModel.map((m) => (
                  <li key={m.modelName} className="flex justify-between gap-2">
                    <span className="truncate font-mono text-xs">{m.modelName}</span>
                    <span className="tabular-nums">{formatCost(m.cost, m.cost === null ? 0 : m.unpricedCalls)}</span>
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3 className="mb-1 font-semibold">Top people by cost</h3>
              <ol aria-label="Top people by cost">
                {usage.data.topUsers.map((u) => (
                  <li key={u.userId} className="flex items-center justify-between gap-2">
                    <Link
                      to="/users/$id"
                      params={{ id: u.userId }}
                      className="truncate py-1 text-indigo-700 dark:text-indigo-300"
                    >
                      {u.email ?? u.userId}
                    </Link>
                    <span className="tabular-nums">{formatCost(u.cost, u.cost === null ? 0 : u.unpricedCalls)}</span>
                  </li>
                ))}
              </ol>
            </div>
          </div>
        </div>
      )}
    </Card>
  );
}

export function UsageTable({ rows }: { rows: TUsageRow[] }) {
  if (rows.length === 0) return <Empty>No model calls in these days.</Empty>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" aria-label="Usage per day and model">
        <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
          <tr>
            <th className="py-1 pr-3">Day</th>
            <th className="pr-3">Model</th>
            <th className="pr-3 text-right">Calls</th>
            <th className="pr-3 text-right">Tokens in / out</th>
            <th className="text-right">Cost</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((r) => (
            <tr key={`${r.day}-${r.modelName}`}>
              <td className="py-1 pr-3">{r.day}</td>
              <td className="pr-3 font-mono text-xs">{r.modelName}</td>
              <td className="pr-3 text-right tabular-nums">{formatCount(r.calls)}</td>
              <td className="pr-3 text-right tabular-nums">
                {formatCount(r.inputTokens)} / {formatCount(r.outputTokens)}
              </td>
              <td className="text-right tabular-nums">{formatCost(r.cost, r.cost === null ? 0 : r.unpricedCalls)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function UserUsage({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.admin.usage.user.queryOptions({ userId, days: 30 }));
  const total = usage.data?.rows.reduce((sum, r) => sum + (r.cost ?? 0), 0) ?? 0;
  return (
    <Card title="Usage, last 30 days" className="mt-4">
      {usage.isPending ? (
        <Loading />
      ) : usage.isError ? (
        <ErrorNotice error={usage.error} title="Cannot load usage" />
      ) : (
        <>
          <p className="mb-2 text-sm">
            Total: <span className="font-semibold">{formatCost(total)}</span>
          </p>
          <UsageTable rows={usage.data.rows} />
        </>
      )}
    </Card>
  );
}
