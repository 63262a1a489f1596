// admin.prices.update on a real database: a price edited in place is audited with its before and
// after; bad input (a negative or missing price, a bad pattern, an unknown id, a clash with another
// price of the pattern) is refused naming the field, and changes nothing and audits nothing.
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, errorOf, insertUser, type TestUser } from "../../../test/testing/callers.ts";

let db: TestDatabase;
let admin: TestUser;
let person: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await insertUser(db, { name: "Price Operator", role: "admin" });
  person = await insertUser(db, { name: "Plain Person" });
});
afterAll(async () => {
  await db?.close();
});

const operator = () => callerFor(db, admin);
/** The fields a refused input names, as the API's error formatter flattens them for clients. */
function fieldsOf(error: { cause: unknown }): Record<string, string[]> {
  const issues = (error.cause as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
  const out: Record<string, string[]> = {};
  for (const issue of issues) (out[issue.path.join(".")] ??= []).push(issue.message);
  return out;
}
const DAY = Date.UTC(2026, 0, 1);
const audits = async (id: string) =>
  (
    await db.pool.query<{ before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(
      `SELECT before, after FROM audit_log WHERE action = 'admin.prices.update' AND entity_id = $1 ORDER BY created_at`,
      [id],
    )
  ).rows;

describe("admin.prices.update", () => {
  it("edits a price in place and audits its before and after", async () => {
    const price = await operator().admin.prices.create({
      pattern: "edit-me-*",
      inputPerMillion: 1,
      outputPerMillion: 2,
      effectiveFrom: DAY,
    });
    const updated = await operator().admin.prices.update({
      id: price.id,
      pattern: "edit-me-*",
      inputPerMillion: 1.5,
      cachedInputPerMillion: 0.5,
      outputPerMillion: 3,
      effectiveFrom: DAY,
    });
    expect(updated).toMatchObject({
      id: price.id,
      inputPerMillion: 1.5,
      cachedInputPerMillion: 0.5,
      outputPerMillion: 3,
    });
    const listed = (await operator().admin.prices.list()).find((row) => row.id === price.id);
    expect(listed).toMatchObject({ inputPerMillion: 1.5, outputPerMillion: 3 });
    const [audit] = await audits(price.id);
    expect(audit?.before).toMatchObject({ inputPerMillion: 1, outputPerMillion: 2 });
    expect(audit?.after).toMatchObject({ inputPerMillion: 1.5, outputPerMillion: 3 });
  });

  it("refuses bad input naming the field, and changes and audits nothing", async () => {
    const price = await operator().admin.prices.create({
      pattern: "keep-me-*",
      inputPerMillion: 4,
      outputPerMillion: 8,
      effectiveFrom: DAY,
    });
    const other = await operator().admin.prices.create({
      pattern: "keep-me-*",
      inputPerMillion: 5,
      outputPerMillion: 9,
      effectiveFrom: DAY + 86_400_000,
    });
    const valid = { id: price.id, pattern: "keep-me-*", inputPerMillion: 4, outputPerMillion: 8, effectiveFrom: DAY };

    const negative = await errorOf(operator().admin.prices.update({ ...valid, outputPerMillion: -1 }));
    expect(negative.code).toBe("BAD_REQUEST");
    expect(fieldsOf(negative)).toEqual({ outputPerMillion: ["price must not be negative"] });

    const pattern = await errorOf(operator().admin.prices.update({ ...valid, pattern: "has spaces" }));
    expect(pattern.code).toBe("BAD_REQUEST");
    expect(Object.keys(fieldsOf(pattern))).toEqual(["pattern"]);

    const missing = await errorOf(
      operator().admin.prices.update({ ...valid, inputPerMillion: undefined as unknown as number }),
    );
    expect(missing.code).toBe("BAD_REQUEST");
    expect(Object.keys(fieldsOf(missing))).toEqual(["inputPerMillion"]);

    const badId = await errorOf(operator().admin.prices.update({ ...valid, id: "not-a-uuid" }));
    expect(badId.code).toBe("BAD_REQUEST");
    expect(Object.keys(fieldsOf(badId))).toEqual(["id"]);

    const unknown = await errorOf(
      operator().admin.prices.update({ ...valid, id: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(unknown.code).toBe("NOT_FOUND");

    // Moving it onto the moment the pattern's other price starts would make two prices of one moment.
    const clash = await errorOf(operator().admin.prices.update({ ...valid, effectiveFrom: other.effectiveFrom }));
    expect(clash.code).toBe("CONFLICT");
    expect((clash.cause as { details?: unknown }).details).toEqual({ field: "effectiveFrom" });

    const notOperator = await errorOf(callerFor(db, person).admin.prices.update(valid));
    expect(notOperator.code).toBe("FORBIDDEN");

    const listed = (await operator().admin.prices.list()).find((row) => row.id === price.id);
    expect(listed).toMatchObject({ pattern: "keep-me-*", inputPerMillion: 4, outputPerMillion: 8, effectiveFrom: DAY });
    expect(await audits(price.id)).toEqual([]);
  });
});
