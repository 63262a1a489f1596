// Admin tool benchmark: 1,000,000 AI interactions over 30 days (several providers, models and operations, some failures, skewed prompt popularity), rolled up as the server's job does, then the time of admin.interactions.overview for 24 h / 7 d / 30 d, the first page of admin.interactions.list (newest first and slowest first, with and without "errors of one model") and the first page of admin.interactions.groups, each through tRPC's createCaller as an operator, with a summary of PostgreSQL's plan.
// Uses DATABASE_URL when set (a fresh database is made beside it; the named one is not touched), the embedded PGlite otherwise.
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createAuth } from "@lockstep/api";
import { callerFor } from "@lockstep/api/testing";
import { migrationsOnDisk } from "@lockstep/db";
import { buildApp } from "@lockstep/server/app";
import { Prisma, refreshAiInteractionRollups, withAdmin } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { median, timeRuns } from "./timing.ts";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 1000;
const DAY = 86_400_000;

/** Who answers what: (provider, model, operation, share of calls, typical latency in ms). */
const MIX = [
  ["openai", "gpt-4o-mini", "REPLY", 30, 900],
  ["openai", "gpt-4o", "SUGGEST", 15, 2500],
  ["openai", "text-embedding-3-small", "EMBED", 20, 120],
  ["azure", "gpt-4o", "REPLY", 10, 1400],
  ["azure", "gpt-4o", "MEMORY", 5, 1800],
  ["builtin", "builtin-chat", "REPLY", 10, 40],
  ["builtin", "builtin-embed", "EMBED", 5, 5],
  ["builtin", "tesseract", "OCR", 5, 1100],
] as const;

async function seed(db: TestDatabase, now: number): Promise<void> {
  await db.pool.query(
    `INSERT INTO providers (name, kind, updated_at) VALUES ('openai', 'OPENAI_COMPATIBLE', now()), ('azure', 'OPENAI_COMPATIBLE', now()), ('builtin', 'BUILTIN', now())`,
  );
  // The mix as a table of cumulative shares, so each generated row picks its kind of call in SQL.
  const total = MIX.reduce((sum, [, , , share]) => sum + share, 0);
  let cumulative = 0;
  const values = MIX.map(([provider, model, operation, share, latency], index) => {
    const lower = cumulative;
    cumulative += share / total;
    // The last range ends above 1, so random() (always below 1) always lands in one.
    return `('${provider}', '${model}', '${operation}', ${lower}, ${index === MIX.length - 1 ? 2 : cumulative}, ${latency})`;
  }).join(", ");
  await db.pool.query(`
    CREATE TEMP TABLE mix (provider text, model text, operation text, lower float8, upto float8, latency int);
    INSERT INTO mix VALUES ${values};`);
  // One INSERT ... SELECT over generate_series: a pick of the mix, a status (2% errors, 0.5%
  // timeouts, a few pending in the last hour), a log-normal latency around the model's typical one,
  // tokens, and a prompt hash whose popularity is skewed (some prompts are asked very often).
  await db.pool.query(
    `INSERT INTO ai_interactions (provider_id, model_name, operation, prompt_text, prompt_hash, request, status, latency_ms,
                                  time_to_first_token_ms, input_tokens, output_tokens, error_code, data_source, created_at, updated_at)
     SELECT p.id, m.model, m.operation::"AiOperation", 'prompt ' || h.hash, h.hash, '{}'::jsonb, s.status::"AiInteractionStatus",
            CASE WHEN s.status = 'PENDING' THEN NULL ELSE l.latency END,
            CASE WHEN s.status = 'SUCCESS' AND m.operation IN ('REPLY', 'SUGGEST', 'MEMORY') THEN (l.latency * (0.1 + 0.3 * r.r3))::int END,
            CASE WHEN s.status = 'PENDING' THEN NULL ELSE (50 + 3000 * r.r4 * r.r4)::int END,
            CASE WHEN s.status = 'SUCCESS' AND m.operation <> 'EMBED' THEN (20 + 800 * r.r3)::int END,
            CASE s.status WHEN 'ERROR' THEN 'upstream_error' WHEN 'TIMEOUT' THEN 'timeout' END,
            'WEB', t.at, t.at
       FROM generate_series(1, $1::int) g
       -- Referencing g makes the subquery run per row; uncorrelated, PostgreSQL would draw once for all.
       CROSS JOIN LATERAL (SELECT random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, g AS n) r
       JOIN mix m ON r.r1 >= m.lower AND r.r1 < m.upto
       JOIN providers p ON p.name = m.provider
       CROSS JOIN LATERAL (SELECT to_timestamp($2::float8 / 1000) - (r.r2 * interval '30 days') AS at) t
       CROSS JOIN LATERAL (SELECT CASE WHEN r.r5 < 0.02 THEN 'ERROR' WHEN r.r5 < 0.025 THEN 'TIMEOUT'
                                       WHEN r.r2 < 0.0014 AND r.r5 < 0.1 THEN 'PENDING' ELSE 'SUCCESS' END AS status) s
       CROSS JOIN LATERAL (SELECT GREATEST(1, (m.latency * exp(0.6 * sqrt(-2 * ln(1 - r.r3)) * cos(2 * pi() * r.r6) ))::int) AS latency) l
       CROSS JOIN LATERAL (SELECT 'h' || floor(20000 * power(r.r4, 3))::int AS hash) h`,
    [ROWS, now],
  );
  // What autovacuum does to a table after a bulk insert; it also lets index-only scans skip the heap.
  await db.pool.query("VACUUM ANALYZE ai_interactions");
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Sort Method"?: string;
  "Sort Space Type"?: string;
  Plans?: PlanNode[];
}

/** The plan in one line: execution time, the nodes that touch the table, and any sort that spilled to disk. */
function summarise(plan: { Plan: PlanNode; "Execution Time": number }): string {
  const parts: string[] = [];
  const walk = (node: PlanNode) => {
    if (node["Index Name"]) parts.push(`${node["Node Type"]} ${node["Index Name"]}`);
    else if (node["Relation Name"]) parts.push(`${node["Node Type"]} ${node["Relation Name"]}`);
    if (node["Sort Space Type"] === "Disk") parts.push(`${node["Node Type"]} on disk`);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan.Plan);
  return `${plan["Execution Time"].toFixed(0)} ms in PostgreSQL; ${[...new Set(parts)].join(", ")}`;
}

/**
 * Runs `work` as an operator with every raw query it makes also run under EXPLAIN ANALYZE (in the
 * same transaction, so settings such as work_mem apply), and returns the summaries.
 */
async function explain(db: TestDatabase, work: (tx: Prisma.TransactionClient) => Promise<unknown>): Promise<string[]> {
  const summaries: string[] = [];
  await withAdmin(
    db,
    async (tx) => {
      const spy = new Proxy(tx, {
        get(target, prop, receiver) {
          if (prop !== "$queryRaw") return Reflect.get(target, prop, receiver);
          return async (first: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
            // Called as a tagged template or with a ready Prisma.sql fragment.
            const sql = first instanceof Prisma.Sql ? first : Prisma.sql(first, ...values);
            const rows = await target.$queryRawUnsafe<
              { "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number }] }[]
            >(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql.text}`, ...sql.values);
            const plan = rows[0]?.["QUERY PLAN"][0];
            if (plan) summaries.push(summarise(plan));
            return target.$queryRaw(sql);
          };
        },
      });
      await work(spy);
    },
    { timeoutMs: 120_000 },
  );
  return summaries;
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  try {
    const now = Date.now();
    console.log(
      `runtime: ${db.runtime}; ${ROWS.toLocaleString()} ai_interactions over 30 days; ${RUNS} runs per figure (median)`,
    );
    const started = Date.now();
    await seed(db, now);
    console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // What the server's rollup job does at start and every 10 minutes.
    const rollupStarted = Date.now();
    const window = await refreshAiInteractionRollups(db, { now: new Date(now) });
    const rollupRows = await db.pool.query<{ n: number }>(
      "SELECT (SELECT count(*) FROM ai_interaction_rollups) + (SELECT count(*) FROM ai_interaction_ttft_rollups) AS n",
    );
    console.log(
      `rolled up ${window ? `${window.from.toISOString()} .. ${window.until.toISOString()}` : "nothing"} into ${Number(rollupRows.rows[0]?.n).toLocaleString()} rows in ${((Date.now() - rollupStarted) / 1000).toFixed(1)} s`,
    );

    const adminId = "bench-admin";
    await db.pool.query(
      `INSERT INTO users (id, name, email, role, updated_at) VALUES ($1, 'Bench Admin', 'bench-admin@example.com', 'ADMIN', now())`,
      [adminId],
    );
    const caller = callerFor(db, {
      id: adminId,
      email: "bench-admin@example.com",
      name: "Bench Admin",
      role: "admin",
      authSessionId: null,
    });
    const { aiInteractionOverview, listAiInteractions, listAiInteractionGroups } = await import("@lockstep/db");

    const errorsOfOneModel = { model: "gpt-4o", status: "error" as const };
    const to = now;
    const cases: {
      name: string;
      run: () => Promise<unknown>;
      plan: (tx: Prisma.TransactionClient) => Promise<unknown>;
    }[] = [];
    for (const [label, span, bucket] of [
      ["24 h", DAY, "hour"],
      ["7 d", 7 * DAY, "hour"],
      ["30 d", 30 * DAY, "day"],
    ] as const) {
      cases.push({
        name: `overview ${label} (${bucket})`,
        run: () => caller.admin.interactions.overview({ from: to - span, to }),
        plan: (tx) => aiInteractionOverview(tx, { from: new Date(to - span), to: new Date(to), bucket }),
      });
    }
    for (const sort of ["created_at", "latency"] as const) {
      cases.push({
        name: `list first page, sort ${sort}`,
        run: () => caller.admin.interactions.list({ sort, limit: 50 }),
        plan: (tx) => listAiInteractions(tx, { sort, limit: 50 }),
      });
      cases.push({
        name: `list first page, sort ${sort}, errors of gpt-4o`,
        run: () => caller.admin.interactions.list({ sort, limit: 50, ...errorsOfOneModel }),
        plan: (tx) => listAiInteractions(tx, { sort, limit: 50, model: "gpt-4o", status: "error" }),
      });
    }
    for (const [label, span] of [
      ["24 h", DAY],
      ["30 d", 30 * DAY],
    ] as const) {
      cases.push({
        name: `groups first page, ${label}`,
        run: () => caller.admin.interactions.groups({ from: to - span, to, limit: 50 }),
        plan: (tx) => listAiInteractionGroups(tx, { from: new Date(to - span), to: new Date(to), limit: 50 }),
      });
    }

    const width = Math.max(...cases.map((c) => c.name.length));
    let slow = 0;
    for (const entry of cases) {
      const times = await timeRuns(RUNS, entry.run, 1);
      const ms = median(times);
      if (ms >= TARGET_MS) slow += 1;
      const plans = await explain(db, entry.plan);
      console.log(
        `${entry.name.padEnd(width)}  ${ms.toFixed(0).padStart(6)} ms  ${ms < TARGET_MS ? "ok " : "SLOW"}  plan: ${plans.join(" | ")}`,
      );
    }
    console.log(
      slow
        ? `${slow} of ${cases.length} over the ${TARGET_MS} ms target`
        : `all ${cases.length} under the ${TARGET_MS} ms target`,
    );
    await exportMemory(db);
  } finally {
    await db.close();
  }
}

/**
 * The export of every row as CSV over real HTTP from a server in this process, with the process's
 * heap and RSS sampled while it streams: flat memory means the rows never sit in memory together.
 */
async function exportMemory(db: TestDatabase): Promise<void> {
  const auth = createAuth({
    db,
    secret: "bench-secret-bench-secret-bench-secret",
    trustedOrigins: [],
    ipAttemptsPerMinute: 1000,
  });
  const app = await buildApp({
    db,
    auth,
    server: { version: "bench", expectedMigrations: await migrationsOnDisk() },
    bodyLimit: 1 << 20,
    logger: false,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: "bench-export@example.com", password: "bench-password", name: "Bench Export" }),
    });
    const cookie = signUp.headers
      .getSetCookie()
      .map((entry) => entry.split(";")[0])
      .join("; ");
    await db.pool.query(`UPDATE users SET role = 'ADMIN' WHERE email = 'bench-export@example.com'`);

    // A collection before each sample, so the figures are live memory rather than garbage not yet swept.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const baseline = process.memoryUsage();
    const live: number[] = [];
    let peakRss = baseline.rss;
    const sampler = setInterval(() => {
      gc();
      const now = process.memoryUsage();
      live.push(now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    }, 500);
    const started = performance.now();
    const response = await fetch(`${base}/api/admin/interactions/export?format=csv`, { headers: { cookie } });
    if (response.status !== 200 || !response.body) throw new Error(`export answered ${response.status}`);
    let bytes = 0;
    let lines = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const byte of value) if (byte === 10) lines += 1;
    }
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    const quarter = (q: number) =>
      live[Math.min(live.length - 1, Math.floor((live.length * q) / 4))] ?? baseline.heapUsed;
    console.log(
      `export csv: ${(lines - 1).toLocaleString()} rows, ${mb(bytes)} in ${seconds.toFixed(1)} s; live heap ${mb(baseline.heapUsed)} before, ` +
        `${[1, 2, 3, 4].map((q) => mb(quarter(q - 1))).join(" / ")} at each quarter, peak ${mb(Math.max(baseline.heapUsed, ...live))}; ` +
        `RSS ${mb(baseline.rss)} before, peak ${mb(peakRss)}`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
