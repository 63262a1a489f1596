// The conversations repositories (sessions, messages, collections) and their DTO mappers.
export * from "./collections.ts";
export * from "./conversation-dto.ts";
export * from "./messages.ts";
export * from "./sessions.ts";
