// The host over real HTTP: the health query answers plain JSON that any client can read, and the
// typed tRPC client gets the same answer through the shared AppRouter type.
import type { AddressInfo } from "node:net";
import type { AppRouter } from "@lockstep/api";
import { ZHealthDtoSchema } from "@lockstep/contracts";
import { migrationsOnDisk } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth } from "@lockstep/api";
import { buildApp } from "./app.ts";

let db: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildApp({
    db,
    auth: createAuth({ db, secret: "test-secret-test-secret-test-secret", trustedOrigins: [] }),
    server: { version: "9.9.9-test", expectedMigrations: await migrationsOnDisk() },
    bodyLimit: 1024,
    logger: false,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app.close();
  await db.close();
});

describe("HTTP host", () => {
  it("answers health as plain JSON with epoch-millisecond time", async () => {
    const before = Date.now();
    const response = await fetch(`${baseUrl}/trpc/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as { result: { data: unknown } };
    const health = ZHealthDtoSchema.parse(body.result.data);
    expect(health).toMatchObject({
      status: "ok",
      version: "9.9.9-test",
      database: { reachable: true, runtime: db.runtime, migrations: { pending: [], current: true } },
    });
    expect(health.database.migrations.applied).toBe((await migrationsOnDisk()).length);
    expect(typeof health.time).toBe("number");
    expect(health.time).toBeGreaterThanOrEqual(before);
  });

  it("serves the same answer to the typed client through the AppRouter type", async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${baseUrl}/trpc` })] });
    const health = await client.health.query();
    expect(health.status).toBe("ok");
    expect(health.database.runtime).toBe(db.runtime);
  });

  it("reports degraded, naming what is pending, when the database lacks a migration this build ships", async () => {
    const degraded = await buildApp({
      db,
      auth: createAuth({ db, secret: "test-secret-test-secret-test-secret", trustedOrigins: [] }),
      server: { version: "9.9.9-test", expectedMigrations: [...(await migrationsOnDisk()), "29990101000000_future"] },
      bodyLimit: 1024,
      logger: false,
    });
    try {
      const response = await degraded.inject({ method: "GET", url: "/trpc/health" });
      const health = ZHealthDtoSchema.parse(response.json<{ result: { data: unknown } }>().result.data);
      expect(health.status).toBe("degraded");
      expect(health.database.migrations).toMatchObject({ pending: ["29990101000000_future"], current: false });
    } finally {
      await degraded.close();
    }
  });

  it("echoes a request id and answers unknown paths with a JSON 404", async () => {
    const response = await fetch(`${baseUrl}/no/such/thing`, { headers: { "x-request-id": "req-123" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("x-request-id")).toBe("req-123");
    expect(await response.json()).toMatchObject({ error: "Not Found" });
  });

  it("answers an unknown procedure with a tRPC NOT_FOUND error, not a crash", async () => {
    const response = await fetch(`${baseUrl}/trpc/nope`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { data: { code: string } } };
    expect(body.error.data.code).toBe("NOT_FOUND");
  });
});
