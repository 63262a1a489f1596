// bench:http: Lockstep's request path against the raw floor, both arms in one run. The Lockstep arm
// is the real server started the way `npm start` starts it (compiled, no transpiler), with the demo
// user signed in; the raw arm is a plain Fastify + pg server answering the same SQL (raw-server.ts).
// Each runs on its own copy of the same data; rounds alternate between the arms with the same
// connections and duration; the table gives req/s, p50, p99 and Lockstep ÷ raw per request kind,
// on PostgreSQL and on PGlite, then resident memory after 10,000 and 100,000 mixed requests.
//
//   pnpm bench:http [--runtime postgres|pglite|both] [--seconds 5] [--rounds 3] [--connections 20]
//                   [--memory-requests 100000] [--kinds health,me,...]
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { applyMigrations, openDatabase, REPO_ROOT } from "@lockstep/db";
import autocannon from "autocannon";
import pg from "pg";
import { serverNodeFlags } from "../../scripts/server-node-flags.mjs";
import { median, prng } from "./timing.ts";

const { values: args } = parseArgs({
  options: {
    runtime: { type: "string", default: "both" },
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "20" },
    "memory-requests": { type: "string", default: "100000" },
    kinds: { type: "string" },
  },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);
const MEMORY_REQUESTS = Number(args["memory-requests"]);
/** The database pool each arm gets: the same number of connections for both. */
const POOL_MAX = 10;
const POSTGRES_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const SERVER_ENTRY = path.join(REPO_ROOT, "apps/server/dist/main.js");
const RAW_ENTRY = path.join(REPO_ROOT, "bench/src/http/raw-server.ts");

type Runtime = "postgres" | "pglite";
type Arm = "lockstep" | "raw";
type KindName = "health" | "me" | "sessions" | "messages" | "send" | "send-reply" | "mix";

const KIND_LABELS: Record<KindName, string> = {
  health: "health",
  me: "auth.me",
  sessions: "session.list",
  messages: "message.list",
  send: "message.send",
  "send-reply": "message.send + reply",
  mix: "mix 70/20/10",
};

/** Ratio targets (Lockstep ÷ raw) from the request-path work; kinds without one are printed only. */
const RATIO_TARGETS: Partial<Record<KindName, number>> = { health: 0.4, sessions: 0.5, messages: 0.5, send: 0.4 };
const MIX_P99_TARGET_MS = 100;
const PGLITE_MIX_TARGET = 0.5;
const MEMORY_GROWTH_TARGET = 1.1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------- processes

interface Running {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function waitUntilAnswering(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited early; see ${logFile}:\n${tail(logFile)}`);
    const ok = await fetch(url)
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer within 180 s; see ${logFile}`);
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8").slice(-3000) : "";
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Environment without anything that would change the server's behaviour (a model, Redis, test flags). */
function cleanEnvironment(): Record<string, string> {
  const dropped = /^(OPENAI_|REDIS_URL$|DATABASE_URL$|TEST$|NODE_ENV$|VITEST|LOCKSTEP_DATA_DIR$|PORT$|HOST$|LOG_)/;
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !dropped.test(entry[0]),
    ),
  );
}

function spawnLogged(command: string, argv: string[], env: Record<string, string>, logFile: string, cwd: string) {
  // Output goes straight to a file, as a server's would to its terminal or journal: no pipe to drain.
  const out = openSync(logFile, "a");
  return spawn(command, argv, { cwd, env, stdio: ["ignore", out, out] });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  };
}

async function startLockstep(env: Record<string, string>, logFile: string): Promise<Running> {
  const fromSource = !existsSync(SERVER_ENTRY);
  if (fromSource) console.warn(`  ${SERVER_ENTRY} is missing: running the TypeScript sources through tsx`);
  const port = await freePort();
  const child = spawnLogged(
    process.execPath,
    [...serverNodeFlags(), ...(fromSource ? ["--import", "tsx", "src/main.ts"] : [SERVER_ENTRY])],
    {
      ...cleanEnvironment(),
      PORT: String(port),
      HOST: "127.0.0.1",
      BETTER_AUTH_SECRET: "lockstep-bench-http-secret-0123456789abcdef",
      DATABASE_POOL_MAX: String(POOL_MAX),
      ...env,
    },
    logFile,
    fromSource ? path.join(REPO_ROOT, "apps/server") : REPO_ROOT,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${url}/trpc/health`, child, logFile);
  return { url, child, stop: stopper(child) };
}

async function startRaw(env: Record<string, string>, logFile: string): Promise<Running> {
  const port = await freePort();
  const tsx = path.join(REPO_ROOT, "bench/node_modules/.bin/tsx");
  const child = spawnLogged(
    tsx,
    [RAW_ENTRY],
    { ...cleanEnvironment(), PORT: String(port), DATABASE_POOL_MAX: String(POOL_MAX), ...env },
    logFile,
    path.join(REPO_ROOT, "bench"),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${url}/health`, child, logFile);
  return { url, child, stop: stopper(child) };
}

function residentMemoryMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

// ---------------------------------------------------------------------------------------------- the data

interface Fixture {
  cookie: string;
  adminCookie: string;
  userId: string;
  /** The session whose messages message.list pages through. */
  readSessionId: string;
  sendSessionIds: string[];
  replySessionIds: string[];
  pinSessionIds: string[];
}

async function signIn(url: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${email} failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

async function trpc<T>(url: string, cookie: string, procedure: string, input?: unknown, mutation = false): Promise<T> {
  const response = mutation
    ? await fetch(`${url}/trpc/${procedure}`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify(input ?? {}),
      })
    : await fetch(
        `${url}/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
        { headers: { cookie } },
      );
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!response.ok || !body.result) throw new Error(`${procedure}: ${response.status} ${JSON.stringify(body.error)}`);
  return body.result.data;
}

async function createFixture(url: string): Promise<Fixture> {
  const cookie = await signIn(url, "demo@lockstep.local", "lockstep-demo");
  const adminCookie = await signIn(url, "admin@lockstep.local", "lockstep-admin");
  const me = await trpc<{ id: string }>(url, cookie, "auth.me");
  const newSession = async (name: string) =>
    (await trpc<{ id: string }>(url, cookie, "session.create", { type: "text", name }, true)).id;
  const readSessionId = await newSession("Read me");
  for (let i = 0; i < 60; i++) {
    const text = `Message ${i}: are we still on for drinks on Saturday at the usual place?`;
    await trpc(
      url,
      cookie,
      "message.send",
      { sessionId: readSessionId, text, author: i % 2 ? "contact" : "user" },
      true,
    );
  }
  const many = async (prefix: string, count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await newSession(`${prefix} ${i}`));
    return ids;
  };
  return {
    cookie,
    adminCookie,
    userId: me.id,
    readSessionId,
    sendSessionIds: await many("Sends", 20),
    // A session takes one reply at a time: many sessions, so fewer sends land on one still being answered.
    replySessionIds: await many("Replies", 200),
    pinSessionIds: await many("Pins", 20),
  };
}

// ---------------------------------------------------------------------------------------------- requests

interface RequestShape {
  method: "GET" | "POST";
  path: string;
  body?: string;
  headers: Record<string, string>;
}

const SEND_TEXT = "hey! sorry I went quiet this week, are we still on for drinks saturday?";

function requestFor(arm: Arm, kind: Exclude<KindName, "mix">, fixture: Fixture, pick: () => number): RequestShape {
  const json = { "content-type": "application/json" };
  const auth: Record<string, string> = arm === "lockstep" ? { cookie: fixture.cookie } : {};
  const query = (input: unknown) => encodeURIComponent(JSON.stringify(input));
  const one = (ids: string[]) => ids[Math.floor(pick() * ids.length)] ?? ids[0]!;
  switch (kind) {
    case "health":
      return { method: "GET", path: arm === "lockstep" ? "/trpc/health" : "/health", headers: {} };
    case "me":
      return {
        method: "GET",
        path: arm === "lockstep" ? "/trpc/auth.me" : `/me?userId=${fixture.userId}`,
        headers: auth,
      };
    case "sessions":
      return {
        method: "GET",
        path:
          arm === "lockstep"
            ? `/trpc/session.list?input=${query({ limit: 20 })}`
            : `/sessions?userId=${fixture.userId}`,
        headers: auth,
      };
    case "messages":
      return {
        method: "GET",
        path:
          arm === "lockstep"
            ? `/trpc/message.list?input=${query({ sessionId: fixture.readSessionId, limit: 50 })}`
            : `/messages?sessionId=${fixture.readSessionId}`,
        headers: auth,
      };
    case "send":
    case "send-reply": {
      const reply = kind === "send-reply";
      const sessionId = one(reply ? fixture.replySessionIds : fixture.sendSessionIds);
      return arm === "lockstep"
        ? {
            method: "POST",
            path: "/trpc/message.send",
            headers: { ...json, ...auth },
            body: JSON.stringify({ sessionId, text: SEND_TEXT, reply }),
          }
        : {
            method: "POST",
            path: reply ? "/send-reply" : "/send",
            headers: json,
            body: JSON.stringify({ sessionId, text: SEND_TEXT, userId: fixture.userId }),
          };
    }
  }
}

function pinRequest(arm: Arm, fixture: Fixture, pick: () => number): RequestShape {
  const id = fixture.pinSessionIds[Math.floor(pick() * fixture.pinSessionIds.length)]!;
  const pinned = pick() < 0.5;
  return arm === "lockstep"
    ? {
        method: "POST",
        path: "/trpc/session.setPinned",
        headers: { "content-type": "application/json", cookie: fixture.cookie },
        body: JSON.stringify({ id, pinned }),
      }
    : {
        method: "POST",
        path: "/pin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sessionId: id, pinned }),
      };
}

/** 70% reads (session.list and message.list), 20% sends without a reply, 10% pin toggles. */
function mixRequest(arm: Arm, fixture: Fixture, pick: () => number): RequestShape {
  const roll = pick();
  if (roll < 0.35) return requestFor(arm, "sessions", fixture, pick);
  if (roll < 0.7) return requestFor(arm, "messages", fixture, pick);
  if (roll < 0.9) return requestFor(arm, "send", fixture, pick);
  return pinRequest(arm, fixture, pick);
}

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  failures: number;
  /** Sends refused because the session's reply was still being written (409): the product's rule, not a fault. */
  refused: number;
}

async function load(
  url: string,
  arm: Arm,
  kind: KindName,
  fixture: Fixture,
  budget: { seconds: number } | { amount: number },
): Promise<Measured> {
  // Seeded, so both arms get the same sequence of choices.
  const pick = prng(42);
  const next = () => (kind === "mix" ? mixRequest(arm, fixture, pick) : requestFor(arm, kind, fixture, pick));
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    ...("seconds" in budget ? { duration: budget.seconds } : { amount: budget.amount }),
    requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }],
  });
  const total = result.requests.total;
  const refused = kind === "send-reply" ? (result.statusCodeStats?.["409"]?.count ?? 0) : 0;
  return {
    // Answered requests only: a refusal is cheap and would flatter the arm that refuses.
    requestsPerSecond: result["2xx"] / (result.duration || 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    total,
    failures: result.non2xx - refused + result.errors + result.timeouts,
    refused,
  };
}

/** Waits until the Lockstep server has no reply jobs left, so its backlog never runs into the raw arm's round. */
async function drainReplies(url: string, fixture: Fixture): Promise<number> {
  const started = Date.now();
  for (;;) {
    const counts = await trpc<{ total: { queued: number; retrying: number; running: number } }>(
      url,
      fixture.adminCookie,
      "admin.jobs.counts",
    );
    const owed = counts.total.queued + counts.total.retrying + counts.total.running;
    if (owed === 0 || Date.now() - started > 300_000) return (Date.now() - started) / 1000;
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------- one runtime

interface KindResult {
  kind: KindName;
  lockstep: Measured[];
  raw: Measured[];
}

function summary(rounds: Measured[]) {
  return {
    rps: rounds.reduce((sum, round) => sum + round.requestsPerSecond, 0) / rounds.length,
    p50: median(rounds.map((round) => round.p50)),
    p99: median(rounds.map((round) => round.p99)),
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
    refused: rounds.reduce((sum, round) => sum + round.refused, 0),
  };
}

interface RuntimeResult {
  runtime: Runtime;
  kinds: KindResult[];
  memory: { after10k: number; after100k: number } | null;
}

interface RuntimeSetup {
  lockstepEnv: Record<string, string>;
  rawEnv: Record<string, string>;
  /** The raw arm's copy of the data, made while the Lockstep server is stopped. */
  clone(): Promise<void>;
  dispose(): Promise<void>;
}

async function prepareRuntime(runtime: Runtime, work: string): Promise<RuntimeSetup> {
  if (runtime === "postgres") {
    const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const names = { lockstep: "lockstep_bench_http", raw: "lockstep_bench_http_raw" };
    for (const name of Object.values(names)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${names.lockstep}`);
    const urlOf = (name: string) => {
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${name}`;
      return url.toString();
    };
    const db = await openDatabase({ url: urlOf(names.lockstep) });
    await applyMigrations(db);
    await db.close();
    return {
      lockstepEnv: { DATABASE_URL: urlOf(names.lockstep), SEED_ON_START: "true" },
      rawEnv: { DATABASE_URL: urlOf(names.raw) },
      async clone() {
        await admin.query(`CREATE DATABASE ${names.raw} TEMPLATE ${names.lockstep}`);
        // Fresh statistics for both copies, as autovacuum would keep them (some servers run without it).
        for (const name of Object.values(names)) {
          const copy = new pg.Client({ connectionString: urlOf(name) });
          await copy.connect();
          await copy.query("ANALYZE");
          await copy.end();
        }
      },
      async dispose() {
        for (const name of Object.values(names)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dataDir = path.join(work, "lockstep-data");
  const rawDir = path.join(work, "raw-pglite");
  return {
    lockstepEnv: { LOCKSTEP_DATA_DIR: dataDir, DATABASE_URL: "" },
    rawEnv: { RAW_PGLITE_DIR: rawDir, DATABASE_URL: "" },
    async clone() {
      cpSync(path.join(dataDir, "pglite"), rawDir, { recursive: true });
    },
    async dispose() {},
  };
}

async function runRuntime(runtime: Runtime, kinds: KindName[]): Promise<RuntimeResult> {
  const work = mkdtempSync(path.join(tmpdir(), `lockstep-bench-http-${runtime}-`));
  const logOf = (name: string) => path.join(work, `${name}.log`);
  const setup = await prepareRuntime(runtime, work);
  console.log(`\n${runtime}: preparing the data (logs in ${work})`);
  let lockstep = await startLockstep(setup.lockstepEnv, logOf("lockstep"));
  const fixture = await createFixture(lockstep.url);
  await lockstep.stop();
  await setup.clone();
  lockstep = await startLockstep(setup.lockstepEnv, logOf("lockstep"));
  const raw = await startRaw(setup.rawEnv, logOf("raw"));
  const urls: Record<Arm, string> = { lockstep: lockstep.url, raw: raw.url };
  try {
    // Warm both (JIT, pools, plan caches) before anything counts.
    for (const arm of ["raw", "lockstep"] as const) await load(urls[arm], arm, "mix", fixture, { seconds: 3 });
    const results: KindResult[] = [];
    for (const kind of kinds) {
      const result: KindResult = { kind, lockstep: [], raw: [] };
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which arm goes first, so drift over the run falls on both.
        const order: Arm[] = round % 2 ? ["lockstep", "raw"] : ["raw", "lockstep"];
        for (const arm of order) {
          result[arm].push(await load(urls[arm], arm, kind, fixture, { seconds: SECONDS }));
          if (arm === "lockstep" && kind === "send-reply") await drainReplies(lockstep.url, fixture);
        }
      }
      const l = summary(result.lockstep);
      const r = summary(result.raw);
      console.log(
        `  ${KIND_LABELS[kind].padEnd(22)} lockstep ${l.rps.toFixed(0).padStart(6)} req/s   raw ${r.rps.toFixed(0).padStart(6)} req/s   ratio ${(l.rps / r.rps).toFixed(2)}`,
      );
      results.push(result);
    }
    let memory: RuntimeResult["memory"] = null;
    if (MEMORY_REQUESTS > 0) {
      const pid = lockstep.child.pid!;
      const first = Math.round(MEMORY_REQUESTS / 10);
      await load(lockstep.url, "lockstep", "mix", fixture, { amount: first });
      const after10k = residentMemoryMb(pid);
      await load(lockstep.url, "lockstep", "mix", fixture, { amount: MEMORY_REQUESTS - first });
      memory = { after10k, after100k: residentMemoryMb(pid) };
    }
    return { runtime, kinds: results, memory };
  } finally {
    await Promise.all([lockstep.stop(), raw.stop()]);
    await setup.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------- report

function report(results: RuntimeResult[]): boolean {
  let met = true;
  const verdict = (ok: boolean) => {
    if (!ok) met = false;
    return ok ? "met" : "MISSED";
  };
  console.log(
    `\nbench:http: ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s per arm and kind, pool of ${POOL_MAX} each`,
  );
  for (const result of results) {
    console.log(`\n${result.runtime === "postgres" ? "PostgreSQL" : "PGlite (embedded)"}`);
    console.log(
      `  ${"request".padEnd(22)} ${"lockstep req/s".padStart(14)} ${"p50".padStart(6)} ${"p99".padStart(6)}   ${"raw req/s".padStart(9)} ${"p50".padStart(6)} ${"p99".padStart(6)}   ${"ratio".padStart(5)}  target`,
    );
    for (const kind of result.kinds) {
      const l = summary(kind.lockstep);
      const r = summary(kind.raw);
      const ratio = l.rps / r.rps;
      const target = RATIO_TARGETS[kind.kind];
      const failed = l.failures + r.failures ? `  (${l.failures} lockstep / ${r.failures} raw failed requests)` : "";
      const refused = l.refused ? `  (${l.refused} sends refused: a reply was still being written)` : "";
      const targetText =
        result.runtime === "postgres" && target !== undefined ? `>= ${target}  ${verdict(ratio >= target)}` : "";
      console.log(
        `  ${KIND_LABELS[kind.kind].padEnd(22)} ${l.rps.toFixed(0).padStart(14)} ${`${l.p50}ms`.padStart(6)} ${`${l.p99}ms`.padStart(6)}   ${r.rps.toFixed(0).padStart(9)} ${`${r.p50}ms`.padStart(6)} ${`${r.p99}ms`.padStart(6)}   ${ratio.toFixed(2).padStart(5)}  ${targetText}${failed}${refused}`,
      );
      if (l.failures + r.failures > 0) met = false;
    }
    const mix = result.kinds.find((kind) => kind.kind === "mix");
    if (mix && result.runtime === "postgres") {
      const p99 = summary(mix.lockstep).p99;
      console.log(
        `  mix p99 at ${CONNECTIONS} connections: ${p99} ms (target <= ${MIX_P99_TARGET_MS} ms)  ${verdict(p99 <= MIX_P99_TARGET_MS)}`,
      );
    }
    if (result.memory) {
      const growth = result.memory.after100k / result.memory.after10k;
      console.log(
        `  resident memory: ${result.memory.after10k.toFixed(0)} MB after ${MEMORY_REQUESTS / 10} mixed requests, ${result.memory.after100k.toFixed(0)} MB after ${MEMORY_REQUESTS}: x${growth.toFixed(3)} (target <= x${MEMORY_GROWTH_TARGET})  ${verdict(growth <= MEMORY_GROWTH_TARGET)}`,
      );
    }
  }
  const pgMix = results.find((r) => r.runtime === "postgres")?.kinds.find((k) => k.kind === "mix");
  const liteMix = results.find((r) => r.runtime === "pglite")?.kinds.find((k) => k.kind === "mix");
  if (pgMix && liteMix) {
    const ratio = summary(liteMix.lockstep).rps / summary(pgMix.lockstep).rps;
    console.log(
      `\nLockstep on PGlite ÷ on PostgreSQL, same mix: ${ratio.toFixed(2)} (target >= ${PGLITE_MIX_TARGET})  ${verdict(ratio >= PGLITE_MIX_TARGET)}`,
    );
  }
  return met;
}

async function main(): Promise<void> {
  const runtimes: Runtime[] = args.runtime === "both" ? ["postgres", "pglite"] : [args.runtime as Runtime];
  const allKinds: KindName[] = ["health", "me", "sessions", "messages", "send", "mix", "send-reply"];
  const kinds = args.kinds ? (args.kinds.split(",") as KindName[]) : allKinds;
  const results: RuntimeResult[] = [];
  for (const runtime of runtimes) results.push(await runRuntime(runtime, kinds));
  const met = report(results);
  console.log(met ? "\nevery target met" : "\nsome targets missed");
  process.exitCode = met ? 0 : 1;
}

await main();
