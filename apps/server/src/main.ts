// Starts Lockstep: opens the database (PostgreSQL from DATABASE_URL, or the embedded one),
// migrates and seeds the embedded one, and serves API, web and admin on one port.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  appliedMigrations,
  applyMigrations,
  DEMO_ADMIN,
  DEMO_USER,
  migrationsOnDisk,
  openDatabase,
  REPO_ROOT,
  seedDatabase,
} from "@lockstep/db";
import { createAuth, StorageConfigError, storageFromEnv } from "@lockstep/api";
import { startAi } from "./ai.ts";
import { buildApp } from "./app.ts";
import { resolveAuthSecret } from "./secret.ts";
import { EnvError, readEnv } from "./env.ts";

/** How long requests in flight get to finish after SIGTERM/SIGINT. */
const SHUTDOWN_DEADLINE_MS = 15_000;

/**
 * The URL this server answers on, for Better Auth when PUBLIC_URL is unset: it builds redirects and
 * callbacks from its own URL and warns on start when it has none.
 */
function listenURL(host: string, port: number): string {
  const name = ["127.0.0.1", "0.0.0.0", "::", "::1"].includes(host) ? "localhost" : host;
  return `http://${name.includes(":") ? `[${name}]` : name}:${port}`;
}

async function main(): Promise<void> {
  const env = readEnv();
  const storage = storageFromEnv();
  const version =
    (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version?: string }).version ?? "0.0.0";
  const pretty = env.LOG_PRETTY ?? process.stdout.isTTY;
  const logger = {
    level: env.LOG_LEVEL,
    ...(pretty
      ? { transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss", ignore: "pid,hostname" } } }
      : {}),
  };

  const db = await openDatabase({ url: env.DATABASE_URL });
  const embedded = db.runtime === "pglite";
  const expectedMigrations = await migrationsOnDisk();
  if (embedded) {
    // The embedded database belongs to this process, so bring it up to date before serving.
    await applyMigrations(db);
  } else {
    const applied = await appliedMigrations(db);
    const pending = expectedMigrations.filter((name) => !applied.includes(name));
    if (pending.length)
      console.warn(`warning: ${pending.length} pending migration(s); run pnpm db:migrate (${pending.join(", ")})`);
  }
  const shouldSeed = env.SEED_ON_START ?? embedded;
  if (shouldSeed) await seedDatabase(db);

  const trustedOrigins = [...env.TRUSTED_ORIGINS, ...(env.PUBLIC_URL ? [new URL(env.PUBLIC_URL).origin] : [])];
  const auth = createAuth({
    db,
    secret: await resolveAuthSecret(env.BETTER_AUTH_SECRET),
    baseURL: env.PUBLIC_URL ?? listenURL(env.HOST, env.PORT),
    trustedOrigins,
  });
  const ai = await startAi(db, { embedded, log: (message) => console.log(message) });
  const app = await buildApp({
    db,
    ai: ai.runtime,
    auth,
    storage,
    trustedOrigins,
    trustProxy: env.TRUST_PROXY,
    server: { version, expectedMigrations },
    bodyLimit: env.BODY_LIMIT_BYTES,
    logger,
    apps: [
      { prefix: "/", root: path.join(REPO_ROOT, "apps/web/dist") },
      { prefix: "/admin/", root: path.join(REPO_ROOT, "apps/admin/dist") },
    ],
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down: no new connections, letting requests in flight finish");
    // Long-lived streams could keep close() waiting forever; give requests a deadline.
    const deadline = setTimeout(() => {
      app.log.warn({ signal }, "requests still running after the shutdown deadline; exiting anyway");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      // Replies still streaming get a few seconds to finish; what is left is logged CANCELLED.
      await ai.shutdown(SHUTDOWN_DEADLINE_MS / 3);
      await app.close();
    } finally {
      await db.close();
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  const address = await app.listen({ port: env.PORT, host: env.HOST });
  const url = address.replace("[::1]", "localhost").replace("127.0.0.1", "localhost");
  const lines = [
    "",
    `  Lockstep ${version} is running (${db.runtime === "pglite" ? "embedded database" : "PostgreSQL"}: ${db.location})`,
    `  Web app:   ${url}/`,
    `  Admin:     ${url}/admin/`,
    `  Health:    ${url}/trpc/health`,
    `  Uploads:   ${storage.location}`,
    `  AI:        ${ai.runtime.provider.kind === "builtin" ? "built-in offline provider (set OPENAI_BASE_URL/OPENAI_API_KEY for a model)" : `${ai.runtime.provider.chatModel} at ${ai.runtime.provider.baseUrl}`}`,
  ];
  if (shouldSeed)
    lines.push(
      `  Demo login: ${DEMO_USER.email} / ${DEMO_USER.password}   (admin: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password})`,
    );
  console.log(`${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof StorageConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
