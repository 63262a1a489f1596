// The health check: is the database reachable, are its migrations the ones this build ships.
import type { THealthDto } from "@lockstep/contracts";
import { appliedMigrations, type Database } from "@lockstep/db";
import type { ServerInfo } from "../context.ts";

export async function checkHealth(db: Database, server: ServerInfo): Promise<THealthDto> {
  let reachable = true;
  let applied: string[] = [];
  try {
    applied = await appliedMigrations(db);
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
      runtime: db.runtime,
      migrations: { applied: applied.length, pending, current },
    },
    time: Date.now(),
  };
}
