// health through createCaller against a real migrated database: current migrations are "ok",
// a migration this build ships but the database lacks makes it "degraded" and names it.
import { migrationsOnDisk } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../root.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

function caller(expectedMigrations: readonly string[]) {
  return createCaller({
    db,
    user: null,
    server: { version: "1.2.3", expectedMigrations },
    requestMeta: { requestId: "test", ip: "127.0.0.1", userAgent: null },
  });
}

describe("health", () => {
  it("is ok when every shipped migration is applied", async () => {
    const shipped = await migrationsOnDisk();
    const health = await caller(shipped).health();
    expect(health).toMatchObject({
      status: "ok",
      version: "1.2.3",
      database: {
        reachable: true,
        runtime: db.runtime,
        migrations: { applied: shipped.length, pending: [], current: true },
      },
    });
  });

  it("is degraded and names the missing migration otherwise", async () => {
    const health = await caller([...(await migrationsOnDisk()), "29990101000000_next"]).health();
    expect(health.status).toBe("degraded");
    expect(health.database.migrations.pending).toEqual(["29990101000000_next"]);
  });
});
