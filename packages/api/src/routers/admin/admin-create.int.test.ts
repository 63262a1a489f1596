// End to end for `pnpm admin:create`: the account it writes signs in through Better Auth with the printed password and is an operator to the API.
import { createOrPromoteAdmin } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAuth, resolveSessionUser } from "../../auth/auth.ts";
import { callerFor } from "../../../test/testing/callers.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

it("creates an admin who can sign in with the generated password and use admin.users", async () => {
  const created = await createOrPromoteAdmin(db, { email: "console.admin@example.com", name: "Console Admin" });
  if (created.outcome !== "created") throw new Error(`expected created, got ${created.outcome}`);

  const auth = createAuth({
    db,
    secret: "admin-create-test-secret-0123456789",
    baseURL: "http://localhost:3000",
    trustedOrigins: [],
  });
  const response = await auth.api.signInEmail({
    body: { email: "console.admin@example.com", password: created.password },
    headers: new Headers({ origin: "http://localhost:3000" }),
    asResponse: true,
  });
  expect(response.status).toBe(200);
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
  const user = await resolveSessionUser(auth, new Headers({ cookie }));
  expect(user).toMatchObject({
    id: created.user.id,
    email: "console.admin@example.com",
    name: "Console Admin",
    role: "admin",
  });

  const page = await callerFor(db, user).admin.users.list({ query: "console.admin", limit: 5 });
  expect(page.items.map((item) => item.id)).toEqual([created.user.id]);
});
