// Password guessing over real HTTP: one account from many addresses is locked after its failure
// budget, one address trying many accounts hits the per-IP limit, and a client cannot pick its own
// address. The limiters are the production ones, on in tests too.
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Browser, countRows, freshEmail, freshIp, startServer, type TestServer } from "./testing/http.ts";

/** createAuth's defaults, which these tests exercise unchanged. */
const ACCOUNT_FAILURES = 5;
const IP_ATTEMPTS_PER_MINUTE = 10;

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  // Behind a proxy we trust, X-Forwarded-For is the client address: that is how "many IPs" is simulated.
  server = await startServer({ db, trustProxy: true });
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

async function signUpFrom(target: TestServer): Promise<string> {
  const email = freshEmail("target");
  const response = await new Browser(target.url, { ip: freshIp() }).signUp(email);
  expect(response.status, await response.clone().text()).toBe(200);
  return email;
}

describe("one account, many addresses", () => {
  it("locks the account after its failure budget, refuses the right password too, and reopens after the window", async () => {
    // Time is faked (advancing with the real clock) so the 15-minute window can be skipped below;
    // the limiter's records are created under the fake clock, so they expire with it.
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"], shouldAdvanceTime: true });
    const email = await signUpFrom(server);

    for (let attempt = 1; attempt <= ACCOUNT_FAILURES; attempt++) {
      const response = await new Browser(server.url, { ip: freshIp() }).signIn(email, `wrong guess ${attempt}`);
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }

    const locked = await new Browser(server.url, { ip: freshIp() }).signIn(email, "yet another guess");
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });

    // The owner, from a fresh address and with the right password, waits like the guesser.
    const owner = new Browser(server.url, { ip: freshIp() });
    const refused = await owner.signIn(email);
    expect(refused.status).toBe(429);
    expect(owner.jar.size).toBe(0);
    // The lock is on the account, not on a spelling of its address.
    expect((await new Browser(server.url, { ip: freshIp() }).signIn(email.toUpperCase())).status).toBe(429);

    // Other accounts are untouched.
    const other = await signUpFrom(server);
    expect((await new Browser(server.url, { ip: freshIp() }).signIn(other)).status).toBe(200);

    vi.advanceTimersByTime(15 * 60 * 1000 + 1000);
    const reopened = await owner.signIn(email);
    expect(reopened.status, await reopened.clone().text()).toBe(200);
    expect(owner.jar.size).toBeGreaterThan(0);
  });

  it("clears an account's failures when its owner signs in, so they are not locked by old typos", async () => {
    const email = await signUpFrom(server);
    const ip = freshIp();
    for (let round = 0; round < 2; round++) {
      for (let attempt = 1; attempt < ACCOUNT_FAILURES; attempt++) {
        expect((await new Browser(server.url, { ip: freshIp() }).signIn(email, "typo")).status).toBe(401);
      }
      expect((await new Browser(server.url, { ip }).signIn(email)).status).toBe(200);
    }
  });
});

describe("one address, many accounts", () => {
  it("limits sign-in attempts per address, whatever accounts they name", async () => {
    const victim = await signUpFrom(server);
    const attacker = new Browser(server.url, { ip: freshIp() });
    for (let attempt = 1; attempt <= IP_ATTEMPTS_PER_MINUTE; attempt++) {
      const response = await attacker.signIn(freshEmail("guess"), "password123");
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    const limited = await attacker.signIn(freshEmail("guess"), "password123");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("x-retry-after"))).toBeGreaterThan(0);
    // Even a correct password is not checked from that address now.
    expect((await attacker.signIn(victim)).status).toBe(429);
    // Another address is unaffected.
    expect((await new Browser(server.url, { ip: freshIp() }).signIn(victim)).status).toBe(200);
  });

  it("limits sign-ups per address, and a refused sign-up creates nothing", async () => {
    const farm = new Browser(server.url, { ip: freshIp() });
    for (let attempt = 1; attempt <= IP_ATTEMPTS_PER_MINUTE; attempt++) {
      const response = await farm.postJson("/api/auth/sign-up/email", {
        email: freshEmail("farm"),
        password: "short",
        name: "x",
      });
      // Too-short passwords keep this fast; the limiter counts attempts, not successes.
      expect(response.status, `attempt ${attempt}`).toBe(400);
    }
    const before = await countRows(db);
    const limited = await farm.signUp(freshEmail("farm"));
    expect(limited.status).toBe(429);
    expect(await countRows(db)).toEqual(before);
  });
});

describe("the client address comes from the connection unless a proxy is trusted", () => {
  it("ignores X-Forwarded-For and a forged client-IP header from a direct client", async () => {
    const direct = await startServer({ db });
    try {
      for (let attempt = 1; attempt <= IP_ATTEMPTS_PER_MINUTE; attempt++) {
        const spoofer = new Browser(direct.url, { ip: freshIp() });
        const response = await spoofer.signIn(freshEmail("spoof"), "password123", {
          "x-lockstep-client-ip": freshIp(),
        });
        expect(response.status, `attempt ${attempt}`).toBe(401);
      }
      const limited = await new Browser(direct.url, { ip: freshIp() }).signIn(freshEmail("spoof"), "password123", {
        "x-lockstep-client-ip": freshIp(),
      });
      expect(limited.status).toBe(429);
    } finally {
      await direct.close();
    }
  });
});
