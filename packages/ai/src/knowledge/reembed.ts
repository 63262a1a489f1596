// Re-embedding the knowledge base with a new default embedding model, batch by batch, beside the vectors search still uses; then the switch. Resumable: what is written is never computed again.
import {
  completeReembedding,
  type Database,
  findChunksToReembed,
  readReembeddingStateAsOwner,
  setPendingEmbeddings,
} from "@lockstep/db";
import type { AiProvider } from "../provider.ts";
import { EMBED_BATCH_SIZE, type EmbedLogging, embedTexts, vectorNorm } from "./embed.ts";

/** What the job needs of the model router: the default embedding's provider, current after a reload. */
export interface ReembeddingModels {
  readonly embeddingTarget: AiProvider;
  reload(): Promise<boolean>;
}

export interface ReembedOptions {
  batchSize?: number | undefined;
  logging?: EmbedLogging | undefined;
  /** Stops between batches (a shutdown); what was written stays, and the next run continues from it. */
  signal?: AbortSignal | undefined;
  /** After each written batch: the model and how many chunks it has written in this run. */
  onBatch?: ((progress: { model: string; written: number }) => void | Promise<void>) | undefined;
}

export type ReembedReport =
  | { status: "idle"; written: number }
  | { status: "switched"; from: string; model: string; written: number; chunks: number };

/**
 * Brings the knowledge base to the model the re-embedding state names, whatever change enqueued the
 * run: a change saved meanwhile is picked up at the next batch (the newer model wins, and vectors of
 * the older one are overwritten, never counted). Each batch reads chunks still without a vector
 * of the model, embeds them with no transaction open, and writes them in one statement, so a run cut
 * short anywhere (a crash, a restart) leaves only complete vectors, and the next run embeds only the
 * rest. When none is left, search switches to the new model in one transaction.
 */
export async function reembedKnowledge(
  db: Database,
  models: ReembeddingModels,
  options: ReembedOptions = {},
): Promise<ReembedReport> {
  const size = Math.max(1, options.batchSize ?? EMBED_BATCH_SIZE);
  let written = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const state = await readReembeddingStateAsOwner(db);
    if (!state.model) return { status: "idle", written };
    let embedder = models.embeddingTarget;
    if (embedder.embeddingModel !== state.model) {
      await models.reload();
      embedder = models.embeddingTarget;
    }
    if (embedder.embeddingModel !== state.model) {
      throw new Error(
        `knowledge re-embedding: the default embedding model is ${embedder.embeddingModel}, not ${state.model} as the re-embedding state says`,
      );
    }
    const model = state.model;
    const rows = await findChunksToReembed(db, model, size);
    if (rows.length === 0) {
      const done = await completeReembedding(db, model);
      if (done.switched) {
        // This process answers from the new vectors at once; others follow at their next model poll.
        await models.reload();
        return { status: "switched", from: done.from, model, written, chunks: done.chunks };
      }
      continue;
    }
    const vectors = await embedTexts(
      embedder,
      rows.map((row) => row.embeddingText),
      { batchSize: size, logging: options.logging, signal: options.signal, purpose: "knowledge_reembed" },
    );
    // A zero vector has no direction (nothing is similar to it): the chunk is done, without a vector.
    const count = await setPendingEmbeddings(
      db,
      rows.map((row, i) => {
        const embedding = vectors[i] ?? [];
        return { ...row, embedding: vectorNorm(embedding) > 0 ? embedding : null };
      }),
      model,
    );
    written += count;
    await options.onBatch?.({ model, written });
  }
}
