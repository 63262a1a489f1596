// The owner-side writes of the AI interaction log (docs/decisions/0001): begin (PENDING), finish once, and the startup sweep of calls a dead process left PENDING.
import {
  AiOperation,
  DataSource,
  ProviderKind,
  type TAiInteractionStatusDb,
  type TAiOperation,
  type TDataSource,
  type TProviderKind,
  isUuid,
} from "@lockstep/contracts";
import type { Database } from "../../connection.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { ScopedTx } from "../../scoped.ts";

/** Plain JSON, as JSONB stores it (the log hands over values already made storable and masked). */
export type LogJson = string | number | boolean | null | LogJson[] | { [key: string]: LogJson };

/** JSONB parameter: SQL NULL for null/undefined, otherwise the JSON text (cast with ::jsonb). */
function jsonParam(value: LogJson | undefined): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

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
 * use and kept current; the session is made to exist first (docs/decisions/0002) so the foreign key never
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
      if (!isUuid(row.sessionId)) {
        sessionNotAttached = "invalid_id";
      } else if (!userId) {
        // Without a user nobody can show the session is theirs, and a session cannot be created
        // without an owner; the claimed id stays in metadata, so nothing is lost.
        sessionNotAttached = "no_user";
      } else {
        // The session id may come from the client before any session row exists (docs/decisions/0002).
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
  /** Only the calls made for this message (a reply's earlier attempt, whose process died mid-call). */
  messageId?: string | undefined;
}

/**
 * Marks ABORTED the rows a previous process left PENDING (it crashed or was killed mid-call), so
 * none stays PENDING forever; both criteria apply when given, and at least one must be. Returns
 * how many rows it marked.
 */
export async function abortAbandonedAiInteractions(db: Database, sweep: AbandonedSweep): Promise<number> {
  if (!sweep.createdBefore && !sweep.exceptIds && !sweep.messageId)
    throw new Error("abortAbandonedAiInteractions needs createdBefore, exceptIds or messageId");
  const criteria: Prisma.Sql[] = [Prisma.sql`status = 'PENDING'`];
  if (sweep.createdBefore) criteria.push(Prisma.sql`created_at < ${sweep.createdBefore}`);
  if (sweep.messageId) criteria.push(Prisma.sql`metadata->>'messageId' = ${sweep.messageId}`);
  const keep = (sweep.exceptIds ?? []).filter((id) => isUuid(id));
  if (keep.length) criteria.push(Prisma.sql`id::text NOT IN (${Prisma.join(keep)})`);
  return db.prisma.$executeRaw`
    UPDATE ai_interactions
       SET status = 'ABORTED', error_code = ${ABORTED_ERROR_CODE},
           error_message = 'The process that made this call ended before the call finished.', updated_at = now()
     WHERE ${Prisma.join(criteria, " AND ")}`;
}
