// The host's guards over real HTTP: which origins may sign in and read the API, the body size
// limit (and that a refused body writes nothing), and request ids in responses and logs.
import { Writable } from "node:stream";
import { isUuid } from "@lockstep/contracts";
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
} from "./testing/http.ts";

const TRUSTED = "http://app.trusted.example";
const FOREIGN = "http://evil.example";
const BODY_LIMIT = 16 * 1024;

/** Every log line the server wrote, parsed. */
const logLines: Record<string, unknown>[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    for (const line of chunk.toString("utf8").split("\n"))
      if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
    callback();
  },
});

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({
    db,
    trustProxy: true,
    trustedOrigins: [TRUSTED],
    bodyLimit: BODY_LIMIT,
    logger: { level: "info", stream: logStream },
  });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

async function signedUp(): Promise<{ browser: Browser; email: string; id: string }> {
  const browser = new Browser(server.url, { ip: freshIp() });
  const email = freshEmail();
  const response = await browser.signUp(email);
  expect(response.status, await response.clone().text()).toBe(200);
  return { browser, email, id: ((await response.json()) as { user: { id: string } }).user.id };
}

// Better Auth skips its origin and CSRF checks whenever NODE_ENV=test or TEST is set (vitest sets
// TEST) unless advanced.disableOriginCheck is given, so these also prove the auth config pins it.
describe("origins", () => {
  it("refuses sign-up and sign-in from a foreign origin, and creates nothing", async () => {
    const { email } = await signedUp();
    const before = await countRows(db);
    const attacker = new Browser(server.url, { origin: FOREIGN, ip: freshIp() });

    const signUp = await attacker.signUp(freshEmail("foreign"));
    expect(signUp.status).toBe(403);
    expect(await signUp.json()).toMatchObject({ code: "INVALID_ORIGIN" });

    const signIn = await attacker.signIn(email);
    expect(signIn.status).toBe(403);
    expect(await signIn.json()).toMatchObject({ code: "INVALID_ORIGIN" });
    expect(signIn.headers.getSetCookie()).toEqual([]);
    expect(signIn.headers.get("access-control-allow-origin")).toBeNull();

    expect(await countRows(db)).toEqual(before);
  });

  it("refuses a sign-in that carries no Origin at all, as a cross-site form post would look", async () => {
    const { email } = await signedUp();
    const response = await new Browser(server.url, { origin: null, ip: freshIp() }).signIn(email);
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("lets a configured origin sign up and in, with CORS headers it can read", async () => {
    const partner = new Browser(server.url, { origin: TRUSTED, ip: freshIp() });
    const email = freshEmail("trusted");
    const signUp = await partner.signUp(email);
    expect(signUp.status, await signUp.clone().text()).toBe(200);
    expect(signUp.headers.get("access-control-allow-origin")).toBe(TRUSTED);
    expect(signUp.headers.get("access-control-allow-credentials")).toBe("true");

    await partner.signOut();
    const signIn = await partner.signIn(email);
    expect(signIn.status, await signIn.clone().text()).toBe(200);
    expect(partner.jar.size).toBeGreaterThan(0);
  });

  it("sends CORS headers on /trpc only to configured origins, varying the cache by Origin", async () => {
    const trusted = await fetch(`${server.url}/trpc/health`, { headers: { origin: TRUSTED } });
    expect(trusted.status).toBe(200);
    expect(trusted.headers.get("access-control-allow-origin")).toBe(TRUSTED);
    expect(trusted.headers.get("access-control-allow-credentials")).toBe("true");
    // The answer differs by Origin, so a shared cache must not hand one origin's answer to another.
    expect(trusted.headers.get("vary")?.toLowerCase()).toContain("origin");

    const foreign = await fetch(`${server.url}/trpc/health`, { headers: { origin: FOREIGN } });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    expect(foreign.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("answers a preflight for /trpc from a configured origin, and not from a foreign one", async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/trpc/auth.me`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    const trusted = await preflight(TRUSTED);
    expect(trusted.status).toBe(204);
    expect(trusted.headers.get("access-control-allow-origin")).toBe(TRUSTED);
    expect(trusted.headers.get("access-control-allow-credentials")).toBe("true");
    expect(trusted.headers.get("access-control-allow-methods")).toContain("POST");

    const foreign = await preflight(FOREIGN);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("body size limit", () => {
  const oversized = "x".repeat(BODY_LIMIT * 2);

  it("answers 413 to an oversized sign-up and creates no account", async () => {
    const before = await countRows(db);
    const browser = new Browser(server.url, { ip: freshIp() });
    const response = await browser.postJson("/api/auth/sign-up/email", {
      email: freshEmail("big"),
      password: PASSWORD,
      name: oversized,
    });
    expect(response.status).toBe(413);
    expect(await countRows(db)).toEqual(before);
  });

  it("answers 413 to an oversized JSON body on /trpc, before any procedure sees it", async () => {
    const mutation = hasProcedure("user.updateProfile") ? "user.updateProfile" : "health";
    const response = await new Browser(server.url, { ip: freshIp() }).postJson(`/trpc/${mutation}`, {
      name: oversized,
    });
    expect(response.status).toBe(413);
  });

  it.runIf(hasProcedure("user.updateProfile"))(
    "refuses an oversized profile update (JSON or multipart) and changes nothing",
    async () => {
      const { browser, id } = await signedUp();
      const nameOf = async () =>
        (await db.pool.query<{ name: string }>("SELECT name FROM users WHERE id = $1", [id])).rows[0]?.name;
      const before = { name: await nameOf(), counts: await countRows(db) };

      const json = await browser.postJson("/trpc/user.updateProfile", { name: `New ${oversized}` });
      expect(json.status).toBe(413);

      // tRPC's Fastify adapter hands multipart bodies over as a raw stream, outside Fastify's own limit.
      const form = new FormData();
      form.set("name", `New ${oversized}`);
      const multipart = await browser.fetch("/trpc/user.updateProfile", { method: "POST", body: form });
      expect(multipart.status).toBe(413);

      expect(await nameOf()).toBe(before.name);
      expect(await countRows(db)).toEqual(before.counts);

      // The same cookie and path work with a body inside the limit, so the 413s above were the limit.
      const small = await browser.postJson("/trpc/user.updateProfile", { name: "Renamed" });
      expect(small.status, await small.clone().text()).toBe(200);
      expect(await nameOf()).toBe("Renamed");
    },
  );

  it("answers 413 to an oversized multipart body on any /trpc path", async () => {
    const form = new FormData();
    form.set("file", new Blob([oversized]), "big.bin");
    const response = await new Browser(server.url, { ip: freshIp() }).fetch("/trpc/health", {
      method: "POST",
      body: form,
    });
    expect(response.status).toBe(413);
  });

  it("wants a length for multipart bodies, since tRPC would otherwise read an unbounded stream", async () => {
    const chunks = [oversized.slice(0, BODY_LIMIT), oversized.slice(BODY_LIMIT)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const { browser } = await signedUp();
    const response = await browser.fetch(
      hasProcedure("user.updateProfile") ? "/trpc/user.updateProfile" : "/trpc/health",
      {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=x" },
        body,
        duplex: "half",
      } as RequestInit,
    );
    expect(response.status).toBe(411);
  });

  it("still limits a chunked JSON body (Fastify's own limit)", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ name: oversized })));
        controller.close();
      },
    });
    const response = await new Browser(server.url, { ip: freshIp() }).fetch("/trpc/health", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });
});

describe("request ids", () => {
  it("echoes a well-formed request id and logs the request under it", async () => {
    const id = `trace-${Date.now()}.abc_1`;
    const response = await fetch(`${server.url}/trpc/health`, { headers: { "x-request-id": id } });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe(id);
    const lines = logLines.filter((line) => line.reqId === id);
    // One access line per request, with the path but never the query string (tRPC inputs travel there).
    expect(lines).toEqual([
      expect.objectContaining({ msg: "request completed", method: "GET", path: "/trpc/health", status: 200 }),
    ]);
    expect(typeof lines[0]?.ms).toBe("number");
  });

  it("replaces a malformed request id with a fresh one, in the response, the error body and the logs", async () => {
    const forged = 'bad id\twith"quotes';
    const response = await fetch(`${server.url}/trpc/no.such.procedure`, { headers: { "x-request-id": forged } });
    const id = response.headers.get("x-request-id");
    expect(isUuid(id)).toBe(true);
    expect(id).toBe(id?.toLowerCase());
    const body = (await response.json()) as { error: { data: { requestId?: string } } };
    expect(body.error.data.requestId).toBe(id);
    expect(logLines.some((line) => line.reqId === id)).toBe(true);
    expect(logLines.some((line) => line.reqId === forged)).toBe(false);

    const tooLong = await fetch(`${server.url}/trpc/health`, { headers: { "x-request-id": "a".repeat(129) } });
    expect(tooLong.headers.get("x-request-id")).not.toBe("a".repeat(129));
  });

  it("never writes passwords or session tokens into the logs", async () => {
    const { browser } = await signedUp();
    await browser.query("auth.me");
    const token = [...browser.jar.values()][0] ?? "";
    expect(token.length).toBeGreaterThan(10);
    const text = logLines.map((line) => JSON.stringify(line)).join("\n");
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(token.split(".")[0]);
  });
});
