// The router's first pass over search parameters: keeps the known keys with plain values and nothing
// else. It imports no schemas, so zod stays out of the first download; each page then parses its
// search fully (lib/interaction-search.ts, lib/list-search.ts) with the contracts' enums.
import type { InteractionSearch } from "./interaction-search.ts";
import type { SessionSearch, UserSearch } from "./list-search.ts";

function pick<T>(raw: Record<string, unknown>, keys: readonly string[]): T {
  const out: Record<string, string | number | boolean> = {};
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = value;
  }
  // The declared type is what the page's full parse guarantees; until then values are only primitives.
  return out as T;
}

const INTERACTION_KEYS = [
  "from",
  "to",
  "provider",
  "model",
  "status",
  "operation",
  "userId",
  "sessionId",
  "dataSource",
  "sort",
  "view",
] as const;
export const interactionSearchShape = (raw: Record<string, unknown>) => pick<InteractionSearch>(raw, INTERACTION_KEYS);
export const userSearchShape = (raw: Record<string, unknown>) => pick<UserSearch>(raw, ["query", "role", "disabled"]);
export const sessionSearchShape = (raw: Record<string, unknown>) =>
  pick<SessionSearch>(raw, ["userId", "query", "status", "type", "includeDeleted"]);
