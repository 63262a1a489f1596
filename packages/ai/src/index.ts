// Server-only entry of the AI package.
export * from "./provider.ts";
export * from "./log/types.ts";
