// Operators' view of the AI interaction log: keyset list with filters, one call with its responses,
// stats, the overview, calls grouped by prompt, and deletion, each through the audited admin scope.
import {
  defaultOverviewBucket,
  fromEpochMs,
  type TAdminInteractionFilters,
  type TAdminInteractionGroupsInput,
  type TAdminInteractionListInput,
  type TAdminInteractionOverviewInput,
  type TAdminInteractionStatsInput,
  type TInteractionSort,
} from "@lockstep/contracts";
import {
  type AiInteractionKey,
  aiInteractionOverview,
  aiInteractionStats,
  deleteAiInteraction,
  getAiInteractionDetails,
  listAiInteractionGroups,
  listAiInteractions,
} from "@lockstep/db";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import type { AdminScope } from "../../scopes.ts";
import { cursorCodec, ZCursorIdSchema, ZTimeIdKeySchema } from "../cursors.ts";

const ENTITY = "ai_interaction";

function interactionNotFound(id: string): AppError {
  return new AppError("NOT_FOUND", `No AI interaction with id "${id}".`, { id });
}

// One codec per sort order, so a cursor of one order is refused by the other.
const byCreatedCursor = cursorCodec("admin.interactions.list", ZTimeIdKeySchema);
const byLatencyCursor = cursorCodec(
  "admin.interactions.list:latency",
  z.strictObject({ ms: z.number().int().nullable(), id: ZCursorIdSchema }),
);
/** Busiest prompts first: the call count, then the prompt hash. */
const groupsCursor = cursorCodec(
  "admin.interactions.groups",
  z.strictObject({ calls: z.number().int().nonnegative(), hash: z.string().min(1) }),
);

function encodeKey(key: AiInteractionKey): string {
  return key.sort === "latency"
    ? byLatencyCursor.encode({ ms: key.latencyMs, id: key.id })
    : byCreatedCursor.encode({ t: key.createdAt.getTime(), id: key.id });
}

function decodeKey(cursor: string | null | undefined, sort: TInteractionSort): AiInteractionKey | null {
  if (sort === "latency") {
    const key = byLatencyCursor.decode(cursor);
    return key ? { sort, latencyMs: key.ms, id: key.id } : null;
  }
  const key = byCreatedCursor.decode(cursor);
  return key ? { sort, createdAt: fromEpochMs(key.t), id: key.id } : null;
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
  const key = groupsCursor.decode(input.cursor);
  const after = key ? { calls: key.calls, promptHash: key.hash } : null;
  const page = await scope.read({ action: "admin.interactions.groups", entityType: ENTITY, entityId: null }, (tx) =>
    listAiInteractionGroups(tx, { ...interactionFilters(input), after, limit: input.limit }),
  );
  return {
    items: page.items,
    nextCursor: page.next ? groupsCursor.encode({ calls: page.next.calls, hash: page.next.promptHash }) : null,
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
