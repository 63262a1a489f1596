// Operators' view of the AI interaction log: keyset list with filters, one call with its responses,
// stats, the overview, calls grouped by prompt, and deletion, each through the audited admin scope.
import {
  decodeCursor,
  defaultOverviewBucket,
  encodeCursor,
  fromEpochMs,
  InvalidCursorError,
  type TAdminInteractionFilters,
  type TAdminInteractionGroupsInput,
  type TAdminInteractionListInput,
  type TAdminInteractionOverviewInput,
  type TAdminInteractionStatsInput,
  type TInteractionSort,
} from "@lockstep/contracts";
import {
  type AiInteractionGroupKey,
  type AiInteractionKey,
  aiInteractionOverview,
  aiInteractionStats,
  deleteAiInteraction,
  getAiInteractionDetails,
  listAiInteractionGroups,
  listAiInteractions,
} from "@lockstep/db";
import { AppError } from "../../errors.ts";
import type { AdminScope } from "../../scopes.ts";

const ENTITY = "ai_interaction";

function interactionNotFound(id: string): AppError {
  return new AppError("NOT_FOUND", `No AI interaction with id "${id}".`, { id });
}

/**
 * Cursors are ["c", createdAtMs, id] (newest first) or ["l", latencyMs | null, id] (slowest
 * first): the tag makes a cursor of one order useless in the other, and anything else is a client bug.
 */
function encodeKey(key: AiInteractionKey): string {
  return key.sort === "latency"
    ? encodeCursor(["l", key.latencyMs, key.id])
    : encodeCursor(["c", key.createdAt.getTime(), key.id]);
}

function decodeKey(cursor: string | null | undefined, sort: TInteractionSort): AiInteractionKey | null {
  if (!cursor) return null;
  let values;
  try {
    values = decodeCursor(cursor);
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw new AppError("BAD_INPUT", `cursor: ${error.message}`, { field: "cursor" });
  }
  const [tag, value, id, ...rest] = values;
  const idOk = typeof id === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  if (rest.length === 0 && idOk) {
    if (sort === "created_at" && tag === "c" && typeof value === "number" && Number.isInteger(value) && value >= 0) {
      return { sort, createdAt: fromEpochMs(value), id };
    }
    if (
      sort === "latency" &&
      tag === "l" &&
      (value === null || (typeof value === "number" && Number.isInteger(value)))
    ) {
      return { sort, latencyMs: value, id };
    }
  }
  throw new AppError("BAD_INPUT", "cursor: not a cursor of this list (or of another sort order)", { field: "cursor" });
}

/** The groups cursor is ["g", calls, promptHash] of the last group of the previous page. */
function decodeGroupKey(cursor: string | null | undefined): AiInteractionGroupKey | null {
  if (!cursor) return null;
  let values;
  try {
    values = decodeCursor(cursor);
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw new AppError("BAD_INPUT", `cursor: ${error.message}`, { field: "cursor" });
  }
  const [tag, calls, promptHash, ...rest] = values;
  if (
    tag === "g" &&
    typeof calls === "number" &&
    Number.isInteger(calls) &&
    calls >= 0 &&
    typeof promptHash === "string" &&
    rest.length === 0
  ) {
    return { calls, promptHash };
  }
  throw new AppError("BAD_INPUT", "cursor: not a cursor of this list", { field: "cursor" });
}

/** The list's filters in the repository's terms (dates instead of epoch milliseconds). */
export function interactionFilters(input: TAdminInteractionFilters) {
  return {
    from: input.from === undefined ? undefined : fromEpochMs(input.from),
    to: input.to === undefined ? undefined : fromEpochMs(input.to),
    provider: input.provider,
    model: input.model,
    status: input.status,
    operation: input.operation,
    userId: input.userId,
    sessionId: input.sessionId,
    dataSource: input.dataSource,
  };
}

export async function listInteractions(scope: AdminScope, input: TAdminInteractionListInput) {
  const after = decodeKey(input.cursor, input.sort);
  const page = await scope.read({ action: "admin.interactions.list", entityType: ENTITY, entityId: null }, (tx) =>
    listAiInteractions(tx, { ...interactionFilters(input), sort: input.sort, after, limit: input.limit }),
  );
  return { items: page.items, nextCursor: page.next ? encodeKey(page.next) : null };
}

export async function getInteraction(scope: AdminScope, id: string) {
  const detail = await scope.read({ action: "admin.interactions.get", entityType: ENTITY, entityId: id }, (tx) =>
    getAiInteractionDetails(tx, id),
  );
  // Thrown after the read committed, so a look-up of an unknown id is audited too.
  if (!detail) throw interactionNotFound(id);
  return detail;
}

export function interactionStats(scope: AdminScope, input: TAdminInteractionStatsInput) {
  return scope.read({ action: "admin.interactions.stats", entityType: ENTITY, entityId: null }, (tx) =>
    aiInteractionStats(tx, {
      from: fromEpochMs(input.from),
      to: fromEpochMs(input.to),
      bucket: input.bucket,
      groupBy: input.groupBy,
    }),
  );
}

/** Series per bucket, totals and breakdowns by provider, model and operation, all computed in SQL. */
export function interactionOverview(scope: AdminScope, input: TAdminInteractionOverviewInput) {
  return scope.read({ action: "admin.interactions.overview", entityType: ENTITY, entityId: null }, (tx) =>
    aiInteractionOverview(tx, {
      from: fromEpochMs(input.from),
      to: fromEpochMs(input.to),
      bucket: input.bucket ?? defaultOverviewBucket(input.from, input.to),
      provider: input.provider,
      model: input.model,
      operation: input.operation,
    }),
  );
}

/** Calls grouped by prompt_hash, busiest first, with the list's filters. */
export async function listInteractionGroups(scope: AdminScope, input: TAdminInteractionGroupsInput) {
  const after = decodeGroupKey(input.cursor);
  const page = await scope.read({ action: "admin.interactions.groups", entityType: ENTITY, entityId: null }, (tx) =>
    listAiInteractionGroups(tx, { ...interactionFilters(input), after, limit: input.limit }),
  );
  return {
    items: page.items,
    nextCursor: page.next ? encodeCursor(["g", page.next.calls, page.next.promptHash]) : null,
  };
}

// The audit row keeps what was deleted (prompt, payloads and responses, already masked by the
// log), so a deletion can be explained, and undone by hand if it was a mistake.
export function deleteInteraction(scope: AdminScope, id: string) {
  return scope.change({ action: "admin.interactions.delete", entityType: ENTITY, entityId: id }, async (tx) => {
    const removed = await deleteAiInteraction(tx, id);
    if (!removed) throw interactionNotFound(id);
    return { result: { id, responsesDeleted: removed.responsesDeleted }, before: removed.before, after: null };
  });
}
