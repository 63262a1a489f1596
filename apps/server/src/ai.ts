// Builds the AI runtime the API uses (provider from the configuration, the interaction log, live
// session streams, retrieval, the OCR pool) and its life cycle: the sweep of calls a crash left PENDING, missing
// knowledge embeddings, scheduled retention and overview rollups, and finishing or cancelling calls on shutdown.
import {
  type AiRuntime,
  createInteractionLog,
  createOcrPool,
  createKnowledgeRetriever,
  embedMissingChunks,
  type LocalInteractionLog,
  providerFromConfig,
  sentimentOf,
  SessionStreams,
  startRetentionSchedule,
  startRollupSchedule,
  sweepAbandonedInteractions,
} from "@lockstep/ai";
import { backgroundTasks } from "@lockstep/api";
import type { TConfig } from "@lockstep/config";
import type { Database } from "@lockstep/db";

export interface AiHost {
  runtime: AiRuntime;
  log: LocalInteractionLog;
  /** Lets replies still streaming finish for up to `graceMs`, then marks what is left CANCELLED. */
  shutdown(graceMs: number): Promise<{ waitedFor: number; cancelled: number }>;
}

const SYSTEM_CONTEXT = { userId: null, sessionId: null, ip: null, dataSource: "system" as const };

export async function startAi(
  db: Database,
  options: {
    embedded: boolean;
    log: (message: string) => void;
    /** The provider (OPENAI_*, AI_* timeouts and retries), the log's masking switch and default retention (AI_LOG_*), OCR workers. */
    config: Pick<TConfig, "ai" | "aiLog" | "ocr">;
  },
): Promise<AiHost> {
  const { config } = options;
  const provider = providerFromConfig(config.ai);
  const log = createInteractionLog(db, { maskingAllowed: config.aiLog.masking });
  // In embedded mode this process is the only writer, so every PENDING row is a crash's leftover.
  const swept = await sweepAbandonedInteractions(db, { allNotInFlight: options.embedded });
  if (swept) options.log(`marked ${swept} interrupted AI call(s) as aborted`);
  const embedded = await embedMissingChunks(db, provider, { logging: { log, context: SYSTEM_CONTEXT } });
  if (embedded.embedded)
    options.log(`embedded ${embedded.embedded} knowledge chunk(s) with ${provider.embeddingModel}`);
  // The admin overview's hourly rollups; hours not rolled up yet are read from the log itself.
  const rollups = startRollupSchedule(db);
  const retention = startRetentionSchedule(db, {
    defaultDays: config.aiLog.retentionDays,
    onResult: (deleted) => {
      if (deleted) options.log(`retention removed ${deleted} old AI interaction(s)`);
    },
  });

  const runtime: AiRuntime = {
    provider,
    log,
    streams: new SessionStreams(),
    retrieve: (query, retrieval) =>
      createKnowledgeRetriever(db, provider, { log, context: retrieval.context ?? SYSTEM_CONTEXT })(query, retrieval),
    sentimentOf,
    // Workers start on the first screenshot, so a server that never reads one never loads them.
    ocr: createOcrPool({ workers: config.ocr.workers }),
  };

  return {
    runtime,
    log,
    async shutdown(graceMs) {
      await retention.stop();
      await rollups.stop();
      const waitedFor = backgroundTasks.size;
      await backgroundTasks.settle(graceMs);
      const cancelled = await log.cancelInFlight("server shutting down");
      runtime.streams.close();
      // Tesseract's worker threads would otherwise keep the process alive.
      await runtime.ocr?.terminate();
      return { waitedFor, cancelled };
    },
  };
}
