// The AI interaction log: filters in the URL, a virtualised keyset-paginated table (newest or slowest
// first), the prompt_hash groups of the same filters, and the filtered set as a CSV or JSONL download.
import type { TAdminInteractionListItem, TInteractionExportFormat } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { type ColumnDef, tableFeatures, useTable } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Card, Empty, Loading, PageHeader, StatusBadge } from "../components/ui.tsx";
import { formatCount, formatDateTime, formatMs } from "../lib/format.ts";
import {
  exportUrl,
  filtersOf,
  hasFilters,
  type InteractionSearch,
  parseInteractionSearch,
} from "../lib/interaction-search.ts";
import { interactionsRoute } from "../router.tsx";
import { useTRPC } from "@lockstep/ui/trpc";
import { InteractionFilters } from "./interaction-filters.tsx";
import { InteractionGroups } from "./interaction-groups.tsx";

const PAGE_SIZE = 50;
const ROW_HEIGHT = 44;

const features = tableFeatures({});
type Row = TAdminInteractionListItem;

const columns: ColumnDef<typeof features, Row>[] = [
  { id: "time", header: "Time", cell: ({ row }) => formatDateTime(row.original.createdAt) },
  { id: "status", header: "Status", cell: ({ row }) => <StatusBadge status={row.original.status} /> },
  { id: "operation", header: "Operation", cell: ({ row }) => row.original.operation },
  {
    id: "model",
    header: "Provider / model",
    cell: ({ row }) => (
      <span className="truncate" title={`${row.original.providerName} / ${row.original.modelName}`}>
        <span className="text-slate-500 dark:text-slate-400">{row.original.providerName} / </span>
        {row.original.modelName}
      </span>
    ),
  },
  { id: "latency", header: "Latency", cell: ({ row }) => formatMs(row.original.latencyMs) },
  {
    id: "tokens",
    header: "Tokens in / out",
    cell: ({ row }) => `${formatCount(row.original.inputTokens)} / ${formatCount(row.original.outputTokens)}`,
  },
  {
    id: "detail",
    header: "Error or prompt",
    cell: ({ row }) => (
      <span className={`truncate ${row.original.errorCode ? "text-rose-700 dark:text-rose-300" : ""}`}>
        {row.original.errorCode
          ? `${row.original.errorCode}: ${row.original.errorMessage ?? ""}`
          : (row.original.promptPreview ?? "–")}
      </span>
    ),
  },
];
const GRID = "grid grid-cols-[11rem_6rem_6rem_minmax(10rem,1fr)_6rem_8rem_minmax(12rem,2fr)] items-center gap-3";

export function InteractionsPage() {
  const search = parseInteractionSearch(interactionsRoute.useSearch());
  const navigate = useNavigate({ from: "/interactions" });
  const apply = (next: InteractionSearch) => void navigate({ search: next });
  const filters = filtersOf(search);
  const view = search.view ?? "list";

  return (
    <>
      <PageHeader
        title="Interactions"
        description="Every model call the product made, with its status, timings and tokens. Filters live in the address bar, so a view can be shared."
        actions={<ExportButtons filters={filters} />}
      />
      <FilterPanel count={Object.keys(filters).length}>
        <InteractionFilters search={search} onApply={apply} />
      </FilterPanel>
      <div role="tablist" aria-label="Interaction views" className="mb-3 flex gap-1">
        {(["list", "groups"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={view === name}
            onClick={() => apply({ ...search, view: name === "list" ? undefined : name })}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${view === name ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"}`}
          >
            {name === "list" ? "Calls" : "Grouped by prompt"}
          </button>
        ))}
      </div>
      {view === "groups" ? <InteractionGroups search={search} /> : <InteractionTable search={search} />}
    </>
  );
}

/** The filters fold away on phones (they would fill the screen) and stay open on wider screens. */
function FilterPanel({ count, children }: { count: number; children: ReactNode }) {
  const [open, setOpen] = useState(
    () => typeof window === "undefined" || window.matchMedia("(min-width: 640px)").matches,
  );
  return (
    <details
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
      className="mb-4 rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <summary className="cursor-pointer px-4 py-3 text-sm font-semibold">
        Filters{count ? ` (${count} active)` : ""}
      </summary>
      <div className="border-t border-slate-200 p-4 dark:border-slate-800">{children}</div>
    </details>
  );
}

function ExportButtons({ filters }: { filters: ReturnType<typeof filtersOf> }) {
  const formats: [TInteractionExportFormat, string][] = [
    ["csv", "Export CSV"],
    ["jsonl", "Export JSONL"],
  ];
  return (
    <>
      {formats.map(([format, label]) => (
        // A plain link: the browser streams the file to disk, so a huge export never sits in this page's memory.
        <a
          key={format}
          href={exportUrl(format, filters)}
          download
          className="inline-flex items-center rounded-lg border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
        >
          {label}
          <span className="sr-only">
            {Object.keys(filters).length ? " of the filtered interactions" : " of all interactions"}
          </span>
        </a>
      ))}
    </>
  );
}

function InteractionTable({ search }: { search: InteractionSearch }) {
  const trpc = useTRPC();
  const input = { ...filtersOf(search), sort: search.sort ?? "created_at", limit: PAGE_SIZE };
  const list = useInfiniteQuery(
    trpc.admin.interactions.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const table = useTable({ features, columns, data: rows });
  const tableRows = table.getRowModel().rows;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  // Scrolling near the end loads the next keyset page; the button below does the same by hand.
  useEffect(() => {
    if (last && last.index >= tableRows.length - 5 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [last, tableRows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const nextPageError = list.isFetchNextPageError ? list.error : null;
  if (list.isPending) return <Loading label="Loading interactions…" />;
  if (list.isError)
    return (
      <ErrorNotice error={list.error} title="Cannot load the interaction log" onRetry={() => void list.refetch()} />
    );

  return (
    <Card>
      <p role="status" className="mb-2 text-sm text-slate-600 dark:text-slate-400">
        {rows.length === 0
          ? hasFilters(search)
            ? "No interaction matches these filters."
            : "No interactions logged yet."
          : `Showing ${formatCount(rows.length)} interaction${rows.length === 1 ? "" : "s"}${hasNextPage ? "; more below" : ""}.`}
      </p>
      {rows.length === 0 ? (
        <Empty>Try a wider time range or fewer filters.</Empty>
      ) : (
        <div
          ref={scrollRef}
          // As tall as the rows need, up to most of the screen; beyond that the rows scroll (and are virtualised).
          style={{ height: `min(65vh, ${rows.length * ROW_HEIGHT + 40}px)` }}
          className="overflow-auto rounded-lg border border-slate-200 dark:border-slate-800"
        >
          <div
            role="table"
            aria-label="AI interactions"
            aria-rowcount={rows.length + 1}
            className="min-w-[68rem] text-sm"
          >
            <div role="rowgroup" className="sticky top-0 z-10 bg-slate-50 dark:bg-slate-800">
              {table.getHeaderGroups().map((group) => (
                <div
                  role="row"
                  key={group.id}
                  className={`${GRID} px-3 py-2 text-xs font-semibold text-slate-600 uppercase dark:text-slate-300`}
                >
                  {group.headers.map((header) => (
                    <div role="columnheader" key={header.id}>
                      <table.FlexRender header={header} />
                      {header.column.id === (search.sort === "latency" ? "latency" : "time") && (
                        <span className="sr-only"> (sorted, descending)</span>
                      )}
                      {header.column.id === (search.sort === "latency" ? "latency" : "time") && (
                        <span aria-hidden="true"> ↓</span>
                      )}
                    </div>
                  ))}
                </div>
              ))}
            </div>
            <div role="rowgroup" className="relative" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((item) => {
                const row = tableRows[item.index]!;
                return (
                  <div
                    role="row"
                    key={row.id}
                    aria-rowindex={item.index + 2}
                    data-interaction-id={row.original.id}
                    className={`${GRID} absolute inset-x-0 border-t border-slate-100 px-3 hover:bg-indigo-50/60 dark:border-slate-800 dark:hover:bg-slate-800/60`}
                    style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                  >
                    {row.getAllCells().map((cell, index) => (
                      <div role="cell" key={cell.id} className="flex min-w-0">
                        {index === 0 ? (
                          <Link
                            to="/interactions/$id"
                            params={{ id: row.original.id }}
                            className="truncate font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
                          >
                            <table.FlexRender cell={cell} />
                            <span className="sr-only"> (open details)</span>
                          </Link>
                        ) : (
                          <table.FlexRender cell={cell} />
                        )}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
      {hasNextPage && (
        <Button variant="secondary" className="mt-3" busy={isFetchingNextPage} onClick={() => void fetchNextPage()}>
          {isFetchingNextPage ? "Loading more…" : "Load more"}
        </Button>
      )}
      {nextPageError && (
        <ErrorNotice error={nextPageError} title="Cannot load the next page" onRetry={() => void fetchNextPage()} />
      )}
    </Card>
  );
}
