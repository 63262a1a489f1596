// What each kind of procedure can reach: public ones no raw database, only the anonymous scope
// (lockstep_app with no user) and, when signed in, the person's own scope.
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "./context.ts";
import { createCallerFactory, publicProcedure, router } from "./trpc.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const probe = router({
  whoAmI: publicProcedure.query(async ({ ctx }) => {
    const [anonymous] = await ctx.anonymousDb.run(
      (tx) => tx.$queryRaw<{ role: string; user_id: string }[]>`
        SELECT current_user AS role, current_setting('app.user_id', true) AS user_id`,
    );
    return { hasDb: ctx.db !== undefined, anonymous, userScope: ctx.userDb?.userId ?? null };
  }),
});
const callerOf = createCallerFactory(probe);
const context = (user: SessionUser | null) => ({
  db,
  user,
  server: { version: "test", expectedMigrations: [] },
  requestMeta: { requestId: "test", ip: null, userAgent: null },
});

describe("publicProcedure", () => {
  it("reads as lockstep_app with no user and never sees the owner's database handle", async () => {
    expect(await callerOf(context(null)).whoAmI()).toEqual({
      hasDb: false,
      anonymous: { role: "lockstep_app", user_id: "" },
      userScope: null,
    });
  });

  it("adds the person's own scope when signed in, and the anonymous scope stays anonymous", async () => {
    const user: SessionUser = { id: "someone", email: "s@example.com", name: "S", role: "user", authSessionId: null };
    expect(await callerOf(context(user)).whoAmI()).toEqual({
      hasDb: false,
      anonymous: { role: "lockstep_app", user_id: "" },
      userScope: "someone",
    });
  });
});
