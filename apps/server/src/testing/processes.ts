// Real server processes for tests of more than one process: main.ts started as an operator starts
// it (no test-runner variables), on a PostgreSQL database and a Redis they share, each on its own
// port, and killed for real.
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const SERVER_DIR = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Every line it printed so far (JSON logs and the banner). */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The environment without what the test runner adds (TEST/NODE_ENV change Better Auth's defaults). */
export function operatorEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && entry[0] !== "TEST" && entry[0] !== "NODE_ENV" && !entry[0].startsWith("VITEST"),
    ),
  );
}

/** Starts main.ts and resolves once it answers /trpc/health. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: SERVER_DIR,
    env: {
      ...operatorEnvironment(),
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      LOG_PRETTY: "false",
      BETTER_AUTH_SECRET: "lockstep-process-test-secret-0123456789abcdef",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on("line", (line) => output.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`main.ts exited early:\n${output.join("\n")}`);
      const status = await fetch(`${url}/trpc/health`)
        .then((response) => response.status)
        .catch(() => 0);
      return status === 200;
    },
    120_000,
    `main.ts on port ${port} to answer /trpc/health`,
  );
  return {
    url,
    child,
    output,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface SseEvent {
  id: string | null;
  event: string | null;
  data: string;
}

/**
 * Reads a server-sent event stream (what tRPC's SSE subscriptions speak) until `stop` returns
 * true for an event or `signal` aborts; returns the events read. The connection is closed either way.
 */
export async function readSse(
  response: Response,
  stop: (event: SseEvent) => boolean,
  signal?: AbortSignal,
): Promise<SseEvent[]> {
  if (!response.body) throw new Error(`no stream body (status ${response.status})`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = "";
  try {
    while (!signal?.aborted) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let boundary: number;
      while ((boundary = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event: SseEvent = { id: null, event: null, data: "" };
        for (const line of block.split("\n")) {
          const colon = line.indexOf(":");
          if (colon <= 0) continue;
          const field = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") event.id = value;
          else if (field === "event") event.event = value;
          else if (field === "data") event.data += value;
        }
        events.push(event);
        if (stop(event)) return events;
      }
    }
    return events;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
