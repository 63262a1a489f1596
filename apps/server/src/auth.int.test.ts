// Accounts over real HTTP with real cookies: sign-up, who-am-I, sign-out and sign-in again, the
// cookie's attributes, how passwords are stored, uniform failures, and disabled accounts.
import { SESSION_CACHE_TTL_MS } from "@lockstep/api";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Browser,
  countRows,
  freshEmail,
  freshIp,
  hasProcedure,
  PASSWORD,
  startServer,
  type TestServer,
  type TrpcBody,
} from "./testing/http.ts";

const SESSION_COOKIE = "lockstep.session_token";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  // trustProxy lets every browser below have its own address, so the per-IP limiter never
  // turns one test's sign-ins into another test's 429.
  server = await startServer({ db, trustProxy: true });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

function browser(): Browser {
  return new Browser(server.url, { ip: freshIp() });
}

async function signedUp(): Promise<{ browser: Browser; email: string; id: string }> {
  const person = browser();
  const email = freshEmail();
  const response = await person.signUp(email);
  expect(response.status, await response.clone().text()).toBe(200);
  const body = (await response.json()) as { user: { id: string; email: string } };
  return { browser: person, email, id: body.user.id };
}

describe("sign-up, who am I, sign-out, sign-in", () => {
  it("keeps a person signed in by cookie until they sign out, and lets them back in", async () => {
    const { browser: person, email, id } = await signedUp();
    expect(person.jar.has(SESSION_COOKIE)).toBe(true);

    expect((await person.session())?.user).toMatchObject({ id, email });
    if (hasProcedure("auth.me")) {
      const me = await person.query("auth.me");
      expect(me.status).toBe(200);
      expect(me.body.result?.data).toMatchObject({ id, email, role: "user", disabled: false });
    }

    // Keep a copy, as an attacker who had stolen it would.
    const stolen = person.cookieHeader;
    const signOut = await person.signOut();
    expect(signOut.status, await signOut.clone().text()).toBe(200);
    expect(person.jar.has(SESSION_COOKIE)).toBe(false);

    // The session is gone on the server, not merely forgotten by this browser.
    const replay = new Browser(server.url, { ip: freshIp() });
    expect(
      (await replay.fetch("/api/auth/get-session", { headers: { cookie: stolen } }).then((r) => r.json())) as unknown,
    ).toBeNull();
    if (hasProcedure("auth.me")) {
      const me = await replay.fetch("/trpc/auth.me", { headers: { cookie: stolen } });
      expect(((await me.json()) as { result: { data: unknown } }).result.data).toBeNull();
    }
    expect(await person.session()).toBeNull();

    const signIn = await person.signIn(email);
    expect(signIn.status, await signIn.clone().text()).toBe(200);
    expect(person.cookieHeader).not.toBe(stolen);
    expect((await person.session())?.user).toMatchObject({ id, email });
    if (hasProcedure("auth.me")) {
      expect((await person.query("auth.me")).body.result?.data).toMatchObject({ id, email });
    }
  });

  it("keeps the session token out of reach of page scripts, and API answers out of caches", async () => {
    const person = browser();
    const signUp = await person.signUp(freshEmail());
    const body = (await signUp.json()) as Record<string, unknown>;
    expect(body).toHaveProperty("user");
    expect(body).not.toHaveProperty("token");
    expect(signUp.headers.get("cache-control")).toBe("no-store");
    const me = await person.fetch("/trpc/auth.me");
    expect(me.headers.get("cache-control")).toBe("no-store");
  });

  it("answers anonymous callers with no session rather than an error", async () => {
    const anonymous = browser();
    expect(await anonymous.session()).toBeNull();
    if (hasProcedure("auth.me")) {
      const me = await anonymous.query("auth.me");
      expect(me.status).toBe(200);
      expect(me.body.result?.data).toBeNull();
    }
  });

  it("sets an HttpOnly, SameSite=Lax session cookie that is not Secure over plain http", async () => {
    const { browser: person } = await signedUp();
    const cookie = person.setCookies.find((entry) => entry.name === SESSION_COOKIE);
    expect(cookie).toBeDefined();
    expect(cookie?.attributes.has("httponly")).toBe(true);
    expect(cookie?.attributes.get("samesite")?.toLowerCase()).toBe("lax");
    expect(cookie?.attributes.get("path")).toBe("/");
    // A Secure cookie would never come back over http, so local use would log people out at once.
    expect(cookie?.attributes.has("secure")).toBe(false);
  });

  it("marks the cookie Secure (and __Secure- prefixed) when the public URL is https", async () => {
    const secure = await startServer({ db, trustProxy: true, auth: { baseURL: "https://lockstep.example" } });
    try {
      const person = new Browser(secure.url, { origin: "https://lockstep.example", ip: freshIp() });
      const response = await person.signUp(freshEmail("secure"));
      expect(response.status, await response.clone().text()).toBe(200);
      const cookies = person.setCookies.filter((entry) => entry.name.endsWith(SESSION_COOKIE));
      expect(cookies.length).toBeGreaterThan(0);
      for (const cookie of cookies) {
        expect(cookie.name).toBe(`__Secure-${SESSION_COOKIE}`);
        expect(cookie.attributes.has("secure")).toBe(true);
        expect(cookie.attributes.has("httponly")).toBe(true);
        expect(cookie.attributes.get("samesite")?.toLowerCase()).toBe("lax");
      }
    } finally {
      await secure.close();
    }
  });
});

describe("password storage", () => {
  it("stores an argon2id PHC hash with OWASP's parameters, never the password", async () => {
    const { email } = await signedUp();
    const { rows } = await db.pool.query<{ password: string | null }>(
      `SELECT a.password FROM accounts a JOIN users u ON u.id = a.user_id WHERE u.email = $1 AND a.provider_id = 'credential'`,
      [email],
    );
    expect(rows).toHaveLength(1);
    const stored = rows[0]?.password ?? "";
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}$/);
    expect(stored).not.toContain(PASSWORD);
  });
});

describe("failed sign-ins", () => {
  it("answers an unknown email and a wrong password identically", async () => {
    const { email } = await signedUp();
    const wrong = await browser().signIn(email, "not the password at all");
    const unknown = await browser().signIn(freshEmail("nobody"), "not the password at all");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(wrong.status);
    const [wrongBody, unknownBody] = [await wrong.text(), await unknown.text()];
    expect(unknownBody).toBe(wrongBody);
    expect(JSON.parse(wrongBody)).toMatchObject({ code: "INVALID_EMAIL_OR_PASSWORD" });
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(unknown.headers.getSetCookie()).toEqual([]);
  });
});

describe("disabled accounts", () => {
  it("refuses a correct password with ACCOUNT_DISABLED, a wrong one like anyone's, and stops live cookies", async () => {
    const { browser: person, email, id } = await signedUp();
    const canRename = hasProcedure("user.updateProfile");
    const rename = (name: string) => person.postJson("/trpc/user.updateProfile", { name });
    if (canRename) {
      // The same cookie works before the account is disabled, so the refusal below is about disabling.
      const allowed = await rename("Before Disabling");
      expect(allowed.status, await allowed.clone().text()).toBe(200);
    }

    await db.pool.query("UPDATE users SET disabled_at = now() WHERE id = $1", [id]);
    const before = await countRows(db);

    const elsewhere = browser();
    const right = await elsewhere.signIn(email);
    expect(right.status).toBe(403);
    expect(await right.json()).toMatchObject({ code: "ACCOUNT_DISABLED" });
    expect(elsewhere.jar.size).toBe(0);

    // Only someone who knows the password learns that the account is disabled.
    const wrong = await browser().signIn(email, "not the password at all");
    const unknown = await browser().signIn(freshEmail("nobody"), "not the password at all");
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());

    expect((await countRows(db)).authSessions).toBe(before.authSessions);
    // Better Auth's own session endpoint agrees: a disabled account's live cookie is no session.
    expect(await person.session()).toBeNull();

    if (hasProcedure("auth.me")) {
      // Disabled behind the server's back (in the database), the cookie stops working once this
      // process's cached session runs out; session-cache.int.test.ts covers changes made through it.
      const disabledAt = Date.now();
      let me = await person.query("auth.me");
      while (me.body.result?.data !== null && Date.now() - disabledAt < SESSION_CACHE_TTL_MS + 1_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        me = await person.query("auth.me");
      }
      expect(me.status).toBe(200);
      expect(me.body.result?.data).toBeNull();
    }
    if (canRename) {
      const refused = await rename("After Disabling");
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as TrpcBody).error?.data.code).toBe("UNAUTHORIZED");
      const { rows } = await db.pool.query<{ name: string }>("SELECT name FROM users WHERE id = $1", [id]);
      expect(rows[0]?.name).toBe("Before Disabling");
    }
  });
});
