// The owner-side writes of the AI interaction log (docs/decisions/0001): begin (PENDING), finish once, and the startup sweep of calls a dead process left PENDING.
// A call costs one statement at its start and one at its end: the provider's id is remembered per
// database, and the PENDING row is written with the person and session checks in the same statement;
// only the rare begin that must create the session (or finds the person gone) takes the longer path.
// Both go through db.logPool, whose commits do not wait for the disk (docs/decisions/0001).
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
  const known = knownProviders(db).get(providerKey(row.provider));
  if (known) {
    try {
      const begun = await beginInOneStatement(db, row, known);
      if (begun) return begun;
    } catch (error) {
      // The remembered provider row is gone (deleted by hand): forget it and take the long path.
      if ((error as { code?: unknown }).code !== FOREIGN_KEY_VIOLATION) throw error;
      knownProviders(db).delete(providerKey(row.provider));
    }
  }
  return beginCarefully(db, row);
}

const FOREIGN_KEY_VIOLATION = "23503";

/** Provider ids by name, kind and base URL, per database (tests open several in one process). */
const providerIdsByDatabase = new WeakMap<Database, Map<string, string>>();

function knownProviders(db: Database): Map<string, string> {
  let ids = providerIdsByDatabase.get(db);
  if (!ids) providerIdsByDatabase.set(db, (ids = new Map()));
  return ids;
}

function providerKey(provider: NewAiInteraction["provider"]): string {
  return JSON.stringify([provider.name, provider.kind, provider.baseUrl]);
}

/**
 * The common begin as one statement: the person must exist and the session, when one is named,
 * must exist already (its owner decides whether the row is attached to it). Null when the row
 * needs the careful path instead (a session to create first, a person who is gone, a malformed id).
 */
async function beginInOneStatement(
  db: Database,
  row: NewAiInteraction,
  providerId: string,
): Promise<BegunAiInteraction | null> {
  if (row.sessionId && !isUuid(row.sessionId)) return null;
  const sessionId = row.sessionId ?? null;
  const result = await db.logPool.query<{ user_id: string | null; session_id: string | null }>({
    // Named, so each log connection plans it once instead of on every call.
    name: "lockstep_ai_log_begin",
    text: `WITH decided AS (
       SELECT (SELECT id FROM users WHERE id = $10) AS user_id,
              (SELECT user_id FROM sessions WHERE $11::uuid IS NOT NULL AND id = $11::uuid) AS session_owner)
     INSERT INTO ai_interactions (id, provider_id, model_name, operation, prompt_text, prompt_hash, request, status,
                                  user_id, session_id, ip_address, file_metadata, data_source, metadata, updated_at)
     SELECT $1::uuid, $2::uuid, $3, $4::"AiOperation", $5, $6, $7::jsonb, 'PENDING',
            d.user_id, CASE WHEN d.session_owner = d.user_id THEN $11::uuid END, $8::inet, $9::jsonb,
            $12::"DataSource",
            CASE WHEN $11::uuid IS NOT NULL AND d.session_owner IS DISTINCT FROM d.user_id
                 THEN COALESCE($13::jsonb, '{}'::jsonb)
                      || jsonb_build_object('sessionNotAttached', jsonb_build_object('claimedId', $14::text, 'reason', 'other_user'))
                 ELSE $13::jsonb END,
            now()
       FROM decided d
      WHERE $11::uuid IS NULL OR (d.user_id IS NOT NULL AND d.session_owner IS NOT NULL)
     RETURNING user_id, session_id`,
    values: [
      row.id,
      providerId,
      row.modelName,
      AiOperation.toDb(row.operation),
      row.promptText,
      row.promptHash,
      jsonParam(row.request) ?? "null",
      row.ipAddress,
      jsonParam(row.fileMetadata),
      row.userId,
      sessionId,
      DataSource.toDb(row.dataSource),
      jsonParam(row.metadata),
      sessionId?.slice(0, 200) ?? null,
    ],
  });
  const written = result.rows[0];
  if (!written) return null;
  return {
    id: row.id,
    providerId,
    userId: written.user_id,
    sessionId: written.session_id,
    sessionNotAttached: sessionId && !written.session_id ? "other_user" : null,
  };
}

/** Every case, in one transaction: creates the provider and the session when they do not exist yet. */
async function beginCarefully(db: Database, row: NewAiInteraction): Promise<BegunAiInteraction> {
  const begun = await db.prisma.$transaction(async (tx) => {
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
  knownProviders(db).set(providerKey(row.provider), begun.providerId);
  return begun;
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
  /** Of the input tokens, those served from the provider's prompt cache (priced at the cached-input price). */
  cachedInputTokens?: number | null;
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
  // One statement: the update, and the responses only if the update happened.
  const responses = finish.responses.map((response, position) => ({
    position,
    content: response.content,
    finish_reason: response.finishReason,
    // A JSON null becomes SQL NULL in jsonb_to_recordset, as Prisma's DbNull did.
    metadata: response.metadata ?? null,
  }));
  const metadata = jsonParam(finish.metadata);
  const result = await db.logPool.query<{ updated: number }>({
    // Named, so each log connection plans it once instead of on every call.
    name: "lockstep_ai_log_finish",
    text: `WITH updated AS (
       UPDATE ai_interactions
          SET status = $2::"AiInteractionStatus",
              response = $3::jsonb,
              latency_ms = $4::int,
              time_to_first_token_ms = $5::int,
              input_tokens = $6::int,
              -- More cached than input would be the endpoint's error; the count is kept within the input
              -- (LEAST skips NULLs, so an unreported count stays unknown rather than becoming the input).
              cached_input_tokens = CASE WHEN $12::int IS NULL THEN NULL ELSE least($12::int, $6::int) END,
              output_tokens = $7::int,
              error_code = $8,
              error_message = $9,
              metadata = CASE WHEN $10::jsonb IS NULL THEN metadata ELSE COALESCE(metadata, '{}'::jsonb) || $10::jsonb END,
              -- Priced here, from the price in effect when the call started (a lookup in a small table).
              (cost, cost_currency, cost_basis, price_id) =
                (SELECT c.cost, c.currency, c.basis, c.price_id
                   FROM ai_call_cost(provider_id, operation, model_name, created_at, $6::int, $12::int, $7::int) c),
              updated_at = now()
        WHERE id = $1::uuid AND status IN ('PENDING', 'ABORTED')
        RETURNING id),
     stored AS (
       INSERT INTO ai_responses (interaction_id, position, content, finish_reason, metadata)
       SELECT updated.id, r.position, r.content, r.finish_reason, r.metadata
         FROM updated, jsonb_to_recordset($11::jsonb) AS r(position int, content text, finish_reason text, metadata jsonb)
       RETURNING 1)
     SELECT (SELECT count(*) FROM updated)::int AS updated, (SELECT count(*) FROM stored)::int AS stored`,
    values: [
      id,
      finish.status,
      jsonParam(finish.response),
      finish.latencyMs,
      finish.timeToFirstTokenMs,
      finish.inputTokens,
      finish.outputTokens,
      finish.errorCode,
      finish.errorMessage,
      metadata,
      JSON.stringify(responses),
      finish.cachedInputTokens ?? null,
    ],
  });
  return (result.rows[0]?.updated ?? 0) > 0;
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
