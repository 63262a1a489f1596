// The AI interaction log (seeds 004, 000, 002): the owner-side writes of the log (begin, finish, sweep, retention) and the operators' reads (list, details, stats, delete).
import {
  AiInteractionStatus,
  AiOperation,
  DataSource,
  ProviderKind,
  toEpochMs,
  toEpochMsOrNull,
  type TAdminInteractionDetail,
  type TAdminInteractionGroup,
  type TAdminInteractionOverview,
  type TInteractionBreakdownEntry,
  type TAdminInteractionListItem,
  type TAdminInteractionStats,
  type TAiInteractionStatusDb,
  type TAiOperation,
  type TAiInteractionStatus,
  type TDataSource,
  type TInteractionStatsBucket,
  type TInteractionStatsGroupBy,
  type TInteractionStatsValues,
  type TProviderKind,
  INTERACTION_STATS_BUCKET_MS,
  PROMPT_PREVIEW_MAX,
} from "@lockstep/contracts";
import type { Database } from "../connection.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";
import { binSql, histogramPercentiles, readRollupWindow, rebuildRollupHour, type RollupWindow } from "./ai-rollups.ts";

/** Plain JSON, as JSONB stores it (the log hands over values already made storable and masked). */
export type LogJson = string | number | boolean | null | LogJson[] | { [key: string]: LogJson };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** JSONB parameter: SQL NULL for null/undefined, otherwise the JSON text (cast with ::jsonb). */
function jsonParam(value: LogJson | undefined): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

// ------------------------------------------------------------------ owner-side writes (the log)

export interface NewAiInteraction {
  /** Made by the log, so the handle knows its row before the insert returns. */
  id: string;
  provider: { name: string; kind: TProviderKind; baseUrl: string | null };
  modelName: string;
  operation: TAiOperation;
  promptText: string | null;
  promptHash: string | null;
  request: LogJson;
  userId: string | null;
  sessionId: string | null;
  /** Already validated as an IP address (or null). */
  ipAddress: string | null;
  fileMetadata: LogJson | undefined;
  dataSource: TDataSource;
  metadata: { [key: string]: LogJson } | undefined;
}

export interface BegunAiInteraction {
  id: string;
  providerId: string;
  /** The user the row names: null when none was given or the account no longer exists. */
  userId: string | null;
  /** The session the row is attached to; null when none was given or it could not be attached. */
  sessionId: string | null;
  /** Why a given session id was not attached, also recorded in metadata.sessionNotAttached. */
  sessionNotAttached: "invalid_id" | "no_user" | "other_user" | null;
}

/**
 * Writes the PENDING row, as the owner, in one short transaction that commits before the model
 * call starts (no transaction is held open across a call). The provider row is created on first
 * use and kept current; the session is made to exist first (seed 002) so the foreign key never
 * fails the log.
 */
export async function beginAiInteraction(db: Database, row: NewAiInteraction): Promise<BegunAiInteraction> {
  return db.prisma.$transaction(async (tx) => {
    const providerId = await upsertProvider(tx, row.provider);

    // A user deleted mid-request (account deletion) would fail the users foreign key; the call is
    // still logged, without a person, as deleteUserAccount leaves the rows it anonymises.
    let userId: string | null = null;
    if (row.userId) {
      const found = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${row.userId}`;
      userId = found[0]?.id ?? null;
    }

    let sessionId: string | null = null;
    let sessionNotAttached: BegunAiInteraction["sessionNotAttached"] = null;
    if (row.sessionId) {
      if (!UUID.test(row.sessionId)) {
        sessionNotAttached = "invalid_id";
      } else if (!userId) {
        // Without a user nobody can show the session is theirs, and a session cannot be created
        // without an owner; the claimed id stays in metadata, so nothing is lost.
        sessionNotAttached = "no_user";
      } else {
        // Seed 002: the session id may come from the client before any session row exists.
        // ON CONFLICT DO NOTHING makes this idempotent and safe against a concurrent create of the
        // same id (the insert waits for the other transaction, then the SELECT sees its row).
        await tx.$executeRaw`
          INSERT INTO sessions (id, user_id, type, updated_at)
          VALUES (${row.sessionId}::uuid, ${userId}, 'TEXT'::"SessionType", now())
          ON CONFLICT (id) DO NOTHING`;
        const owner = await tx.$queryRaw<
          { user_id: string }[]
        >`SELECT user_id FROM sessions WHERE id = ${row.sessionId}::uuid`;
        if (owner[0]?.user_id === userId) sessionId = row.sessionId;
        // Someone else's session: the log runs as the owner, so nothing (not RLS, not the foreign
        // key) would stop the row from being attached, and the other person's session would then
        // list a stranger's call. It is recorded as claimed instead.
        else sessionNotAttached = "other_user";
      }
    }

    const metadata: { [key: string]: LogJson } | undefined =
      sessionNotAttached && row.sessionId
        ? {
            ...row.metadata,
            sessionNotAttached: { claimedId: row.sessionId.slice(0, 200), reason: sessionNotAttached },
          }
        : row.metadata;

    await tx.$executeRaw`
      INSERT INTO ai_interactions (id, provider_id, model_name, operation, prompt_text, prompt_hash, request, status,
                                   user_id, session_id, ip_address, file_metadata, data_source, metadata, updated_at)
      VALUES (${row.id}::uuid, ${providerId}::uuid, ${row.modelName}, ${AiOperation.toDb(row.operation)}::"AiOperation",
              ${row.promptText}, ${row.promptHash}, ${jsonParam(row.request) ?? "null"}::jsonb, 'PENDING',
              ${userId}, ${sessionId}::uuid, ${row.ipAddress}::inet, ${jsonParam(row.fileMetadata)}::jsonb,
              ${DataSource.toDb(row.dataSource)}::"DataSource", ${jsonParam(metadata)}::jsonb, now())`;
    return { id: row.id, providerId, userId, sessionId, sessionNotAttached };
  });
}

/** The provider's id by name, creating the row on first use and following kind/base URL changes. */
async function upsertProvider(tx: ScopedTx, provider: NewAiInteraction["provider"]): Promise<string> {
  const kind = ProviderKind.toDb(provider.kind);
  // The UPDATE only happens when something changed, so the common case writes nothing.
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH up AS (
      INSERT INTO providers (name, kind, base_url, updated_at)
      VALUES (${provider.name}, ${kind}::"ProviderKind", ${provider.baseUrl}, now())
      ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, base_url = EXCLUDED.base_url, updated_at = now()
       WHERE providers.kind IS DISTINCT FROM EXCLUDED.kind OR providers.base_url IS DISTINCT FROM EXCLUDED.base_url
      RETURNING id)
    SELECT id FROM up UNION ALL SELECT id FROM providers WHERE name = ${provider.name}
    LIMIT 1`;
  if (rows[0]) return rows[0].id;
  // Another process created it after this statement's snapshot was taken: a new statement sees it.
  const again = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM providers WHERE name = ${provider.name}`;
  if (!again[0]) throw new Error(`provider "${provider.name}" could not be created`);
  return again[0].id;
}

export interface AiInteractionFinish {
  status: Exclude<TAiInteractionStatusDb, "PENDING" | "ABORTED">;
  response: LogJson | undefined;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Merged into the row's metadata (keys given here win). */
  metadata: { [key: string]: LogJson } | undefined;
  responses: { content: string; finishReason: string | null; metadata: LogJson | undefined }[];
}

/**
 * The terminal write of one call, and its responses, in one transaction. Only a PENDING row (or
 * one the startup sweep presumed ABORTED: the real outcome is better information) is changed, so
 * a late or repeated write can never overwrite an outcome. Returns whether the row was written.
 */
export async function finishAiInteraction(db: Database, id: string, finish: AiInteractionFinish): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    const updated = await tx.$executeRaw`
      UPDATE ai_interactions
         SET status = ${finish.status}::"AiInteractionStatus",
             response = ${jsonParam(finish.response)}::jsonb,
             latency_ms = ${finish.latencyMs}::int,
             time_to_first_token_ms = ${finish.timeToFirstTokenMs}::int,
             input_tokens = ${finish.inputTokens}::int,
             output_tokens = ${finish.outputTokens}::int,
             error_code = ${finish.errorCode},
             error_message = ${finish.errorMessage},
             metadata = CASE WHEN ${jsonParam(finish.metadata)}::jsonb IS NULL THEN metadata
                             ELSE COALESCE(metadata, '{}'::jsonb) || ${jsonParam(finish.metadata)}::jsonb END,
             updated_at = now()
       WHERE id = ${id}::uuid AND status IN ('PENDING', 'ABORTED')`;
    if (updated === 0) return false;
    if (finish.responses.length) {
      await tx.aiResponse.createMany({
        data: finish.responses.map((response, position) => ({
          interactionId: id,
          position,
          content: response.content,
          finishReason: response.finishReason,
          metadata:
            response.metadata === undefined || response.metadata === null
              ? Prisma.DbNull
              : (response.metadata as Prisma.InputJsonValue),
        })),
      });
    }
    return true;
  });
}

export const ABORTED_ERROR_CODE = "process_ended";

export interface AbandonedSweep {
  /** Only rows created before this instant (a call never runs this long, so its process is gone). */
  createdBefore?: Date | undefined;
  /** Never these rows: the calls this process still has in flight. */
  exceptIds?: readonly string[] | undefined;
}

/**
 * Marks ABORTED the rows a previous process left PENDING (it crashed or was killed mid-call), so
 * none stays PENDING forever; both criteria apply when given, and at least one must be. Returns
 * how many rows it marked.
 */
export async function abortAbandonedAiInteractions(db: Database, sweep: AbandonedSweep): Promise<number> {
  if (!sweep.createdBefore && !sweep.exceptIds)
    throw new Error("abortAbandonedAiInteractions needs createdBefore or exceptIds");
  const criteria: Prisma.Sql[] = [Prisma.sql`status = 'PENDING'`];
  if (sweep.createdBefore) criteria.push(Prisma.sql`created_at < ${sweep.createdBefore}`);
  const keep = (sweep.exceptIds ?? []).filter((id) => UUID.test(id));
  if (keep.length) criteria.push(Prisma.sql`id::text NOT IN (${Prisma.join(keep)})`);
  return db.prisma.$executeRaw`
    UPDATE ai_interactions
       SET status = 'ABORTED', error_code = ${ABORTED_ERROR_CODE},
           error_message = 'The process that made this call ended before the call finished.', updated_at = now()
     WHERE ${Prisma.join(criteria, " AND ")}`;
}

export const AI_LOG_RETENTION_DAYS_DEFAULT = 90;

/** AI_LOG_RETENTION_DAYS (whole days, at least 1), or the default; anything else is a configuration error. */
export function aiLogRetentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AI_LOG_RETENTION_DAYS?.trim();
  if (!raw) return AI_LOG_RETENTION_DAYS_DEFAULT;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`AI_LOG_RETENTION_DAYS must be a whole number of days, at least 1 (got "${raw}")`);
  }
  return days;
}

export interface RetentionOptions {
  days: number;
  /** Rows per DELETE; each batch is its own short transaction, so the table is never locked for long. */
  batchSize?: number;
  now?: Date;
}

/**
 * Deletes interactions created more than `days` days ago, oldest first, in batches; their responses
 * go by ON DELETE CASCADE and messages that cite them keep their text (ON DELETE SET NULL).
 * SKIP LOCKED lets two servers run it at once without waiting on each other. Returns the count.
 */
export async function purgeAiInteractionsOlderThan(db: Database, options: RetentionOptions): Promise<number> {
  if (!Number.isFinite(options.days) || options.days <= 0)
    throw new RangeError(`retention days must be positive (got ${options.days})`);
  const batchSize = options.batchSize ?? 1000;
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.days * 86_400_000);
  let total = 0;
  for (;;) {
    const deleted = await db.prisma.$executeRaw`
      DELETE FROM ai_interactions i
       USING (SELECT id FROM ai_interactions WHERE created_at < ${cutoff}
               ORDER BY created_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED) doomed
       WHERE i.id = doomed.id`;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

// ------------------------------------------------------------------ operators' reads (lockstep_admin)

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
  operation: string;
  promptPreview: string | null;
  promptHash: string | null;
  status: string;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  userId: string | null;
  sessionId: string | null;
  ipAddress: string | null;
  dataSource: string;
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
    operation: AiOperation.toWire(row.operation as never),
    promptPreview: row.promptPreview,
    promptHash: row.promptHash,
    status: AiInteractionStatus.toWire(row.status as never),
    latencyMs: row.latencyMs,
    timeToFirstTokenMs: row.timeToFirstTokenMs,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    userId: row.userId,
    sessionId: row.sessionId,
    ipAddress: row.ipAddress,
    dataSource: DataSource.toWire(row.dataSource as never),
    createdAt: toEpochMs(row.createdAt),
    updatedAt: toEpochMs(row.updatedAt),
    deletedAt: toEpochMsOrNull(row.deletedAt),
  };
}

/** Keyset position: the sort key of the last row of a page. */
export type AiInteractionKey =
  { sort: "created_at"; createdAt: Date; id: string } | { sort: "latency"; latencyMs: number | null; id: string };

export interface AiInteractionFilters {
  /** created_at >= from */
  from?: Date | undefined;
  /** created_at < to */
  to?: Date | undefined;
  /** Provider name. */
  provider?: string | undefined;
  model?: string | undefined;
  status?: TAiInteractionStatus | undefined;
  operation?: TAiOperation | undefined;
  userId?: string | undefined;
  sessionId?: string | undefined;
  dataSource?: TDataSource | undefined;
}

export interface AiInteractionListQuery extends AiInteractionFilters {
  /** created_at: newest first (created_at desc, id desc); latency: slowest first (latency_ms desc nulls last, id desc). */
  sort: "created_at" | "latency";
  after?: AiInteractionKey | null | undefined;
  limit: number;
}

function filterSql(f: AiInteractionFilters): Prisma.Sql[] {
  // Soft-deleted rows are out of the log's views; hard deletes are what admin.interactions.delete does.
  const where: Prisma.Sql[] = [Prisma.sql`i.deleted_at IS NULL`];
  if (f.from) where.push(Prisma.sql`i.created_at >= ${f.from}`);
  if (f.to) where.push(Prisma.sql`i.created_at < ${f.to}`);
  // By id, not by joined name, so the (provider_id, created_at) index applies.
  if (f.provider) where.push(Prisma.sql`i.provider_id = (SELECT id FROM providers WHERE name = ${f.provider})`);
  if (f.model) where.push(Prisma.sql`i.model_name = ${f.model}`);
  if (f.status) where.push(Prisma.sql`i.status = ${AiInteractionStatus.toDb(f.status)}::"AiInteractionStatus"`);
  if (f.operation) where.push(Prisma.sql`i.operation = ${AiOperation.toDb(f.operation)}::"AiOperation"`);
  if (f.userId) where.push(Prisma.sql`i.user_id = ${f.userId}`);
  if (f.sessionId)
    where.push(UUID.test(f.sessionId) ? Prisma.sql`i.session_id = ${f.sessionId}::uuid` : Prisma.sql`false`);
  if (f.dataSource) where.push(Prisma.sql`i.data_source = ${DataSource.toDb(f.dataSource)}::"DataSource"`);
  return where;
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

/** The newest interactions (seed 000's get_recent_interactions), optionally of one user. */
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

/** One interaction with its responses in order (seed 000's get_interaction_details); null when absent. */
export async function getAiInteractionDetails(tx: ScopedTx, id: string): Promise<TAdminInteractionDetail | null> {
  if (!UUID.test(id)) return null;
  const row = await tx.aiInteraction.findUnique({ where: { id }, select: aiInteractionDetailSelect });
  return row ? toAiInteractionDetail(row) : null;
}

/**
 * Deletes one interaction (seed 000's delete_interaction); its responses go by cascade and
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

// ------------------------------------------------------------------ stats

export interface AiInteractionStatsQuery {
  from: Date;
  to: Date;
  bucket: TInteractionStatsBucket;
  groupBy?: TInteractionStatsGroupBy | undefined;
}

interface StatsRow {
  bucket: Date | null;
  key: string | null;
  g_bucket: number;
  g_key: number;
  count: number;
  pending: number;
  success: number;
  error: number;
  timeout: number;
  cancelled: number;
  aborted: number;
  error_rate: number | null;
  latency: (number | null)[] | null;
  ttft: (number | null)[] | null;
  input_tokens: number;
  output_tokens: number;
}

const BUCKET_INTERVAL: Record<TInteractionStatsBucket, string> = { minute: "1 minute", hour: "1 hour", day: "1 day" };

/**
 * The measures of one slice, over the columns of a CTE `f` (status, latency_ms,
 * time_to_first_token_ms, input_tokens, output_tokens); shared by stats and overview so both
 * define error rate and percentiles the same way.
 */
const STATS_AGGREGATES = Prisma.sql`
           count(*)::int AS count,
           count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
           count(*) FILTER (WHERE status = 'SUCCESS')::int AS success,
           count(*) FILTER (WHERE status = 'ERROR')::int AS error,
           count(*) FILTER (WHERE status = 'TIMEOUT')::int AS timeout,
           count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
           count(*) FILTER (WHERE status = 'ABORTED')::int AS aborted,
           (count(*) FILTER (WHERE status IN ('ERROR', 'TIMEOUT', 'ABORTED')))::float8
             / NULLIF(count(*) FILTER (WHERE status IN ('SUCCESS', 'ERROR', 'TIMEOUT', 'ABORTED')), 0) AS error_rate,
           percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status = 'SUCCESS') AS latency,
           percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY time_to_first_token_ms) FILTER (WHERE status = 'SUCCESS') AS ttft,
           COALESCE(sum(input_tokens), 0)::float8 AS input_tokens,
           COALESCE(sum(output_tokens), 0)::float8 AS output_tokens`;

function toValues(row: StatsRow | undefined): TInteractionStatsValues {
  return {
    count: row?.count ?? 0,
    pending: row?.pending ?? 0,
    success: row?.success ?? 0,
    error: row?.error ?? 0,
    timeout: row?.timeout ?? 0,
    cancelled: row?.cancelled ?? 0,
    aborted: row?.aborted ?? 0,
    errors: (row?.error ?? 0) + (row?.timeout ?? 0) + (row?.aborted ?? 0),
    errorRate: row?.error_rate ?? null,
    latencyMs: { p50: row?.latency?.[0] ?? null, p95: row?.latency?.[1] ?? null, p99: row?.latency?.[2] ?? null },
    timeToFirstTokenMs: { p50: row?.ttft?.[0] ?? null, p95: row?.ttft?.[1] ?? null },
    inputTokens: row?.input_tokens ?? 0,
    outputTokens: row?.output_tokens ?? 0,
  };
}

/**
 * Counts, error rate, latency and time-to-first-token percentiles and token sums, for the whole
 * range, per time bucket, and (with groupBy) per provider, model or operation and per bucket of
 * each: one SQL statement with GROUPING SETS, so every number comes from the database.
 *
 * Definitions: errorRate = (error + timeout + aborted) / (success + error + timeout + aborted),
 * that is among calls that reached an outcome (pending and cancelled ones did not), null when
 * there are none. Latency and time-to-first-token percentiles (percentile_cont, interpolated) are
 * over successful calls only, so fast failures do not flatter them. Buckets are aligned to the
 * Unix epoch in UTC (date_bin), so day buckets start at UTC midnight; the overall series has every
 * bucket of [from, to), empty ones included, while per-group series list only buckets with calls.
 */
export async function aiInteractionStats(tx: ScopedTx, q: AiInteractionStatsQuery): Promise<TAdminInteractionStats> {
  const bucketMs = INTERACTION_STATS_BUCKET_MS[q.bucket];
  const groupBy = q.groupBy ?? null;
  const key =
    groupBy === "provider"
      ? Prisma.sql`p.name`
      : groupBy === "model"
        ? Prisma.sql`i.model_name`
        : groupBy === "operation"
          ? Prisma.sql`i.operation::text`
          : Prisma.sql`NULL::text`;
  const sets = groupBy
    ? Prisma.sql`GROUPING SETS ((), (bucket), (key), (bucket, key))`
    : Prisma.sql`GROUPING SETS ((), (bucket))`;
  const rows = await tx.$queryRaw<StatsRow[]>`
    WITH f AS (
      SELECT date_bin(${BUCKET_INTERVAL[q.bucket]}::interval, i.created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
             ${key} AS key, i.status, i.latency_ms, i.time_to_first_token_ms, i.input_tokens, i.output_tokens
        FROM ai_interactions i
        JOIN providers p ON p.id = i.provider_id
       WHERE i.created_at >= ${q.from} AND i.created_at < ${q.to} AND i.deleted_at IS NULL
    )
    SELECT bucket, ${groupBy ? Prisma.sql`key` : Prisma.sql`NULL::text AS key`}, GROUPING(bucket)::int AS g_bucket, ${groupBy ? Prisma.sql`GROUPING(key)::int` : Prisma.sql`1`} AS g_key,
           ${STATS_AGGREGATES}
      FROM f
     GROUP BY ${sets}`;

  const wireKey = (raw: string | null): string =>
    groupBy === "operation" && raw !== null ? AiOperation.toWire(raw as never) : (raw ?? "");
  let totals: StatsRow | undefined;
  const byBucket = new Map<number, StatsRow>();
  const groups = new Map<string, { totals: StatsRow | undefined; series: { start: number; row: StatsRow }[] }>();
  const group = (k: string) => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { totals: undefined, series: [] }));
    return g;
  };
  for (const row of rows) {
    const hasBucket = row.g_bucket === 0;
    const hasKey = row.g_key === 0 && groupBy !== null;
    if (!hasBucket && !hasKey) totals = row;
    else if (hasBucket && !hasKey && row.bucket) byBucket.set(row.bucket.getTime(), row);
    else if (!hasBucket && hasKey) group(wireKey(row.key)).totals = row;
    else if (row.bucket) group(wireKey(row.key)).series.push({ start: row.bucket.getTime(), row });
  }

  const series: TAdminInteractionStats["series"] = [];
  const first = Math.floor(q.from.getTime() / bucketMs) * bucketMs;
  for (let start = first; start < q.to.getTime(); start += bucketMs) {
    series.push({ start, ...toValues(byBucket.get(start)) });
  }
  return {
    from: q.from.getTime(),
    to: q.to.getTime(),
    bucket: q.bucket,
    bucketMs,
    groupBy,
    totals: toValues(totals),
    series,
    groups: [...groups.entries()]
      .map(([k, g]) => ({
        key: k,
        totals: toValues(g.totals),
        series: g.series.sort((a, b) => a.start - b.start).map(({ start, row }) => ({ start, ...toValues(row) })),
      }))
      .sort((a, b) => b.totals.count - a.totals.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}

// ------------------------------------------------------------------ overview

export interface AiInteractionOverviewQuery {
  from: Date;
  to: Date;
  bucket: TInteractionStatsBucket;
  provider?: string | undefined;
  model?: string | undefined;
  operation?: TAiOperation | undefined;
}

interface OverviewRow extends StatsRow {
  provider: string | null;
  model: string | null;
  op: string | null;
  g_provider: number;
  g_model: number;
  g_op: number;
}

/**
 * The admin overview: totals, the series per bucket, and the same measures per provider, per model
 * and per operation, for one range and optional filters, in one SQL statement (GROUPING SETS),
 * with the definitions of aiInteractionStats. The work_mem raise lets the percentile sorts of a
 * large range stay in memory instead of spilling to disk; it ends with the transaction.
 */
export async function aiInteractionOverview(
  tx: ScopedTx,
  q: AiInteractionOverviewQuery,
): Promise<TAdminInteractionOverview> {
  // Rollups hold whole hours, so they serve hour and day buckets; minute buckets are short ranges anyway.
  if (q.bucket !== "minute") {
    const window = await readRollupWindow(tx);
    const from = Math.max(Math.ceil(q.from.getTime() / HOUR_MS) * HOUR_MS, window?.from.getTime() ?? Infinity);
    const until = Math.min(Math.floor(q.to.getTime() / HOUR_MS) * HOUR_MS, window?.until.getTime() ?? -Infinity);
    if (until - from >= ROLLUP_MIN_SPAN_MS)
      return overviewFromRollups(tx, q, { from: new Date(from), until: new Date(until) });
  }
  const bucketMs = INTERACTION_STATS_BUCKET_MS[q.bucket];
  const where = filterSql({ from: q.from, to: q.to, provider: q.provider, model: q.model, operation: q.operation });
  await tx.$executeRaw`SELECT set_config('work_mem', '128MB', true)`;
  const rows = await tx.$queryRaw<OverviewRow[]>`
    WITH f AS (
      SELECT date_bin(${BUCKET_INTERVAL[q.bucket]}::interval, i.created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
             i.provider_id, i.model_name, i.operation, i.status, i.latency_ms, i.time_to_first_token_ms, i.input_tokens, i.output_tokens
        FROM ai_interactions i
       WHERE ${Prisma.join(where, " AND ")}
    ), g AS (
      SELECT bucket, provider_id, model_name, operation::text AS op,
             GROUPING(bucket)::int AS g_bucket, GROUPING(provider_id)::int AS g_provider,
             GROUPING(model_name)::int AS g_model, GROUPING(operation)::int AS g_op,
             ${STATS_AGGREGATES}
        FROM f
       GROUP BY GROUPING SETS ((), (bucket), (provider_id), (model_name), (operation))
    )
    SELECT g.*, g.model_name AS model, p.name AS provider
      FROM g LEFT JOIN providers p ON p.id = g.provider_id`;

  let totals: StatsRow | undefined;
  const byBucket = new Map<number, StatsRow>();
  const byProvider: TInteractionBreakdownEntry[] = [];
  const byModel: TInteractionBreakdownEntry[] = [];
  const byOperation: TInteractionBreakdownEntry[] = [];
  for (const row of rows) {
    if (row.g_bucket === 0 && row.bucket) byBucket.set(row.bucket.getTime(), row);
    else if (row.g_provider === 0) byProvider.push({ key: row.provider ?? "", ...toValues(row) });
    else if (row.g_model === 0) byModel.push({ key: row.model ?? "", ...toValues(row) });
    else if (row.g_op === 0 && row.op) byOperation.push({ key: AiOperation.toWire(row.op as never), ...toValues(row) });
    else if (row.g_bucket === 1) totals = row;
  }
  const busiest = (a: TInteractionBreakdownEntry, b: TInteractionBreakdownEntry) =>
    b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

  const series: TAdminInteractionOverview["series"] = [];
  const first = Math.floor(q.from.getTime() / bucketMs) * bucketMs;
  for (let start = first; start < q.to.getTime(); start += bucketMs) {
    series.push({ start, ...toValues(byBucket.get(start)) });
  }
  return {
    from: q.from.getTime(),
    to: q.to.getTime(),
    bucket: q.bucket,
    bucketMs,
    filters: { provider: q.provider ?? null, model: q.model ?? null, operation: q.operation ?? null },
    percentiles: "exact",
    totals: toValues(totals),
    series,
    byProvider: byProvider.sort(busiest),
    byModel: byModel.sort(busiest),
    byOperation: byOperation.sort(busiest),
  };
}

const HOUR_MS = 3_600_000;
/** Below this many whole rolled-up hours in the range, the exact query is cheap enough to run instead. */
const ROLLUP_MIN_SPAN_MS = 6 * HOUR_MS;

/** One group of the grouping sets with its histogram as parallel arrays (one row per group keeps the result small). */
interface HistogramRow {
  g_bucket: number;
  g_provider: number;
  g_model: number;
  g_op: number;
  bucket: Date | null;
  provider: string | null;
  model: string | null;
  op: string | null;
  statuses: string[];
  bins: number[];
  calls: number[];
  input_tokens: number;
  output_tokens: number;
}

/** The group a row of the grouping sets belongs to: "t" (totals), "b:<ms>", "p:<name>", "m:<model>" or "o:<operation>". */
function groupKey(row: HistogramRow): string | null {
  if (row.g_bucket === 0) return row.bucket ? `b:${row.bucket.getTime()}` : null;
  if (row.g_provider === 0) return `p:${row.provider ?? ""}`;
  if (row.g_model === 0) return `m:${row.model ?? ""}`;
  if (row.g_op === 0) return row.op ? `o:${AiOperation.toWire(row.op as never)}` : null;
  return "t";
}

interface Accumulator {
  status: Map<string, number>;
  latency: Map<number, number>;
  ttft: Map<number, number>;
  input: number;
  output: number;
}

function accumulatedValues(a: Accumulator | undefined): TInteractionStatsValues {
  const n = (status: string) => a?.status.get(status) ?? 0;
  const count = [...(a?.status.values() ?? [])].reduce((sum, v) => sum + v, 0);
  const errors = n("ERROR") + n("TIMEOUT") + n("ABORTED");
  const outcome = n("SUCCESS") + errors;
  const [p50, p95, p99] = histogramPercentiles(a?.latency ?? new Map(), [0.5, 0.95, 0.99]);
  const [t50, t95] = histogramPercentiles(a?.ttft ?? new Map(), [0.5, 0.95]);
  return {
    count,
    pending: n("PENDING"),
    success: n("SUCCESS"),
    error: n("ERROR"),
    timeout: n("TIMEOUT"),
    cancelled: n("CANCELLED"),
    aborted: n("ABORTED"),
    errors,
    errorRate: outcome ? errors / outcome : null,
    latencyMs: { p50: p50 ?? null, p95: p95 ?? null, p99: p99 ?? null },
    timeToFirstTokenMs: { p50: t50 ?? null, p95: t95 ?? null },
    inputTokens: a?.input ?? 0,
    outputTokens: a?.output ?? 0,
  };
}

/**
 * The overview with whole hours [covered.from, covered.until) read from the rollups and the rest
 * of the range (its ragged ends, and hours not rolled up yet) binned from the log on the fly, so
 * both halves add up the same way. SQL sums calls and tokens per group and latency bin over
 * GROUPING SETS; the percentiles are then read off each group's histogram (histogramPercentiles).
 */
async function overviewFromRollups(
  tx: ScopedTx,
  q: AiInteractionOverviewQuery,
  covered: RollupWindow,
): Promise<TAdminInteractionOverview> {
  const bucketMs = INTERACTION_STATS_BUCKET_MS[q.bucket];
  const interval = Prisma.sql`${BUCKET_INTERVAL[q.bucket]}::interval`;
  const epoch = Prisma.sql`TIMESTAMPTZ '1970-01-01 00:00:00+00'`;
  const rollupWhere: Prisma.Sql[] = [Prisma.sql`r.hour >= ${covered.from}`, Prisma.sql`r.hour < ${covered.until}`];
  if (q.provider) rollupWhere.push(Prisma.sql`r.provider_id = (SELECT id FROM providers WHERE name = ${q.provider})`);
  if (q.model) rollupWhere.push(Prisma.sql`r.model_name = ${q.model}`);
  if (q.operation) rollupWhere.push(Prisma.sql`r.operation = ${AiOperation.toDb(q.operation)}::"AiOperation"`);
  const filters = { provider: q.provider, model: q.model, operation: q.operation };
  // The two ragged ends as separate ranges, so each is an index range scan of created_at.
  const rawRanges = [
    filterSql({ ...filters, from: q.from, to: covered.from }),
    filterSql({ ...filters, from: covered.until, to: q.to }),
  ].map((where) => Prisma.join(where, " AND "));
  const raw = (select: Prisma.Sql, extra: Prisma.Sql) =>
    Prisma.join(
      rawRanges.map((where) => Prisma.sql`SELECT ${select} FROM ai_interactions i WHERE ${where} ${extra}`),
      " UNION ALL ",
    );
  const sets = Prisma.sql`GROUPING SETS ((status, bin), (bucket, status, bin), (provider_id, status, bin), (model_name, status, bin), (operation, status, bin))`;
  // Two steps: first down to one row per bucket and kind of call (a day bucket folds 24 hourly
  // rollup rows into one), then the grouping sets over that much smaller set.
  const grouped = (parts: Prisma.Sql) => Prisma.sql`
    WITH parts AS (${parts}),
    folded AS (
      SELECT bucket, provider_id, model_name, operation, status, bin,
             sum(calls) AS calls, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
        FROM parts
       GROUP BY bucket, provider_id, model_name, operation, status, bin
    ),
    g AS (
      SELECT GROUPING(bucket)::int AS g_bucket, GROUPING(provider_id)::int AS g_provider, GROUPING(model_name)::int AS g_model,
             GROUPING(operation)::int AS g_op, bucket, provider_id, model_name AS model, operation::text AS op, status::text AS status, bin,
             sum(calls)::float8 AS calls, sum(input_tokens)::float8 AS input_tokens, sum(output_tokens)::float8 AS output_tokens
        FROM folded
       GROUP BY ${sets}
    )
    SELECT g.g_bucket, g.g_provider, g.g_model, g.g_op, g.bucket, g.model, g.op, p.name AS provider,
           array_agg(g.status ORDER BY g.status, g.bin) AS statuses, array_agg(g.bin ORDER BY g.status, g.bin) AS bins,
           array_agg(g.calls ORDER BY g.status, g.bin) AS calls,
           sum(g.input_tokens)::float8 AS input_tokens, sum(g.output_tokens)::float8 AS output_tokens
      FROM g LEFT JOIN providers p ON p.id = g.provider_id
     GROUP BY g.g_bucket, g.g_provider, g.g_model, g.g_op, g.bucket, g.model, g.op, p.name`;

  const latencyRows = await tx.$queryRaw<HistogramRow[]>(
    grouped(Prisma.sql`
      SELECT date_bin(${interval}, r.hour, ${epoch}) AS bucket, r.provider_id, r.model_name, r.operation, r.status, r.latency_bin AS bin,
             r.calls, r.input_tokens, r.output_tokens
        FROM ai_interaction_rollups r WHERE ${Prisma.join(rollupWhere, " AND ")}
      UNION ALL
      ${raw(
        Prisma.sql`date_bin(${interval}, i.created_at, ${epoch}), i.provider_id, i.model_name, i.operation, i.status, ${binSql(Prisma.sql`i.latency_ms`)},
                   1, COALESCE(i.input_tokens, 0)::bigint, COALESCE(i.output_tokens, 0)::bigint`,
        Prisma.empty,
      )}`),
  );
  const ttftRows = await tx.$queryRaw<HistogramRow[]>(
    grouped(Prisma.sql`
      SELECT date_bin(${interval}, r.hour, ${epoch}) AS bucket, r.provider_id, r.model_name, r.operation, 'SUCCESS'::"AiInteractionStatus" AS status,
             r.ttft_bin AS bin, r.calls, 0::bigint AS input_tokens, 0::bigint AS output_tokens
        FROM ai_interaction_ttft_rollups r WHERE ${Prisma.join(rollupWhere, " AND ")}
      UNION ALL
      ${raw(
        Prisma.sql`date_bin(${interval}, i.created_at, ${epoch}), i.provider_id, i.model_name, i.operation, i.status,
                   ${binSql(Prisma.sql`i.time_to_first_token_ms`)}, 1, 0::bigint, 0::bigint`,
        Prisma.sql`AND i.status = 'SUCCESS' AND i.time_to_first_token_ms IS NOT NULL`,
      )}`),
  );

  const groups = new Map<string, Accumulator>();
  const group = (key: string) => {
    let a = groups.get(key);
    if (!a) groups.set(key, (a = { status: new Map(), latency: new Map(), ttft: new Map(), input: 0, output: 0 }));
    return a;
  };
  for (const row of latencyRows) {
    const key = groupKey(row);
    if (!key) continue;
    const a = group(key);
    a.input += row.input_tokens;
    a.output += row.output_tokens;
    row.statuses.forEach((status, i) => {
      const calls = row.calls[i] ?? 0;
      const bin = row.bins[i] ?? -1;
      a.status.set(status, (a.status.get(status) ?? 0) + calls);
      // Percentiles are over successful calls only, as in the exact query.
      if (status === "SUCCESS" && bin >= 0) a.latency.set(bin, (a.latency.get(bin) ?? 0) + calls);
    });
  }
  for (const row of ttftRows) {
    const key = groupKey(row);
    if (!key) continue;
    const a = group(key);
    row.bins.forEach((bin, i) => {
      if (bin >= 0) a.ttft.set(bin, (a.ttft.get(bin) ?? 0) + (row.calls[i] ?? 0));
    });
  }

  const breakdown = (prefix: string): TInteractionBreakdownEntry[] =>
    [...groups.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, a]) => ({ key: key.slice(prefix.length), ...accumulatedValues(a) }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const series: TAdminInteractionOverview["series"] = [];
  const first = Math.floor(q.from.getTime() / bucketMs) * bucketMs;
  for (let start = first; start < q.to.getTime(); start += bucketMs)
    series.push({ start, ...accumulatedValues(groups.get(`b:${start}`)) });
  return {
    from: q.from.getTime(),
    to: q.to.getTime(),
    bucket: q.bucket,
    bucketMs,
    filters: { provider: q.provider ?? null, model: q.model ?? null, operation: q.operation ?? null },
    percentiles: "approximate",
    totals: accumulatedValues(groups.get("t")),
    series,
    byProvider: breakdown("p:"),
    byModel: breakdown("m:"),
    byOperation: breakdown("o:"),
  };
}

// ------------------------------------------------------------------ groups by prompt hash

/** Keyset position of the groups list: (calls desc, prompt_hash asc) of the last group of a page. */
export interface AiInteractionGroupKey {
  calls: number;
  promptHash: string;
}

interface GroupRow {
  prompt_hash: string;
  calls: number;
  errors: number;
  avg_latency: number | null;
  p95_latency: number | null;
  first_seen: Date;
  last_seen: Date;
  sample_id: string;
  prompt_preview: string | null;
}

/**
 * Calls grouped by prompt_hash (rows without one are left out), busiest first. Two steps: the page
 * of groups is chosen by counting alone (cut after grouping, with HAVING on the keyset, since a
 * group's size is only known once it is counted), then only the page's groups are measured
 * (errors, latency, first and last seen) and given their newest call, through the prompt-hash index.
 */
export async function listAiInteractionGroups(
  tx: ScopedTx,
  q: AiInteractionFilters & { after?: AiInteractionGroupKey | null | undefined; limit: number },
): Promise<{ items: TAdminInteractionGroup[]; next: AiInteractionGroupKey | null }> {
  const where = Prisma.join([...filterSql(q), Prisma.sql`i.prompt_hash IS NOT NULL`], " AND ");
  const having = q.after
    ? Prisma.sql`HAVING count(*) < ${q.after.calls} OR (count(*) = ${q.after.calls} AND i.prompt_hash > ${q.after.promptHash})`
    : Prisma.empty;
  const keys = await tx.$queryRaw<{ prompt_hash: string; calls: number }[]>`
    SELECT i.prompt_hash, count(*)::int AS calls
      FROM ai_interactions i
     WHERE ${where}
     GROUP BY i.prompt_hash
     ${having}
     ORDER BY calls DESC, i.prompt_hash ASC
     LIMIT ${q.limit + 1}`;
  const page = keys.slice(0, q.limit);
  if (page.length === 0) return { items: [], next: null };
  const hashes = page.map((key) => key.prompt_hash);
  const rows = await tx.$queryRaw<GroupRow[]>`
    WITH m AS (
      SELECT i.prompt_hash, count(*)::int AS calls,
             count(*) FILTER (WHERE i.status IN ('ERROR', 'TIMEOUT', 'ABORTED'))::int AS errors,
             avg(i.latency_ms)::float8 AS avg_latency,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY i.latency_ms) AS p95_latency,
             min(i.created_at) AS first_seen, max(i.created_at) AS last_seen
        FROM ai_interactions i
       WHERE ${where} AND i.prompt_hash = ANY(${hashes}::text[])
       GROUP BY i.prompt_hash
    )
    SELECT m.*, s.id AS sample_id, left(s.prompt_text, ${PROMPT_PREVIEW_MAX}) AS prompt_preview
      FROM m
      CROSS JOIN LATERAL (
        SELECT i.id, i.prompt_text FROM ai_interactions i
         WHERE ${where} AND i.prompt_hash = m.prompt_hash
         ORDER BY i.created_at DESC, i.id DESC
         LIMIT 1) s`;
  const byHash = new Map(rows.map((row) => [row.prompt_hash, row]));
  const items: TAdminInteractionGroup[] = [];
  for (const key of page) {
    const row = byHash.get(key.prompt_hash);
    // A group whose calls were all deleted between the two reads is left out of this page.
    if (!row) continue;
    items.push({
      promptHash: row.prompt_hash,
      calls: row.calls,
      errors: row.errors,
      avgLatencyMs: row.avg_latency,
      p95LatencyMs: row.p95_latency,
      firstSeen: toEpochMs(row.first_seen),
      lastSeen: toEpochMs(row.last_seen),
      sampleId: row.sample_id,
      promptPreview: row.prompt_preview,
    });
  }
  const last = page.at(-1);
  return { items, next: keys.length > q.limit && last ? { calls: last.calls, promptHash: last.prompt_hash } : null };
}
