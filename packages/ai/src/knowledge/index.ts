// The knowledge base's AI side: ingestion with embeddings, filling in missing vectors, re-embedding for a new model, and retrieval.
export { EMBED_BATCH_SIZE, type EmbedLogging, embedTexts, type EmbedTextsOptions, vectorNorm } from "./embed.ts";
export {
  compareVersions,
  embedMissingChunks,
  type EmbedMissingOptions,
  type EmbedMissingReport,
  ingestKnowledgeFile,
  type IngestKnowledgeOptions,
} from "./ingest.ts";
export {
  type KnowledgeReader,
  type KnowledgeWriteScope,
  ownerKnowledgeScope,
  type TransactionRunner,
} from "./scope.ts";
export {
  createKnowledgeRetriever,
  type KnowledgeSearchOutcome,
  type KnowledgeSearchQuery,
  searchKnowledge,
  type SearchKnowledgeOptions,
} from "./search.ts";
export { reembedKnowledge, type ReembeddingModels, type ReembedOptions, type ReembedReport } from "./reembed.ts";
