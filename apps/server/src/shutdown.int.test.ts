// main.ts as an operator runs it: on SIGTERM it stops accepting connections, lets the requests in
// flight finish with real answers, and exits 0 promptly. Runs once, on the embedded database.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { DEMO_USER } from "@lockstep/db";
import { afterAll, describe, expect, it } from "vitest";

const SERVER_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const IN_FLIGHT = 6;

let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function tryConnect(port: number): Promise<"connected" | "refused" | string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) =>
      resolve(error.code === "ECONNREFUSED" ? "refused" : String(error.code)),
    );
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A JSON body whose second half is held back until `gate` opens, so the request stays in flight. */
function gatedBody(value: unknown, gate: Promise<void>): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const parts = [bytes.slice(0, bytes.length >> 1), bytes.slice(bytes.length >> 1)];
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (sent === 1) await gate;
      const part = parts[sent++];
      if (part) controller.enqueue(part);
      else controller.close();
    },
  });
}

// One run is enough (the shutdown path does not depend on the database), and it needs a fresh
// embedded database anyway, so the PostgreSQL run skips it.
describe.skipIf(Boolean(process.env.DATABASE_URL))("graceful shutdown of main.ts", () => {
  it("finishes requests in flight, refuses new connections, and exits 0", { timeout: 180_000 }, async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    dataDir = await mkdtemp(path.join(os.tmpdir(), "lockstep-shutdown-"));
    // Run as operators do, not as a test: the test runner's TEST/NODE_ENV change Better Auth's defaults.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => name !== "TEST" && name !== "NODE_ENV" && !name.startsWith("VITEST"),
      ),
    );
    const env = {
      ...inherited,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOCKSTEP_DATA_DIR: dataDir,
      DATABASE_URL: "",
      // Arrivals are logged at debug; the test waits for them before it sends SIGTERM.
      LOG_LEVEL: "debug",
      LOG_PRETTY: "false",
    };
    const started = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: SERVER_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;

    // Request logs (arrival at debug) are how the test knows a request has reached the server.
    const logs: Record<string, unknown>[] = [];
    const output: string[] = [];
    for (const stream of [started.stdout, started.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // The startup banner is plain text.
        }
      });
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      started.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const logged = (id: string, msg: string) => logs.some((line) => line.reqId === id && line.msg === msg);

    // First start migrates and seeds a fresh embedded database.
    await waitFor(
      async () => {
        if (started.exitCode !== null) throw new Error(`main.ts exited early:\n${output.join("\n")}`);
        return (
          (await fetch(`${origin}/trpc/health`)
            .then((r) => r.status)
            .catch(() => 0)) === 200
        );
      },
      150_000,
      "main.ts to answer /trpc/health",
    );

    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const settled = new Set<number>();
    const inFlight = Array.from({ length: IN_FLIGHT }, async (_, index) => {
      try {
        const response = await fetch(`${origin}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin, "x-request-id": `inflight-${index}` },
          body: gatedBody({ email: DEMO_USER.email, password: DEMO_USER.password }, gate),
          duplex: "half",
        } as RequestInit);
        return { status: response.status, body: await response.text(), cookies: response.headers.getSetCookie() };
      } finally {
        settled.add(index);
      }
    });
    // Surface a failure at the assertion below, not as an unhandled rejection meanwhile.
    const results = Promise.allSettled(inFlight);

    await waitFor(
      () =>
        Array.from({ length: IN_FLIGHT }, (_, index) => logged(`inflight-${index}`, "incoming request")).every(Boolean),
      10_000,
      "every request to reach the server",
    );
    started.kill("SIGTERM");

    // The listener closes while every request is still waiting for the rest of its body.
    await waitFor(async () => (await tryConnect(port)) === "refused", 5_000, "new connections to be refused");
    expect(settled.size).toBe(0);

    open();
    const released = Date.now();
    const answers = await results;
    for (const answer of answers) {
      expect(answer.status, answer.status === "rejected" ? String(answer.reason) : "").toBe("fulfilled");
      if (answer.status !== "fulfilled") continue;
      // A whole, real answer: the signed-in user and a session cookie, not a reset or a 503.
      expect(answer.value.status, answer.value.body).toBe(200);
      expect(JSON.parse(answer.value.body)).toMatchObject({ user: { email: DEMO_USER.email } });
      expect(answer.value.cookies.some((cookie) => cookie.startsWith("lockstep.session_token="))).toBe(true);
    }

    const exit = await Promise.race([
      exited,
      new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 10_000)),
    ]);
    expect(exit, output.slice(-20).join("\n")).toEqual({ code: 0, signal: null });
    expect(Date.now() - released).toBeLessThan(5_000);
    for (let index = 0; index < IN_FLIGHT; index++) expect(logged(`inflight-${index}`, "request completed")).toBe(true);
  });
});
