// Accounts over real HTTP: changing a password signs out the other sessions at once (the session
// cache included), a reset link from the outbox works once and not after it expires, and a locked
// sign-in says how long to wait and takes the right password once the wait is over.
import { createMailer } from "@lockstep/api";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Browser, freshEmail, freshIp, PASSWORD, startServer, type TestServer } from "./testing/http.ts";

const NEW_PASSWORD = "a brand new passphrase";
const log: string[] = [];

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({
    db,
    trustProxy: true,
    auth: { mailer: createMailer({ db, from: "Lockstep <no-reply@example.com>", log: (line) => log.push(line) }) },
  });
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

async function signedUp(): Promise<{ email: string; browser: Browser }> {
  const email = freshEmail("account");
  const browser = new Browser(server.url, { ip: freshIp() });
  expect((await browser.signUp(email)).status).toBe(200);
  return { email, browser };
}

async function signedIn(email: string, password = PASSWORD): Promise<Browser> {
  const browser = new Browser(server.url, { ip: freshIp() });
  const response = await browser.signIn(email, password);
  expect(response.status, await response.clone().text()).toBe(200);
  return browser;
}

async function me(browser: Browser): Promise<unknown> {
  const { status, body } = await browser.query("auth.me");
  expect(status).toBe(200);
  return body.result?.data;
}

/** The reset link in the newest outbox message to `email`. */
async function resetLinkFor(email: string): Promise<string> {
  const { rows } = await db.pool.query<{ body: string }>(
    "SELECT body FROM mail_outbox WHERE recipient = $1 ORDER BY created_at DESC LIMIT 1",
    [email],
  );
  const link = /https?:\/\/\S+\/api\/auth\/reset-password\/\S+/.exec(rows[0]?.body ?? "")?.[0];
  if (!link) throw new Error(`no reset link for ${email} in the outbox`);
  return link;
}

function requestReset(browser: Browser, email: string): Promise<Response> {
  return browser.postJson("/api/auth/request-password-reset", { email, redirectTo: "/reset-password" });
}

describe("change password", () => {
  it("needs the current password, and signs out every other session at once", async () => {
    const { email, browser: here } = await signedUp();
    const elsewhere = await signedIn(email);
    // Both sessions are looked up (and so cached in this process) before the change.
    expect(await me(here)).toMatchObject({ email });
    expect(await me(elsewhere)).toMatchObject({ email });

    const wrong = await here.postJson("/api/auth/change-password", {
      currentPassword: "not my password",
      newPassword: NEW_PASSWORD,
      revokeOtherSessions: true,
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ code: "INVALID_PASSWORD" });
    expect(await me(elsewhere)).toMatchObject({ email });

    const changed = await here.postJson("/api/auth/change-password", {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
      revokeOtherSessions: true,
    });
    expect(changed.status, await changed.clone().text()).toBe(200);
    // The other device is signed out on its very next request, not when the cache entry expires.
    expect(await me(elsewhere)).toBeNull();
    expect(await me(here)).toMatchObject({ email });
    expect((await new Browser(server.url, { ip: freshIp() }).signIn(email, PASSWORD)).status).toBe(401);
    await signedIn(email, NEW_PASSWORD);
  });
});

describe("forgot password", () => {
  it("mails a link through the outbox that works once and signs out every session", async () => {
    const { email, browser: stolen } = await signedUp();
    const visitor = new Browser(server.url, { ip: freshIp() });
    const asked = await requestReset(visitor, email);
    expect(asked.status, await asked.clone().text()).toBe(200);
    const link = await resetLinkFor(email);
    // Without SMTP the link is in the log too, for an operator of the embedded mode.
    expect(log.some((line) => line.includes(link))).toBe(true);

    // The link lands on the chat app's reset page with the token.
    const landed = await visitor.fetch(link, { redirect: "manual" });
    expect(landed.status).toBe(302);
    const target = new URL(landed.headers.get("location") ?? "", server.url);
    expect(target.pathname).toBe("/reset-password");
    const token = target.searchParams.get("token");
    expect(token).toBeTruthy();

    const reset = await visitor.postJson("/api/auth/reset-password", { token, newPassword: NEW_PASSWORD });
    expect(reset.status, await reset.clone().text()).toBe(200);
    expect(await me(stolen)).toBeNull();
    await signedIn(email, NEW_PASSWORD);

    // Once used, neither the token nor the link works again.
    const again = await visitor.postJson("/api/auth/reset-password", { token, newPassword: "yet another password" });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: "INVALID_TOKEN" });
    const relanded = await visitor.fetch(link, { redirect: "manual" });
    expect(new URL(relanded.headers.get("location") ?? "", server.url).searchParams.get("error")).toBe("INVALID_TOKEN");
    await signedIn(email, NEW_PASSWORD);
  });

  it("refuses a link after it expires", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    const { email } = await signedUp();
    const visitor = new Browser(server.url, { ip: freshIp() });
    expect((await requestReset(visitor, email)).status).toBe(200);
    const token = new URL(await resetLinkFor(email)).pathname.split("/").at(-1);

    vi.advanceTimersByTime(60 * 60 * 1000 + 1000);
    const late = await visitor.postJson("/api/auth/reset-password", { token, newPassword: NEW_PASSWORD });
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ code: "INVALID_TOKEN" });
    await signedIn(email, PASSWORD);
  });

  it("answers the same for an unknown address and mails nothing", async () => {
    const email = freshEmail("nobody");
    const response = await requestReset(new Browser(server.url, { ip: freshIp() }), email);
    expect(response.status).toBe(200);
    const { rows } = await db.pool.query("SELECT 1 FROM mail_outbox WHERE recipient = $1", [email]);
    expect(rows).toEqual([]);
  });

  it("lets an operator read the outbox, and nobody else", async () => {
    const { email } = await signedUp();
    expect((await requestReset(new Browser(server.url, { ip: freshIp() }), email)).status).toBe(200);

    const person = await signedIn(email);
    expect((await person.query("admin.mail.list", {})).status).toBe(403);

    const { email: operatorEmail } = await signedUp();
    await db.pool.query("UPDATE users SET role = 'ADMIN' WHERE email = $1", [operatorEmail]);
    const operator = await signedIn(operatorEmail);
    const { status, body } = await operator.query("admin.mail.list", { limit: 50 });
    expect(status).toBe(200);
    const page = body.result?.data as { items: { recipient: string; status: string; body: string | null }[] };
    const mail = page.items.find((item) => item.recipient === email);
    expect(mail).toMatchObject({ status: "logged" });
    expect(mail?.body).toContain("/api/auth/reset-password/");
  });
});

describe("sign-in lockout", () => {
  it("says how long to wait, and takes the right password once the wait is over", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"], shouldAdvanceTime: true });
    const { email } = await signedUp();
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await new Browser(server.url, { ip: freshIp() }).signIn(email, "guess")).status).toBe(401);
    }
    const locked = await new Browser(server.url, { ip: freshIp() }).signIn(email);
    expect(locked.status).toBe(429);
    const body = (await locked.json()) as { message: string; retryAfterSeconds: number };
    expect(body.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(body.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(body.message).toMatch(/Try again in 1[45] minutes\.$/);
    expect(locked.headers.get("retry-after")).toBe(String(body.retryAfterSeconds));

    // Ten minutes on, the wait said is five minutes shorter.
    vi.advanceTimersByTime(10 * 60 * 1000);
    const later = (await (await new Browser(server.url, { ip: freshIp() }).signIn(email)).json()) as {
      retryAfterSeconds: number;
    };
    expect(later.retryAfterSeconds).toBeLessThanOrEqual(5 * 60);

    vi.advanceTimersByTime(later.retryAfterSeconds * 1000 + 1000);
    await signedIn(email);
  });

  it("follows a shorter window where one is configured", async () => {
    const shortDb = await createTestDatabase();
    const short = await startServer({ db: shortDb, trustProxy: true, auth: { lockoutSeconds: 2 } });
    try {
      const email = freshEmail("short");
      expect((await new Browser(short.url, { ip: freshIp() }).signUp(email)).status).toBe(200);
      for (let attempt = 1; attempt <= 5; attempt++) {
        expect((await new Browser(short.url, { ip: freshIp() }).signIn(email, "guess")).status).toBe(401);
      }
      const locked = await new Browser(short.url, { ip: freshIp() }).signIn(email);
      expect(locked.status).toBe(429);
      expect(((await locked.json()) as { message: string }).message).toMatch(/Try again in [12] seconds?\.$/);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect((await new Browser(short.url, { ip: freshIp() }).signIn(email)).status).toBe(200);
    } finally {
      await short.close();
      await shortDb.close();
    }
  });
});
