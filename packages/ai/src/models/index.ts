// Models chosen in the database: the switchable provider, the model router, and key redaction.
export * from "./switchable.ts";
export * from "./database-provider.ts";
