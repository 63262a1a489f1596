// Two real server processes on one PostgreSQL and one Redis count sign-in attempts together, as
// processes behind one proxy must: a guesser gains nothing by landing on the other process. Needs
// PostgreSQL (two processes cannot share an embedded database) and Redis; skipped, saying why, without them.
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, freshEmail, freshIp } from "./testing/http.ts";
import { type ServerProcess, startServerProcess } from "./testing/processes.ts";

const ACCOUNT_FAILURES = 5;
const IP_ATTEMPTS_PER_MINUTE = 10;
const redisUrl = process.env.REDIS_URL;
const missing = [process.env.DATABASE_URL ? null : "DATABASE_URL", redisUrl ? null : "REDIS_URL"].filter(Boolean);
const skipReason = missing.length ? ` (skipped: ${missing.join(" and ")} not set)` : "";

describe.skipIf(missing.length > 0)(`limits shared by two server processes${skipReason}`, () => {
  let db: TestDatabase;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    // Behind a trusted proxy, X-Forwarded-For is the client address: that is how addresses are chosen here.
    const env = { DATABASE_URL: db.url ?? "", REDIS_URL: redisUrl ?? "", TRUST_PROXY: "true" };
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop("SIGKILL")));
    await db?.close();
  });

  /** Alternates between the two processes, as a round-robin proxy would. */
  const processFor = (attempt: number) => servers[attempt % 2]!;

  it("the per-address limit counts attempts on both processes together", async () => {
    const ip = freshIp();
    for (let attempt = 1; attempt <= IP_ATTEMPTS_PER_MINUTE; attempt++) {
      const response = await new Browser(processFor(attempt).url, { ip }).signIn(freshEmail("guess"), "password123");
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    for (const server of servers) {
      expect((await new Browser(server.url, { ip }).signIn(freshEmail("guess"), "password123")).status).toBe(429);
    }
  });

  it("an account's failure budget is spent across both processes", async () => {
    const email = freshEmail("target");
    expect((await new Browser(servers[0]!.url, { ip: freshIp() }).signUp(email)).status).toBe(200);
    for (let attempt = 1; attempt <= ACCOUNT_FAILURES; attempt++) {
      const response = await new Browser(processFor(attempt).url, { ip: freshIp() }).signIn(email, `wrong ${attempt}`);
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    for (const server of servers) {
      const locked = await new Browser(server.url, { ip: freshIp() }).signIn(email);
      expect(locked.status).toBe(429);
      expect(await locked.json()).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
    }
  });
});
