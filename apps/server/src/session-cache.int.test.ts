// The per-process session cache over real HTTP: a cookie is looked up once per cache lifetime and
// never for the health check; signing out, and an operator disabling, demoting or deleting someone,
// take effect on the next request of the process that made the change, and on another process
// within SESSION_CACHE_TTL_MS.
import { SESSION_CACHE_TTL_MS } from "@lockstep/api";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, freshEmail, freshIp, startServer, type TestServer } from "./testing/http.ts";

let db: TestDatabase;
let here: TestServer;
let elsewhere: TestServer;
/** Better Auth session lookups made by `here`, counted by wrapping its getSession. */
let lookups = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  // Two servers on one database, as two processes behind a load balancer; each has its own cache.
  here = await startServer({ db, trustProxy: true });
  elsewhere = await startServer({ db, trustProxy: true });
  const getSession = here.auth.api.getSession.bind(here.auth.api);
  here.auth.api.getSession = ((...args: Parameters<typeof getSession>) => {
    lookups += 1;
    return getSession(...args);
  }) as typeof getSession;
});

afterAll(async () => {
  await here?.close();
  await elsewhere?.close();
  await db?.close();
});

interface Person {
  id: string;
  /** The same cookie, presented to each server. */
  here: Browser;
  elsewhere: Browser;
}

async function signedUp(role: "USER" | "ADMIN" = "USER"): Promise<Person> {
  const browser = new Browser(here.url, { ip: freshIp() });
  const email = freshEmail();
  const response = await browser.signUp(email);
  expect(response.status, await response.clone().text()).toBe(200);
  const { user } = (await response.json()) as { user: { id: string } };
  if (role === "ADMIN") await db.pool.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [user.id]);
  const other = new Browser(elsewhere.url, { ip: freshIp() });
  for (const [name, value] of browser.jar) other.jar.set(name, value);
  return { id: user.id, here: browser, elsewhere: other };
}

async function sessionsStatus(browser: Browser): Promise<number> {
  return (await browser.query("session.list", {})).status;
}

/** Polls until `browser` is refused; resolves with how long that took, or the deadline passed. */
async function refusedWithin(browser: Browser, deadlineMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    if ((await sessionsStatus(browser)) === 401) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Number.POSITIVE_INFINITY;
}

describe("looking sessions up", () => {
  it("looks a cookie up once for many requests, and never for the health check or anonymous callers", async () => {
    const person = await signedUp();
    const before = lookups;
    const statuses = await Promise.all(Array.from({ length: 10 }, () => sessionsStatus(person.here)));
    expect(statuses).toEqual(Array(10).fill(200));
    expect((await person.here.query("auth.me")).body.result?.data).toMatchObject({ id: person.id });
    expect(lookups - before).toBe(1);

    const health = await person.here.fetch("/trpc/health");
    expect(health.status).toBe(200);
    const anonymous = await fetch(`${here.url}/trpc/auth.me`);
    expect(((await anonymous.json()) as { result: { data: unknown } }).result.data).toBeNull();
    expect(lookups - before).toBe(1);
  });
});

describe("changes made through this process take effect on its next request", () => {
  it("signing out stops the cookie at once, even for a copy of it", async () => {
    const person = await signedUp();
    expect(await sessionsStatus(person.here)).toBe(200);
    const stolen = person.here.cookieHeader;
    expect((await person.here.signOut()).status).toBe(200);
    const replay = await person.here.fetch("/trpc/session.list?input=%7B%7D", { headers: { cookie: stolen } });
    expect(replay.status).toBe(401);
  });

  it("an operator disabling someone refuses their next request, and re-enabling lets them back", async () => {
    const admin = await signedUp("ADMIN");
    const person = await signedUp();
    expect(await sessionsStatus(person.here)).toBe(200);

    const disable = await admin.here.postJson("/trpc/admin.users.setDisabled", { id: person.id, disabled: true });
    expect(disable.status, await disable.clone().text()).toBe(200);
    expect(await sessionsStatus(person.here)).toBe(401);

    const enable = await admin.here.postJson("/trpc/admin.users.setDisabled", { id: person.id, disabled: false });
    expect(enable.status).toBe(200);
    expect(await sessionsStatus(person.here)).toBe(200);
  });

  it("a demoted operator loses the admin tool on their next request", async () => {
    const admin = await signedUp("ADMIN");
    const other = await signedUp("ADMIN");
    expect((await other.here.query("admin.users.list", {})).status).toBe(200);
    const demote = await admin.here.postJson("/trpc/admin.users.setRole", { id: other.id, role: "user" });
    expect(demote.status, await demote.clone().text()).toBe(200);
    expect((await other.here.query("admin.users.list", {})).status).toBe(403);
  });

  it("a deleted account's cookie stops working at once", async () => {
    const admin = await signedUp("ADMIN");
    const person = await signedUp();
    expect(await sessionsStatus(person.here)).toBe(200);
    const removal = await admin.here.postJson("/trpc/admin.users.delete", { id: person.id });
    expect(removal.status, await removal.clone().text()).toBe(200);
    expect(await sessionsStatus(person.here)).toBe(401);
  });
});

describe("changes made elsewhere", () => {
  it(`take effect on another process within the cache lifetime (${SESSION_CACHE_TTL_MS} ms)`, async () => {
    const admin = await signedUp("ADMIN");
    const person = await signedUp();
    // The other process has the session cached.
    expect(await sessionsStatus(person.elsewhere)).toBe(200);

    const disable = await admin.here.postJson("/trpc/admin.users.setDisabled", { id: person.id, disabled: true });
    expect(disable.status).toBe(200);
    expect(await sessionsStatus(person.here)).toBe(401);

    const took = await refusedWithin(person.elsewhere, SESSION_CACHE_TTL_MS + 2_000);
    expect(took).toBeLessThanOrEqual(SESSION_CACHE_TTL_MS + 1_000);
  });

  it("a session signed out on one process stops on the other within the cache lifetime", async () => {
    const person = await signedUp();
    expect(await sessionsStatus(person.elsewhere)).toBe(200);
    expect((await person.here.signOut()).status).toBe(200);
    const took = await refusedWithin(person.elsewhere, SESSION_CACHE_TTL_MS + 2_000);
    expect(took).toBeLessThanOrEqual(SESSION_CACHE_TTL_MS + 1_000);
  });
});
