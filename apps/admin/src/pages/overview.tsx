// The overview: for a chosen time range, AI calls per bucket, error rate, latency percentiles, time
// to first token and tokens, as charts with the range's numbers beside them, and the breakdowns by
// provider, model and operation (each links to the log filtered to it).
import {
  defaultOverviewBucket,
  type TAdminInteractionOverview,
  type TInteractionBreakdownEntry,
  type TInteractionStatsBucket,
} from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, type ReactElement, useMemo, useState } from "react";
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { ErrorNotice } from "../components/error-notice.tsx";
import { CostOverview } from "./usage-costs.tsx";
import { Card, Loading, PageHeader, SelectField, TextField } from "../components/ui.tsx";
import {
  formatCompact,
  formatCount,
  formatDateTime,
  formatMs,
  formatRate,
  fromLocalInput,
  toLocalInput,
} from "../lib/format.ts";
import { useTRPC } from "@lockstep/ui/trpc";

const HOUR = 3_600_000;
const PRESETS = [
  { label: "Last hour", ms: HOUR },
  { label: "Last 24 hours", ms: 24 * HOUR },
  { label: "Last 7 days", ms: 7 * 24 * HOUR },
  { label: "Last 30 days", ms: 30 * 24 * HOUR },
] as const;

interface Range {
  from: number;
  to: number;
  bucket?: TInteractionStatsBucket;
}

/** A range that ends at the next whole minute, so repeated loads share a cache entry. */
function lastRange(ms: number): Range {
  const to = Math.ceil(Date.now() / 60_000) * 60_000;
  return { from: to - ms, to };
}

export function OverviewPage() {
  const [range, setRange] = useState<Range>(() => lastRange(24 * HOUR));
  const trpc = useTRPC();
  const overview = useQuery(trpc.admin.interactions.overview.queryOptions(range));

  return (
    <>
      <PageHeader
        title="Overview"
        description="What the AI has been doing: volume, failures, speed and tokens over the chosen range."
      />
      <RangePicker range={range} onChange={setRange} />
      {overview.isPending ? (
        <Loading label="Loading the overview…" />
      ) : overview.isError ? (
        <ErrorNotice error={overview.error} title="Cannot load the overview" onRetry={() => void overview.refetch()} />
      ) : (
        <OverviewView data={overview.data} />
      )}
      <CostOverview />
    </>
  );
}

function RangePicker({ range, onChange }: { range: Range; onChange: (range: Range) => void }) {
  const [from, setFrom] = useState(toLocalInput(range.from));
  const [to, setTo] = useState(toLocalInput(range.to));
  const [bucket, setBucket] = useState<string>(range.bucket ?? "");
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const start = fromLocalInput(from);
    const end = fromLocalInput(to);
    if (start === undefined || end === undefined || start >= end) return setProblem("Choose a start before the end.");
    setProblem(null);
    onChange({ from: start, to: end, ...(bucket ? { bucket: bucket as TInteractionStatsBucket } : {}) });
  }

  return (
    <Card className="mb-4">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Quick ranges">
        {PRESETS.map((preset) => (
          <Button
            key={preset.label}
            variant="secondary"
            size="sm"
            onClick={() => {
              const next = lastRange(preset.ms);
              setFrom(toLocalInput(next.from));
              setTo(toLocalInput(next.to));
              setBucket("");
              onChange(next);
            }}
          >
            {preset.label}
          </Button>
        ))}
      </div>
      <form
        onSubmit={submit}
        aria-label="Time range"
        className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-[1fr_1fr_10rem_auto]"
      >
        <TextField label="From" type="datetime-local" value={from} onChange={(event) => setFrom(event.target.value)} />
        <TextField label="To" type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} />
        <SelectField
          label="Bucket"
          anyLabel="Automatic"
          options={["minute", "hour", "day"]}
          value={bucket}
          onChange={(event) => setBucket(event.target.value)}
        />
        <div className="flex items-end">
          <Button type="submit">Show</Button>
        </div>
      </form>
      {problem && (
        <p role="alert" className="mt-2 text-sm text-rose-700 dark:text-rose-300">
          {problem}
        </p>
      )}
      <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        {formatDateTime(range.from)} to {formatDateTime(range.to)}, per{" "}
        {range.bucket ?? defaultOverviewBucket(range.from, range.to)}.
      </p>
    </Card>
  );
}

function tick(bucket: TInteractionStatsBucket) {
  return (ms: number) =>
    bucket === "day"
      ? new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "short" })
      : new Date(ms).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

export function OverviewView({ data }: { data: TAdminInteractionOverview }) {
  const points = useMemo(
    () =>
      data.series.map((point) => ({
        start: point.start,
        ok: point.success,
        failed: point.errors,
        other: point.count - point.success - point.errors,
        errorRate: point.errorRate === null ? null : point.errorRate * 100,
        p50: point.latencyMs.p50,
        p95: point.latencyMs.p95,
        p99: point.latencyMs.p99,
        ttft50: point.timeToFirstTokenMs.p50,
        ttft95: point.timeToFirstTokenMs.p95,
        tokensIn: point.inputTokens,
        tokensOut: point.outputTokens,
      })),
    [data.series],
  );
  const t = data.totals;
  const xAxis = (
    <XAxis dataKey="start" tickFormatter={tick(data.bucket)} minTickGap={24} fontSize={11} stroke="currentColor" />
  );
  const grid = <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />;
  const tooltip = (
    <Tooltip labelFormatter={(ms) => formatDateTime(Number(ms))} contentStyle={{ fontSize: 12, color: "#0f172a" }} />
  );

  return (
    <div className="grid gap-4">
      <div
        className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-6"
        aria-label="Totals for the range"
        role="group"
      >
        <Stat label="Calls" value={formatCount(t.count)} />
        <Stat label="Failed" value={formatCount(t.errors)} tone={t.errors ? "bad" : undefined} />
        <Stat label="Error rate" value={formatRate(t.errorRate)} tone={t.errorRate ? "bad" : undefined} />
        <Stat label="Latency p95" value={formatMs(t.latencyMs.p95)} />
        <Stat label="First token p50" value={formatMs(t.timeToFirstTokenMs.p50)} />
        <Stat label="Tokens in / out" value={`${formatCompact(t.inputTokens)} / ${formatCompact(t.outputTokens)}`} />
      </div>

      <ChartCard
        title="Calls per bucket"
        numbers={[
          ["Succeeded", formatCount(t.success)],
          ["Failed", formatCount(t.errors)],
          ["Pending or cancelled", formatCount(t.count - t.success - t.errors)],
        ]}
      >
        <BarChart data={points}>
          {grid}
          {xAxis}
          <YAxis allowDecimals={false} fontSize={11} stroke="currentColor" width={40} />
          {tooltip}
          <Legend />
          <Bar dataKey="ok" name="succeeded" stackId="calls" fill="#6366f1" />
          <Bar dataKey="failed" name="failed" stackId="calls" fill="#e11d48" />
          <Bar dataKey="other" name="pending / cancelled" stackId="calls" fill="#94a3b8" />
        </BarChart>
      </ChartCard>

      <div className="grid gap-4 xl:grid-cols-2">
        <ChartCard
          title="Error rate (%)"
          numbers={[
            ["Over the range", formatRate(t.errorRate)],
            ["Timeouts", formatCount(t.timeout)],
            ["Errors", formatCount(t.error)],
            ["Aborted", formatCount(t.aborted)],
          ]}
        >
          <LineChart data={points}>
            {grid}
            {xAxis}
            <YAxis fontSize={11} stroke="currentColor" width={40} unit="%" />
            {tooltip}
            <Line
              type="monotone"
              dataKey="errorRate"
              name="error rate %"
              stroke="#e11d48"
              dot={{ r: 2 }}
              connectNulls
            />
          </LineChart>
        </ChartCard>
        <ChartCard
          title="Latency (ms)"
          numbers={[
            ["p50", formatMs(t.latencyMs.p50)],
            ["p95", formatMs(t.latencyMs.p95)],
            ["p99", formatMs(t.latencyMs.p99)],
          ]}
        >
          <LineChart data={points}>
            {grid}
            {xAxis}
            <YAxis fontSize={11} stroke="currentColor" width={48} />
            {tooltip}
            <Legend />
            <Line type="monotone" dataKey="p50" stroke="#10b981" dot={{ r: 2 }} connectNulls />
            <Line type="monotone" dataKey="p95" stroke="#f59e0b" dot={{ r: 2 }} connectNulls />
            <Line type="monotone" dataKey="p99" stroke="#e11d48" dot={{ r: 2 }} connectNulls />
          </LineChart>
        </ChartCard>
        <ChartCard
          title="Time to first token (ms)"
          numbers={[
            ["p50", formatMs(t.timeToFirstTokenMs.p50)],
            ["p95", formatMs(t.timeToFirstTokenMs.p95)],
          ]}
        >
          <LineChart data={points}>
            {grid}
            {xAxis}
            <YAxis fontSize={11} stroke="currentColor" width={48} />
            {tooltip}
            <Legend />
            <Line type="monotone" dataKey="ttft50" name="p50" stroke="#10b981" dot={{ r: 2 }} connectNulls />
            <Line type="monotone" dataKey="ttft95" name="p95" stroke="#f59e0b" dot={{ r: 2 }} connectNulls />
          </LineChart>
        </ChartCard>
        <ChartCard
          title="Tokens"
          numbers={[
            ["In", formatCount(t.inputTokens)],
            ["Out", formatCount(t.outputTokens)],
          ]}
        >
          <AreaChart data={points}>
            {grid}
            {xAxis}
            <YAxis fontSize={11} stroke="currentColor" width={48} tickFormatter={(n: number) => formatCompact(n)} />
            {tooltip}
            <Legend />
            <Area type="monotone" dataKey="tokensIn" name="in" stroke="#6366f1" fill="#6366f1" fillOpacity={0.25} />
            <Area type="monotone" dataKey="tokensOut" name="out" stroke="#0ea5e9" fill="#0ea5e9" fillOpacity={0.25} />
          </AreaChart>
        </ChartCard>
      </div>

      <div className="grid gap-4 xl:grid-cols-3">
        <Breakdown title="By provider" entries={data.byProvider} filter="provider" range={data} />
        <Breakdown title="By model" entries={data.byModel} filter="model" range={data} />
        <Breakdown title="By operation" entries={data.byOperation} filter="operation" range={data} />
      </div>
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: "bad" }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <p className="text-xs text-slate-500 dark:text-slate-400">{label}</p>
      <p
        className={`mt-1 text-lg font-semibold tabular-nums ${tone === "bad" ? "text-rose-700 dark:text-rose-300" : ""}`}
      >
        {value}
      </p>
    </div>
  );
}

function ChartCard({
  title,
  numbers,
  children,
}: {
  title: string;
  numbers: [string, string][];
  children: ReactElement;
}) {
  return (
    <Card title={title}>
      <div className="grid gap-3 sm:grid-cols-[1fr_9rem]">
        {/* The chart is a picture of the numbers beside it, which are what screen readers get. */}
        {/* inert as well: the chart library makes its drawing focusable, and hidden things must not take focus. */}
        <div className="h-56 min-w-0 text-slate-500 dark:text-slate-400" aria-hidden="true" inert>
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </div>
        <dl className="grid grid-cols-2 content-start gap-2 sm:grid-cols-1">
          {numbers.map(([term, value]) => (
            <div key={term}>
              <dt className="text-xs text-slate-500 dark:text-slate-400">{term}</dt>
              <dd className="font-semibold tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      </div>
    </Card>
  );
}

function Breakdown({
  title,
  entries,
  filter,
  range,
}: {
  title: string;
  entries: TInteractionBreakdownEntry[];
  filter: "provider" | "model" | "operation";
  range: { from: number; to: number };
}) {
  return (
    <Card title={title}>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No calls in this range.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{title}</caption>
            <thead className="text-xs text-slate-500 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-1 pr-2">
                  {filter}
                </th>
                <th scope="col" className="py-1 pr-2 text-right">
                  Calls
                </th>
                <th scope="col" className="py-1 pr-2 text-right">
                  Errors
                </th>
                <th scope="col" className="py-1 text-right">
                  p95
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {entries.map((entry) => (
                <tr key={entry.key}>
                  <td className="py-1 pr-2 break-all">
                    <Link
                      to="/interactions"
                      search={{ from: range.from, to: range.to, [filter]: entry.key }}
                      className="text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {entry.key}
                    </Link>
                  </td>
                  <td className="py-1 pr-2 text-right tabular-nums">{formatCount(entry.count)}</td>
                  <td className="py-1 pr-2 text-right tabular-nums">
                    {formatCount(entry.errors)}{" "}
                    <span className="text-xs text-slate-500 dark:text-slate-400">({formatRate(entry.errorRate)})</span>
                  </td>
                  <td className="py-1 text-right tabular-nums">{formatMs(entry.latencyMs.p95)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
