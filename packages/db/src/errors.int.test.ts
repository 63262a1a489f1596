// Database error classification against real errors: what a retry can fix, and what it cannot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTransientDatabaseError, isUniqueViolation } from "./errors.ts";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe("isTransientDatabaseError", () => {
  it.each([
    [{ code: "P1017" }, true],
    [{ code: "P2034" }, true],
    [{ meta: { driverAdapterError: { cause: { kind: "ConnectionClosed" } } } }, true],
    [{ cause: { originalCode: "40001" } }, true],
    [{ code: "57P01" }, true],
    [{ code: "08006" }, true],
    [Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), true],
    [new Error("Connection terminated unexpectedly"), true],
    [{ code: "P2002" }, false],
    [{ cause: { originalCode: "23505" } }, false],
    [new Error("syntax error at or near"), false],
    [null, false],
  ])("%j -> %s", (error, expected) => {
    expect(isTransientDatabaseError(error)).toBe(expected);
  });

  it("a real query error is not transient", async () => {
    const error = await db.prisma.$queryRaw`SELECT * FROM no_such_table`.catch((e: unknown) => e);
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});

describe("isUniqueViolation", () => {
  it("recognises a real duplicate key from Prisma and from raw SQL, and nothing else", async () => {
    const email = `dup-${Date.now()}@example.com`;
    await db.prisma.user.create({ data: { id: `u1-${email}`, name: "a", email } });
    const viaPrisma = await db.prisma.user
      .create({ data: { id: `u2-${email}`, name: "b", email } })
      .catch((e: unknown) => e);
    const viaPool = await db.pool
      .query(`INSERT INTO users (id, name, email, updated_at) VALUES ($1, 'c', $2, now())`, [`u3-${email}`, email])
      .catch((e: unknown) => e);
    expect(isUniqueViolation(viaPrisma)).toBe(true);
    expect(isUniqueViolation(viaPool)).toBe(true);
    expect(isUniqueViolation(new Error("syntax error"))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
