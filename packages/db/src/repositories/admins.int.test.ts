// createOrPromoteAdmin (what `pnpm admin:create` runs) against a real database: a new admin with a working credential, a promotion, and the audit rows of both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../seed/passwords.ts";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";
import {
  createOrPromoteAdmin,
  GENERATED_PASSWORD_LENGTH,
  generatePassword,
  InvalidAdminEmailError,
  normaliseAdminEmail,
} from "./admins.ts";
import { listAuditEntries } from "./audit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function userCount(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
  return rows[0]?.n ?? 0;
}

describe("createOrPromoteAdmin", () => {
  it("creates an admin with a credential account whose generated password verifies", async () => {
    const result = await createOrPromoteAdmin(db, { email: "  New.Admin@Example.com ", name: " Nadia Admin " });
    if (result.outcome !== "created") throw new Error(`expected created, got ${result.outcome}`);
    expect(result.user).toMatchObject({
      email: "new.admin@example.com",
      name: "Nadia Admin",
      role: "admin",
      disabled: false,
    });
    expect(result.password).toHaveLength(GENERATED_PASSWORD_LENGTH);

    const { rows } = await db.pool.query<{ account_id: string; provider_id: string; password: string; role: string }>(
      `SELECT a.account_id, a.provider_id, a.password, u.role::text AS role FROM accounts a JOIN users u ON u.id = a.user_id WHERE u.id = $1`,
      [result.user.id],
    );
    expect(rows).toHaveLength(1);
    const account = rows[0]!;
    expect(account).toMatchObject({ account_id: result.user.id, provider_id: "credential", role: "ADMIN" });
    expect(account.password).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(account.password, result.password)).toBe(true);

    const audit = await listAuditEntries(db.prisma, { entityType: "user", entityId: result.user.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: null, action: "admin.create", before: null, after: result.user });
  });

  it("names a new admin after their address when no name is given", async () => {
    const result = await createOrPromoteAdmin(db, { email: "quiet@example.com" });
    expect(result.user.name).toBe("quiet");
  });

  it("promotes an existing account without touching its name or password, and says so when it already was one", async () => {
    await db.pool.query(
      `INSERT INTO users (id, name, email, updated_at) VALUES ('existing-user', 'Existing Person', 'existing@example.com', now())`,
    );
    await db.pool.query(
      `INSERT INTO accounts (id, user_id, account_id, provider_id, password, updated_at)
       VALUES ('existing-credential', 'existing-user', 'existing-user', 'credential', 'old-hash', now())`,
    );
    const result = await createOrPromoteAdmin(db, { email: "EXISTING@example.com", name: "Ignored" });
    expect(result).toMatchObject({
      outcome: "promoted",
      wasAdmin: false,
      user: { id: "existing-user", name: "Existing Person", role: "admin" },
    });
    const { rows } = await db.pool.query<{ password: string }>(
      `SELECT password FROM accounts WHERE user_id = 'existing-user'`,
    );
    expect(rows).toEqual([{ password: "old-hash" }]);

    const again = await createOrPromoteAdmin(db, { email: "existing@example.com" });
    expect(again).toMatchObject({ outcome: "promoted", wasAdmin: true });

    const audit = await listAuditEntries(db.prisma, { entityType: "user", entityId: "existing-user" });
    expect(audit.map((entry) => entry.action)).toEqual(["admin.promote", "admin.promote"]);
    // Both may carry the same millisecond, so they are told apart by content, not position.
    const promotion = audit.find((entry) => (entry.before as { role?: string }).role === "user");
    const repeat = audit.find((entry) => entry !== promotion);
    expect(promotion).toMatchObject({ actorId: null, before: { role: "user" }, after: { role: "admin" } });
    expect(repeat?.before).toEqual(repeat?.after);
  });

  it("refuses a malformed email and writes nothing", async () => {
    const before = await userCount();
    for (const email of ["", "not-an-email", "a@b", "two@@example.com", "spaces in@example.com"]) {
      await expect(createOrPromoteAdmin(db, { email })).rejects.toBeInstanceOf(InvalidAdminEmailError);
      expect(normaliseAdminEmail(email)).toBeNull();
    }
    expect(await userCount()).toBe(before);
  });
});

describe("generatePassword", () => {
  it("draws unambiguous characters and does not repeat itself", () => {
    const passwords = Array.from({ length: 50 }, () => generatePassword());
    for (const password of passwords) expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
    expect(new Set(passwords).size).toBe(50);
  });
});
