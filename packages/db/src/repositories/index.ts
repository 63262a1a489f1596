// Repositories: every Prisma query the API makes, each taking a scoped transaction (ScopedTx) first.
export * from "./admins.ts";
export * from "./audit.ts";
export * from "./users.ts";
export * from "./conversations.ts";
export * from "./message-tree.ts";
export * from "./characters.ts";
export * from "./engagements.ts";
export * from "./memories.ts";
export * from "./analysis.ts";
export * from "./knowledge.ts";
export * from "./ai-interactions/index.ts";
export * from "./ai-rollups.ts";
export * from "./admin.ts";
export * from "./uploads.ts";
export * from "./search.ts";
export * from "./models/index.ts";
export * from "./mail.ts";
