// `health`: is the database reachable, are its migrations the ones this build ships, which version.
import { ZHealthDtoSchema } from "@lockstep/contracts";
import { appliedMigrations } from "@lockstep/db";
import { publicProcedure } from "../trpc.ts";

export const healthProcedure = publicProcedure.output(ZHealthDtoSchema).query(async ({ ctx }) => {
  const { db, server } = ctx;
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
});
