// The interaction log's filters as URL search parameters and back: a filtered view can be bookmarked,
// shared and reloaded, and only values the API accepts ever reach it.
import {
  INTERACTION_FILTER_TEXT_MAX,
  isUuid,
  type TAdminInteractionFilters,
  type TInteractionExportFormat,
  type TInteractionSort,
  ZAiInteractionStatusSchema,
  ZAiOperationSchema,
  ZDataSourceSchema,
  ZEpochMsSchema,
  ZInteractionSortSchema,
} from "@lockstep/contracts";

export type InteractionView = "list" | "groups";

export interface InteractionSearch extends TAdminInteractionFilters {
  sort?: TInteractionSort;
  view?: InteractionView;
}

function text(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const trimmed = String(value).trim();
  return trimmed && trimmed.length <= INTERACTION_FILTER_TEXT_MAX && !trimmed.includes("\u0000") ? trimmed : undefined;
}

/** A wire timestamp (the contracts' epoch-ms rule), from a number or its digits in the URL. */
function epoch(value: unknown): number | undefined {
  const checked = ZEpochMsSchema.safeParse(typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value);
  return checked.success ? checked.data : undefined;
}

function oneOf<T extends string>(options: readonly T[], value: unknown): T | undefined {
  return typeof value === "string" && (options as readonly string[]).includes(value) ? (value as T) : undefined;
}

/**
 * Reads the search parameters, dropping any value the API would refuse (a hand-edited URL should
 * show the log, not an error), and a `from` after `to`.
 */
export function parseInteractionSearch(raw: Record<string, unknown>): InteractionSearch {
  const search: InteractionSearch = {
    from: epoch(raw.from),
    to: epoch(raw.to),
    provider: text(raw.provider),
    model: text(raw.model),
    status: oneOf(ZAiInteractionStatusSchema.options, raw.status),
    operation: oneOf(ZAiOperationSchema.options, raw.operation),
    userId: text(raw.userId),
    sessionId: isUuid(raw.sessionId) ? raw.sessionId : undefined,
    dataSource: oneOf(ZDataSourceSchema.options, raw.dataSource),
    sort: oneOf(ZInteractionSortSchema.options, raw.sort),
    view: oneOf(["list", "groups"] as const, raw.view),
  };
  if (search.from !== undefined && search.to !== undefined && search.from > search.to) search.to = undefined;
  return compact(search);
}

/** The same object without undefined keys, so URLs and query keys stay short and stable. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== "")) as T;
}

/** The filters alone (what list, groups and export take), without the page's own settings. */
export function filtersOf(search: InteractionSearch): TAdminInteractionFilters {
  const filters: InteractionSearch = { ...search };
  delete filters.sort;
  delete filters.view;
  return compact(filters);
}

export function hasFilters(search: InteractionSearch): boolean {
  return Object.keys(filtersOf(search)).length > 0;
}

/** The streamed download of the filtered log; the server reads the same filters from the query string. */
export function exportUrl(format: TInteractionExportFormat, filters: TAdminInteractionFilters): string {
  const params = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(compact(filters))) params.set(key, String(value));
  return `/api/admin/interactions/export?${params.toString()}`;
}
