// Calls grouped by prompt_hash under the log's filters: the same prompt asked many times, busiest
// first, with counts, errors and latency, and a sample call to open.
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Card, Empty, Loading, LoadMore } from "../components/ui.tsx";
import { formatCount, formatDateTime, formatMs } from "../lib/format.ts";
import { filtersOf, type InteractionSearch } from "../lib/interaction-search.ts";
import { useTRPC } from "@lockstep/ui/trpc";

export function InteractionGroups({ search }: { search: InteractionSearch }) {
  const trpc = useTRPC();
  const groups = useInfiniteQuery(
    trpc.admin.interactions.groups.infiniteQueryOptions(
      { ...filtersOf(search), limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  if (groups.isPending) return <Loading label="Grouping calls by prompt…" />;
  if (groups.isError)
    return <ErrorNotice error={groups.error} title="Cannot group the calls" onRetry={() => void groups.refetch()} />;
  const rows = groups.data.pages.flatMap((page) => page.items);
  return (
    <Card>
      {rows.length === 0 ? (
        <Empty>No prompt under these filters.</Empty>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[48rem] text-left text-sm">
            <caption className="sr-only">Calls grouped by prompt hash</caption>
            <thead className="text-xs text-slate-500 uppercase dark:text-slate-400">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  Prompt
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  Calls
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  Errors
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  Avg / p95 latency
                </th>
                <th scope="col" className="py-2">
                  Last seen
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {rows.map((group) => (
                <tr key={group.promptHash}>
                  <td className="max-w-md py-2 pr-3">
                    <Link
                      to="/interactions/$id"
                      params={{ id: group.sampleId }}
                      className="line-clamp-2 text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {group.promptPreview ?? "(no prompt stored)"}
                      <span className="sr-only"> (open the newest call)</span>
                    </Link>
                    <span className="font-mono text-[11px] text-slate-500 dark:text-slate-400">
                      {group.promptHash.slice(0, 16)}…
                    </span>
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatCount(group.calls)}</td>
                  <td
                    className={`py-2 pr-3 text-right tabular-nums ${group.errors ? "text-rose-700 dark:text-rose-300" : ""}`}
                  >
                    {formatCount(group.errors)}
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">
                    {formatMs(group.avgLatencyMs)} / {formatMs(group.p95LatencyMs)}
                  </td>
                  <td className="py-2">{formatDateTime(group.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore pages={groups} />
    </Card>
  );
}
