// Starts Lockstep: loads and validates the configuration before anything else, opens the database
// (PostgreSQL from DATABASE_URL, or the embedded one), migrates and seeds the embedded one, and
// serves API, web and admin on one port.
import { readFileSync } from "node:fs";
import path from "node:path";
import { AiConfigError, aiConfigFrom } from "@lockstep/ai";
import { createAuth, createMailer, storageFromConfig } from "@lockstep/api";
import { ConfigError, loadConfig } from "@lockstep/config";
import {
  appliedMigrations,
  applyMigrations,
  dataDir,
  DEMO_ADMIN,
  DEMO_USER,
  migrationsOnDisk,
  openDatabaseFromConfig,
  openJobQueue,
  REPO_ROOT,
  seedDatabase,
} from "@lockstep/db";
import { Redis } from "ioredis";
import { pino } from "pino";
import { startAi } from "./ai.ts";
import { buildApp } from "./app.ts";
import { resolveAuthSecret, resolveProviderKeySecret } from "./secret.ts";

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
  // First, before any file, database or port is touched: a bad variable stops the start here.
  const config = loadConfig();
  // The resilience defaults can still make the AI timeouts contradict each other; find out now too.
  aiConfigFrom(config.ai);
  const { server: env } = config;
  const dataDirectory = dataDir(config.database.dataDir);
  const storage = storageFromConfig(config.storage, dataDirectory);
  const version =
    (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version?: string }).version ?? "0.0.0";
  const pretty = env.logPretty ?? process.stdout.isTTY;
  const logger = {
    level: env.logLevel,
    ...(pretty
      ? { transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss", ignore: "pid,hostname" } } }
      : // Written without blocking the request that logged; lines logged together leave in one write,
        // and what is still buffered is flushed when the process exits.
        { stream: pino.destination({ dest: 1, sync: false }) }),
  };

  const db = await openDatabaseFromConfig(config.database);
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
  const shouldSeed = env.seedOnStart ?? embedded;
  if (shouldSeed) await seedDatabase(db);

  // One connection for what the processes share; the event bus opens its own for pub/sub.
  const redis = env.redisUrl ? new Redis(env.redisUrl, { maxRetriesPerRequest: 3 }) : null;
  const { publicUrl } = config.auth;
  const trustedOrigins = [...config.auth.trustedOrigins, ...(publicUrl ? [new URL(publicUrl).origin] : [])];
  const auth = createAuth({
    db,
    secret: await resolveAuthSecret(config.auth.secret, dataDirectory),
    baseURL: publicUrl ?? listenURL(env.host, env.port),
    trustedOrigins,
    redis,
    lockoutSeconds: config.auth.lockoutSeconds,
    resetExpiresSeconds: config.auth.resetExpiresSeconds,
    mailer: createMailer({
      db,
      smtpUrl: config.auth.smtpUrl,
      from: config.auth.mailFrom,
      log: (line) => console.log(line),
    }),
  });
  // The durable queue lives in the same database; the cron pass and upkeep run where jobs are worked.
  const worker = env.role !== "web";
  const queue = await openJobQueue(db, { schedule: worker, supervise: worker });
  const ai = await startAi(db, {
    embedded,
    config,
    redis,
    queue,
    worker,
    storage,
    providerKeySecret: await resolveProviderKeySecret(config.auth.providerKeySecret, dataDirectory),
    log: (message) => console.log(message),
  });
  const app = await buildApp({
    db,
    ai: ai.runtime,
    auth,
    storage,
    trustedOrigins,
    trustProxy: typeof env.trustProxy === "object" ? [...env.trustProxy] : env.trustProxy,
    server: { version, expectedMigrations },
    bodyLimit: env.bodyLimitBytes,
    dataDefaults: { retentionDays: config.aiLog.retentionDays },
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
      await queue.stop({ graceful: false, close: true }).catch(() => undefined);
      await redis?.quit().catch(() => undefined);
      await db.close();
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  const address = await app.listen({ port: env.port, host: env.host });
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
  // A configuration mistake is the operator's to fix: the message names the variables; a stack would bury it.
  if (error instanceof ConfigError || error instanceof AiConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
