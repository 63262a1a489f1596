// Re-embedding the knowledge base for a new embedding model: the state in ai_model_settings (which
// model search still answers from, which one is being computed), the pending vectors beside the
// serving ones, the progress count, and the switch once every chunk has its new vector.
import type { Database } from "../connection.ts";
import type { ScopedTx } from "../scoped.ts";
import { recordAudit } from "./audit.ts";
import { toVectorLiteral } from "./knowledge.ts";

/** An embedding model and the provider that runs it; a null provider is the environment's. */
export interface EmbeddingChoice {
  providerId: string | null;
  model: string;
}

export interface ReembeddingState {
  /** What search answers from until the switch; null when no re-embedding is under way. */
  serving: EmbeddingChoice | null;
  /** The model the chunks are being re-embedded with. */
  model: string | null;
  startedAt: Date | null;
  error: string | null;
}

/** What saving a new embedding default did to the re-embedding. */
export type ReembeddingPlan =
  /** The model did not change (or none was under way and the new one is the one search uses). */
  | { action: "none" }
  /** A re-embedding starts: search keeps `serving` until it completes. */
  | { action: "started"; serving: EmbeddingChoice; model: string }
  /** One was under way for another model: it now computes this one (search still uses `serving`). */
  | { action: "superseded"; serving: EmbeddingChoice; from: string; model: string }
  /** The default went back to the model search uses: the unfinished re-embedding is dropped. */
  | { action: "cancelled"; serving: EmbeddingChoice; dropped: string };

const asOwner = (db: Database) => db.prisma as unknown as ScopedTx;

interface StateRow {
  servingProviderId: string | null;
  servingModel: string | null;
  model: string | null;
  startedAt: Date | null;
  error: string | null;
}

async function readRow(tx: ScopedTx, lock = false): Promise<StateRow | undefined> {
  const rows = lock
    ? await tx.$queryRaw<StateRow[]>`
        SELECT serving_embedding_provider_id::text AS "servingProviderId", serving_embedding_model AS "servingModel",
               reembedding_model AS "model", reembedding_started_at AS "startedAt", reembedding_error AS "error"
          FROM ai_model_settings WHERE id = 1 FOR UPDATE`
    : await tx.$queryRaw<StateRow[]>`
        SELECT serving_embedding_provider_id::text AS "servingProviderId", serving_embedding_model AS "servingModel",
               reembedding_model AS "model", reembedding_started_at AS "startedAt", reembedding_error AS "error"
          FROM ai_model_settings WHERE id = 1`;
  return rows[0];
}

function toState(row: StateRow | undefined): ReembeddingState {
  if (!row?.model || !row.servingModel) return { serving: null, model: null, startedAt: null, error: null };
  return {
    serving: { providerId: row.servingProviderId, model: row.servingModel },
    model: row.model,
    startedAt: row.startedAt,
    error: row.error,
  };
}

export async function readReembeddingState(tx: ScopedTx): Promise<ReembeddingState> {
  return toState(await readRow(tx));
}

/** The same, as the owner (the worker and the model router, which act for nobody). */
export function readReembeddingStateAsOwner(db: Database): Promise<ReembeddingState> {
  return readReembeddingState(asOwner(db));
}

async function dropPendingVectors(tx: ScopedTx): Promise<void> {
  await tx.$executeRaw`
    UPDATE knowledge_chunks SET pending_embedding = NULL, pending_embedding_model = NULL
     WHERE pending_embedding_model IS NOT NULL`;
}

/**
 * Records what a new embedding default means for the knowledge base, in the transaction that saves
 * it (after the defaults row is written, under its lock). `previous` is the embedding choice in
 * effect before the save, `next` the one after. Vectors are compared by model name: the same model
 * behind another endpoint embeds alike.
 */
export async function planReembedding(
  tx: ScopedTx,
  previous: EmbeddingChoice,
  next: EmbeddingChoice,
): Promise<ReembeddingPlan> {
  const state = toState(await readRow(tx, true));
  if (!state.serving || !state.model) {
    if (previous.model === next.model) return { action: "none" };
    // The vectors search holds are the previous model's: it keeps answering from them meanwhile.
    await dropPendingVectors(tx);
    await tx.$executeRaw`
      UPDATE ai_model_settings
         SET serving_embedding_provider_id = ${previous.providerId}::uuid, serving_embedding_model = ${previous.model},
             reembedding_model = ${next.model}, reembedding_started_at = now(), reembedding_error = NULL
       WHERE id = 1`;
    return { action: "started", serving: previous, model: next.model };
  }
  if (state.serving.model === next.model) {
    await dropPendingVectors(tx);
    await tx.$executeRaw`
      UPDATE ai_model_settings
         SET serving_embedding_provider_id = NULL, serving_embedding_model = NULL, reembedding_model = NULL,
             reembedding_started_at = NULL, reembedding_error = NULL
       WHERE id = 1`;
    return { action: "cancelled", serving: state.serving, dropped: state.model };
  }
  if (state.model === next.model) return { action: "none" };
  // The other model's pending vectors are simply overwritten chunk by chunk; they never count as done.
  await tx.$executeRaw`
    UPDATE ai_model_settings SET reembedding_model = ${next.model}, reembedding_started_at = now(), reembedding_error = NULL
     WHERE id = 1`;
  return { action: "superseded", serving: state.serving, from: state.model, model: next.model };
}

/** How many chunks there are, and how many have their vector from `model` already. */
export async function countReembedded(tx: ScopedTx, model: string): Promise<{ embedded: number; total: number }> {
  const rows = await tx.$queryRaw<{ embedded: number; total: number }[]>`
    SELECT count(*) FILTER (WHERE pending_embedding_model = ${model})::int AS embedded, count(*)::int AS total
      FROM knowledge_chunks`;
  return rows[0] ?? { embedded: 0, total: 0 };
}

/**
 * The next chunks without a vector from `model`, in id order. Done chunks are never read again, so
 * a job that restarts after a partial batch carries on where the written vectors end.
 */
export async function findChunksToReembed(
  db: Database,
  model: string,
  limit: number,
): Promise<{ id: string; embeddingText: string }[]> {
  return asOwner(db).$queryRaw<{ id: string; embeddingText: string }[]>`
    SELECT id::text AS "id", embedding_text AS "embeddingText" FROM knowledge_chunks
     WHERE pending_embedding_model IS DISTINCT FROM ${model}
     ORDER BY id LIMIT ${limit}`;
}

/**
 * Writes vectors from `model` beside the serving ones (null: the model embedded the text as all
 * zeros). Only while `model` is still the one being computed (a newer change wins), and only for
 * rows whose text is still the text embedded. Setting a column twice stores one vector, so a retried
 * batch duplicates nothing. Returns how many rows were written.
 */
export async function setPendingEmbeddings(
  db: Database,
  rows: readonly { id: string; embeddingText: string; embedding: readonly number[] | null }[],
  model: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  const records = rows.map((row) => ({
    id: row.id,
    embedding_text: row.embeddingText,
    embedding: row.embedding ? toVectorLiteral(row.embedding) : null,
  }));
  return asOwner(db).$executeRaw`
    UPDATE knowledge_chunks k SET pending_embedding = r.embedding::vector, pending_embedding_model = ${model}
      FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(id uuid, embedding_text text, embedding text)
     WHERE k.id = r.id AND k.embedding_text = r.embedding_text
       AND EXISTS (SELECT 1 FROM ai_model_settings s WHERE s.id = 1 AND s.reembedding_model = ${model})`;
}

export type ReembeddingCompletion =
  | { switched: true; from: string; model: string; chunks: number }
  | { switched: false; reason: "superseded" | "incomplete"; missing: number };

/**
 * Switches search to `model` when every chunk has its vector: in one transaction, with chunk writes
 * held off for its few milliseconds so no chunk slips in without one, the pending vectors become the
 * serving ones, the state is cleared, and the switch is audited (by nobody: the job did it).
 */
export async function completeReembedding(db: Database, model: string): Promise<ReembeddingCompletion> {
  return db.prisma.$transaction(
    async (prisma) => {
      const tx = prisma as unknown as ScopedTx;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ai_model_settings'))`;
      const state = toState(await readRow(tx, true));
      if (state.model !== model || !state.serving) return { switched: false, reason: "superseded", missing: 0 };
      await tx.$executeRaw`LOCK TABLE knowledge_chunks IN EXCLUSIVE MODE`;
      const [missing] = await tx.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS count FROM knowledge_chunks WHERE pending_embedding_model IS DISTINCT FROM ${model}`;
      if ((missing?.count ?? 0) > 0) return { switched: false, reason: "incomplete", missing: missing?.count ?? 0 };
      const chunks = await tx.$executeRaw`
        UPDATE knowledge_chunks
           SET embedding = pending_embedding,
               embedding_model = CASE WHEN pending_embedding IS NULL THEN NULL ELSE pending_embedding_model END,
               pending_embedding = NULL, pending_embedding_model = NULL`;
      await tx.$executeRaw`
        UPDATE ai_model_settings
           SET serving_embedding_provider_id = NULL, serving_embedding_model = NULL, reembedding_model = NULL,
               reembedding_started_at = NULL, reembedding_error = NULL, updated_at = now()
         WHERE id = 1`;
      await recordAudit(tx, {
        actorId: null,
        action: "knowledge.reembedding.switch",
        entityType: "ai_model_settings",
        entityId: null,
        before: { servingModel: state.serving.model, reembeddingModel: model, startedAt: state.startedAt },
        after: { servingModel: model, chunks },
      });
      return { switched: true, from: state.serving.model, model, chunks };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** Why the job gave up on `model` (shown on the models page), unless a newer change replaced it. */
export async function recordReembeddingError(db: Database, model: string, message: string): Promise<void> {
  await asOwner(db).$executeRaw`
    UPDATE ai_model_settings SET reembedding_error = ${message.slice(0, 500)} WHERE id = 1 AND reembedding_model = ${model}`;
}
