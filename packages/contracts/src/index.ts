// Public entry of the contracts package: safe for browsers and servers alike (zod only).
export * from "./enums.ts";
export * from "./limits.ts";
export * from "./codecs.ts";
export * from "./errors.ts";
export * from "./pagination.ts";
export * from "./dto.ts";
export * from "./session-status.ts";
export * from "./conversations.ts";
export * from "./users.ts";
export * from "./ai.ts";
export * from "./characters.ts";
export * from "./knowledge.ts";
export * from "./interactions.ts";
export * from "./screenshots.ts";
export * from "./admin.ts";
export * from "./jobs.ts";
export * from "./models.ts";
