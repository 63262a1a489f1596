// The health check: is the database reachable, are its migrations the ones this build ships.
import type { THealthDto } from "@lockstep/contracts";
import type { ServerInfo } from "../context.ts";
import type { AnonymousScope } from "../scopes.ts";

export async function checkHealth(scope: AnonymousScope, server: ServerInfo): Promise<THealthDto> {
  let reachable = true;
  let applied: string[] = [];
  try {
    applied = await scope.migrations();
  } catch {
    reachable = false;
  }
  const pending = server.expectedMigrations.filter((name) => !applied.includes(name));
  const current = reachable && pending.length === 0;
  return {
    status: current ? "ok" : "degraded",
    version: server.version,
    database: {
      reachable,
      runtime: scope.runtime,
      migrations: { applied: applied.length, pending, current },
    },
    time: Date.now(),
  };
}
