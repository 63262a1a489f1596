// Server-only entry of the API package. Clients import `type AppRouter` from here and nothing else.
export { type AppRouter, appRouter, createCaller } from "./root.ts";
export {
  createInnerContext,
  type InnerContext,
  type RequestLike,
  type RequestMeta,
  requestMetaOf,
  type ServerInfo,
  type SessionUser,
} from "./context.ts";
export {
  type Auth,
  type AuthConfig,
  CLIENT_IP_HEADER,
  createAuth,
  RESET_PASSWORD_PAGE,
  resolveSessionUser,
} from "./auth/auth.ts";
export { createMailer, type Mailer, type MailMessage } from "./auth/mail.ts";
export { SESSION_CACHE_TTL_MS, SessionCache } from "./auth/session-cache.ts";
export { AppError } from "./errors.ts";
export { BackgroundTasks, backgroundTasks } from "./services/ai-flows.ts";
export { adminScope, userScope } from "./scopes.ts";
export {
  type BlobStorage,
  createLocalStorage,
  createS3Storage,
  StorageConfigError,
  storageFromConfig,
  storageFromEnv,
} from "./storage/index.ts";
export {
  checkScreenshotUpload,
  failScreenshotUpload,
  readScreenshotFile,
  uploadScreenshot,
} from "./services/screenshots.ts";
export { prepareQueues, startSessionWorker } from "./jobs/worker.ts";
export { scheduleMaintenance, startMaintenanceWorker, MAINTENANCE_TASKS } from "./jobs/maintenance.ts";
export { replyIdFor } from "./jobs/session-work-queue.ts";
export { enqueueReembedding, REEMBED_QUEUE, resumeReembedding, startReembedWorker } from "./jobs/knowledge-reembed.ts";
export { prepareUsageQueues, startUsageWorker, refreshRecentUsage } from "./jobs/usage.ts";
