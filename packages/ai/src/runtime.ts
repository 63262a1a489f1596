// What the API needs from the AI layer at run time: one provider (already wrapped in its
// resilience policy), the interaction log, the live session streams, and retrieval.
import type { JobQueue } from "@lockstep/db";
import type { CallContext, InteractionLog } from "./log/types.ts";
import type { ModelRouter } from "./models/database-provider.ts";
import type { OcrEngine } from "./ocr/pool.ts";
import type { VisionReader } from "./ocr/vision.ts";
import type { AiProvider, GroundingChunk } from "./provider.ts";
import type { SessionEventBus } from "./streams/event-bus.ts";

export interface RetrievalOptions {
  limit: number;
  phase?: number | undefined;
  goal?: string | undefined;
  type?: string | undefined;
  /** On whose behalf the query is embedded (the embedding call is logged with it). */
  context?: CallContext | undefined;
}

export interface AiRuntime {
  provider: AiProvider;
  log: InteractionLog;
  streams: SessionEventBus;
  /** Knowledge chunks for a query, best first (embedding the query is itself a logged call). */
  retrieve(query: string, options: RetrievalOptions): Promise<GroundingChunk[]>;
  /** Sentiment of what people wrote, set on USER and CONTACT messages by an analysis. */
  sentimentOf?(text: string): "positive" | "negative" | "neutral";
  /** Reads screenshots (a pool of OCR workers); absent where no screenshot is ever read. */
  ocr?: OcrEngine;
  /** A vision model that reads screenshots too, to flag where it and OCR disagree (OPENAI_VISION_MODEL). */
  vision?: VisionReader | null;
  /** The durable job queue replies are enqueued on; absent only in tests of the API alone. */
  jobs?: JobQueue;
  /** Providers and defaults from the database (admin tool); absent where only the environment's provider is used. */
  models?: ModelRouter;
}
