// The AI interaction log (docs/decisions/0001): the owner-side writes, retention, and the operators' reads (list, details, stats, overview, prompt groups, delete).
export type { AiInteractionFilters } from "./filters.ts";
export {
  ABORTED_ERROR_CODE,
  type AbandonedSweep,
  abortAbandonedAiInteractions,
  type AiInteractionFinish,
  beginAiInteraction,
  type BegunAiInteraction,
  finishAiInteraction,
  type LogJson,
  type NewAiInteraction,
} from "./log-writes.ts";
export {
  AI_LOG_RETENTION_DAYS_DEFAULT,
  aiLogRetentionDaysFromEnv,
  purgeAiInteractionsOlderThan,
  type RetentionOptions,
} from "./retention.ts";
export {
  aiInteractionDetailSelect,
  type AiInteractionDetailRow,
  type AiInteractionKey,
  type AiInteractionListQuery,
  deleteAiInteraction,
  getAiInteractionDetails,
  getRecentAiInteractions,
  listAiInteractions,
  toAiInteractionDetail,
} from "./list.ts";
export {
  aiInteractionOverview,
  type AiInteractionOverviewQuery,
  aiInteractionStats,
  type AiInteractionStatsQuery,
} from "./stats.ts";
export { type AiInteractionGroupKey, listAiInteractionGroups } from "./groups.ts";
