// The operators' reads of single calls (lockstep_admin, docs/decisions/0001): keyset pages of the log, one call's details, and its delete.
import {
  AiInteractionStatus,
  AiOperation,
  DataSource,
  ProviderKind,
  toEpochMs,
  toEpochMsOrNull,
  type TAdminInteractionDetail,
  type TAdminInteractionListItem,
  PROMPT_PREVIEW_MAX,
  isUuid,
} from "@lockstep/contracts";
import { type $Enums, Prisma } from "../../generated/prisma/client.ts";
import type { ScopedTx } from "../../scoped.ts";
import { rebuildRollupHour } from "../ai-rollups.ts";
import { type AiInteractionFilters, filterSql } from "./filters.ts";

/** Columns of a list item, aliased to the DTO's names. Request, response and metadata stay out: pages stay small. */
const LIST_COLUMNS = Prisma.sql`
  i.id, i.provider_id AS "providerId", p.name AS "providerName", i.model_name AS "modelName",
  i.operation::text AS operation, left(i.prompt_text, ${PROMPT_PREVIEW_MAX}) AS "promptPreview",
  i.prompt_hash AS "promptHash", i.status::text AS status, i.latency_ms AS "latencyMs",
  i.time_to_first_token_ms AS "timeToFirstTokenMs", i.input_tokens AS "inputTokens",
  i.output_tokens AS "outputTokens", i.error_code AS "errorCode", i.error_message AS "errorMessage",
  i.user_id AS "userId", i.session_id AS "sessionId", host(i.ip_address) AS "ipAddress",
  i.data_source::text AS "dataSource", i.created_at AS "createdAt", i.updated_at AS "updatedAt",
  i.deleted_at AS "deletedAt"`;

interface ListRow {
  id: string;
  providerId: string;
  providerName: string;
  modelName: string;
  operation: $Enums.AiOperation;
  promptPreview: string | null;
  promptHash: string | null;
  status: $Enums.AiInteractionStatus;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  userId: string | null;
  sessionId: string | null;
  ipAddress: string | null;
  dataSource: $Enums.DataSource;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

function toListItem(row: ListRow): TAdminInteractionListItem {
  return {
    id: row.id,
    providerId: row.providerId,
    providerName: row.providerName,
    modelName: row.modelName,
    operation: AiOperation.toWire(row.operation),
    promptPreview: row.promptPreview,
    promptHash: row.promptHash,
    status: AiInteractionStatus.toWire(row.status),
    latencyMs: row.latencyMs,
    timeToFirstTokenMs: row.timeToFirstTokenMs,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    userId: row.userId,
    sessionId: row.sessionId,
    ipAddress: row.ipAddress,
    dataSource: DataSource.toWire(row.dataSource),
    createdAt: toEpochMs(row.createdAt),
    updatedAt: toEpochMs(row.updatedAt),
    deletedAt: toEpochMsOrNull(row.deletedAt),
  };
}

/** Keyset position: the sort key of the last row of a page. */
export type AiInteractionKey =
  { sort: "created_at"; createdAt: Date; id: string } | { sort: "latency"; latencyMs: number | null; id: string };

export interface AiInteractionListQuery extends AiInteractionFilters {
  /** created_at: newest first (created_at desc, id desc); latency: slowest first (latency_ms desc nulls last, id desc). */
  sort: "created_at" | "latency";
  after?: AiInteractionKey | null | undefined;
  limit: number;
}

/**
 * One keyset page of the log. The row comparison `(created_at, id) < (...)` starts the index scan
 * at the cursor, so a deep page costs what the first does, and rows logged meanwhile neither repeat
 * nor vanish. Slowest-first pages put calls without a latency (still pending) last.
 */
export async function listAiInteractions(
  tx: ScopedTx,
  q: AiInteractionListQuery,
): Promise<{ items: TAdminInteractionListItem[]; next: AiInteractionKey | null }> {
  const where = filterSql(q);
  const after = q.after;
  if (after && after.sort !== q.sort) throw new RangeError("the cursor belongs to a list in another order");
  if (after?.sort === "created_at")
    where.push(Prisma.sql`(i.created_at, i.id) < (${after.createdAt}, ${after.id}::uuid)`);
  if (after?.sort === "latency") {
    where.push(
      after.latencyMs === null
        ? Prisma.sql`(i.latency_ms IS NULL AND i.id < ${after.id}::uuid)`
        : Prisma.sql`(i.latency_ms < ${after.latencyMs} OR (i.latency_ms = ${after.latencyMs} AND i.id < ${after.id}::uuid) OR i.latency_ms IS NULL)`,
    );
  }
  const order =
    q.sort === "latency"
      ? Prisma.sql`i.latency_ms DESC NULLS LAST, i.id DESC`
      : Prisma.sql`i.created_at DESC, i.id DESC`;
  const rows = await tx.$queryRaw<ListRow[]>`
    SELECT ${LIST_COLUMNS}
      FROM ai_interactions i
      JOIN providers p ON p.id = i.provider_id
     WHERE ${Prisma.join(where, " AND ")}
     ORDER BY ${order}
     LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  let next: AiInteractionKey | null = null;
  if (rows.length > q.limit && last) {
    next =
      q.sort === "latency"
        ? { sort: "latency", latencyMs: last.latencyMs, id: last.id }
        : { sort: "created_at", createdAt: last.createdAt, id: last.id };
  }
  return { items: page.map(toListItem), next };
}

/** The newest interactions, optionally of one user. */
export async function getRecentAiInteractions(
  tx: ScopedTx,
  options: { limit: number; userId?: string },
): Promise<TAdminInteractionListItem[]> {
  return (await listAiInteractions(tx, { sort: "created_at", limit: options.limit, userId: options.userId })).items;
}

export const aiInteractionDetailSelect = {
  id: true,
  providerId: true,
  provider: { select: { name: true, kind: true } },
  modelName: true,
  operation: true,
  promptText: true,
  promptHash: true,
  request: true,
  response: true,
  status: true,
  latencyMs: true,
  timeToFirstToken: true,
  inputTokens: true,
  cachedInputTokens: true,
  outputTokens: true,
  errorCode: true,
  errorMessage: true,
  userId: true,
  sessionId: true,
  ipAddress: true,
  fileMetadata: true,
  dataSource: true,
  metadata: true,
  createdAt: true,
  updatedAt: true,
  deletedAt: true,
  responses: {
    select: { id: true, position: true, content: true, finishReason: true, metadata: true, createdAt: true },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  },
} satisfies Prisma.AiInteractionSelect;
export type AiInteractionDetailRow = Prisma.AiInteractionGetPayload<{ select: typeof aiInteractionDetailSelect }>;

// Prisma's JsonValue and zod's JSON type describe the same values under different names.
type DetailJson = TAdminInteractionDetail["request"];

export function toAiInteractionDetail(row: AiInteractionDetailRow): TAdminInteractionDetail {
  return {
    id: row.id,
    providerId: row.providerId,
    providerName: row.provider.name,
    providerKind: ProviderKind.toWire(row.provider.kind),
    modelName: row.modelName,
    operation: AiOperation.toWire(row.operation),
    promptText: row.promptText,
    promptHash: row.promptHash,
    request: row.request as DetailJson,
    response: row.response as DetailJson | null,
    status: AiInteractionStatus.toWire(row.status),
    latencyMs: row.latencyMs,
    timeToFirstTokenMs: row.timeToFirstToken,
    inputTokens: row.inputTokens,
    cachedInputTokens: row.cachedInputTokens,
    outputTokens: row.outputTokens,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    userId: row.userId,
    sessionId: row.sessionId,
    ipAddress: row.ipAddress,
    fileMetadata: row.fileMetadata as DetailJson | null,
    dataSource: DataSource.toWire(row.dataSource),
    metadata: row.metadata as DetailJson | null,
    createdAt: toEpochMs(row.createdAt),
    updatedAt: toEpochMs(row.updatedAt),
    deletedAt: toEpochMsOrNull(row.deletedAt),
    responses: row.responses.map((r) => ({
      id: r.id,
      position: r.position,
      content: r.content,
      finishReason: r.finishReason,
      metadata: r.metadata as DetailJson | null,
      createdAt: toEpochMs(r.createdAt),
    })),
  };
}

/** One interaction with its responses in order; null when absent. */
export async function getAiInteractionDetails(tx: ScopedTx, id: string): Promise<TAdminInteractionDetail | null> {
  if (!isUuid(id)) return null;
  const row = await tx.aiInteraction.findUnique({ where: { id }, select: aiInteractionDetailSelect });
  return row ? toAiInteractionDetail(row) : null;
}

/**
 * Deletes one interaction; its responses go by cascade (docs/decisions/0001) and
 * messages citing it keep their text. Returns what was deleted (for the audit row), or null when
 * there was no such row or a concurrent delete got there first. The "before" is read just ahead
 * of the delete in the same transaction (lockstep_admin may not SELECT ... FOR UPDATE, which needs
 * an UPDATE grant it has no reason to hold).
 */
export async function deleteAiInteraction(
  tx: ScopedTx,
  id: string,
): Promise<{ before: TAdminInteractionDetail; responsesDeleted: number } | null> {
  const before = await getAiInteractionDetails(tx, id);
  if (!before) return null;
  const { count } = await tx.aiInteraction.deleteMany({ where: { id } });
  if (count !== 1) return null;
  // The overview's rollup of that hour must not keep counting the call.
  await rebuildRollupHour(tx, new Date(before.createdAt));
  return { before, responsesDeleted: before.responses.length };
}
