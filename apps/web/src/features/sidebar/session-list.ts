// The sidebar's list logic, apart from React: filters to list input, the order people see (pinned
// first, then by last activity), and a session's title.
import {
  SESSION_STATUS_LABELS,
  type TSessionDto,
  type TSessionListInput,
  type TSessionStatus,
  type TSessionType,
} from "@lockstep/contracts";

export interface SessionFilters {
  query: string;
  status: TSessionStatus | "all";
  type: TSessionType | "all";
}

export const EMPTY_FILTERS: SessionFilters = { query: "", status: "all", type: "all" };

// The contract's label table has exactly one key per status, so its keys are the seven statuses in
// order without pulling the zod schemas into the first load.
export const SESSION_STATUSES = Object.keys(SESSION_STATUS_LABELS) as TSessionStatus[];

export const SESSION_TYPE_LABELS: Readonly<Record<TSessionType, string>> = {
  text: "Text",
  screenshot: "Screenshot",
};
export const SESSION_TYPES = Object.keys(SESSION_TYPE_LABELS) as TSessionType[];

export const SIDEBAR_PAGE_SIZE = 30;

type ListInput = Omit<Partial<TSessionListInput>, "cursor">;

/** What session.list is asked for: only the filters that are set, pinned sessions first. */
export function toListInput(filters: SessionFilters, options: { trash?: boolean } = {}): ListInput {
  const input: ListInput = { limit: SIDEBAR_PAGE_SIZE, orderBy: "last_activity", pinnedFirst: !options.trash };
  const query = filters.query.trim();
  if (query) input.query = query;
  if (filters.status !== "all") input.status = filters.status;
  if (filters.type !== "all") input.type = filters.type;
  if (options.trash) input.trash = true;
  return input;
}

/**
 * The pages flattened into the order people expect. Rows can move between pages while they load (a
 * session pinned or touched meanwhile), so a row seen twice is shown once, in its newest state.
 */
export function orderSessions(pages: readonly { items: readonly TSessionDto[] }[]): TSessionDto[] {
  const byId = new Map<string, TSessionDto>();
  for (const page of pages) {
    for (const session of page.items) {
      const seen = byId.get(session.id);
      if (!seen || session.updatedAt >= seen.updatedAt) byId.set(session.id, session);
    }
  }
  return [...byId.values()].sort(
    (a, b) =>
      Number(b.isPinned) - Number(a.isPinned) ||
      b.lastActivity - a.lastActivity ||
      (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
}

/** Whether the person would see this session with these filters on (after a rename or a status move). */
export function matchesFilters(session: TSessionDto, filters: SessionFilters): boolean {
  if (filters.status !== "all" && session.status !== filters.status) return false;
  if (filters.type !== "all" && session.type !== filters.type) return false;
  const query = filters.query.trim().toLowerCase();
  return !query || (session.name ?? "").toLowerCase().includes(query);
}

export function sessionTitle(session: Pick<TSessionDto, "name">): string {
  return session.name?.trim() || "Untitled session";
}
