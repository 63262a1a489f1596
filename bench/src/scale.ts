// Scaling benchmark: sends that ask for a reply, completed per second (the reply streamed by a fake
// model at a fixed pace and stored), through a round-robin proxy to (a) one ROLE=all process,
// (b) two, and (c) two with a process killed (SIGKILL) and restarted every 5 s; same load and
// duration each, in one run. Prints (b)/(a), (c)/(b) and the replies (c) lost. Loopback only.
import { startFakeOpenAiServer } from "@lockstep/ai/testing";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { newSender, replyIdFor, send, type Sender, type SendOutcome, tally } from "@lockstep/server/testing/load";
import { type ServerProcess, startServerProcess } from "@lockstep/server/testing/processes";
import { type RoundRobinProxy, startRoundRobinProxy } from "@lockstep/server/testing/proxy";

const SENDERS = Number(process.env.BENCH_SENDERS ?? 32);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 30) * 1000;
const WARMUP_MS = 5_000;
const KILL_EVERY_MS = 5_000;
/** After the window, how long replies still owed may take to arrive (a taken-over job waits ~15 s). */
const DRAIN_MS = 90_000;
// 20 chunks at 50 ms: every reply streams for about a second, whatever the number of processes.
const CHUNKS = 20;
const CHUNK_DELAY_MS = 50;

interface PhaseResult {
  label: string;
  completedPerSecond: number;
  completed: number;
  refusedSends: number;
  repliesAccepted: number;
  produced: number;
  visiblyFailed: number;
  lost: number;
  pending: number;
  kills: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves a sender's wait once its reply is stored, by polling the database for every waiter at once. */
class ReplyWatcher {
  private readonly waiting = new Map<string, () => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: TestDatabase) {}

  start(): void {
    const poll = async () => {
      const ids = [...this.waiting.keys()];
      if (ids.length) {
        const found = await this.db.pool.query<{ id: string }>(
          "SELECT id::text FROM messages WHERE author = 'AI' AND id::text = ANY($1)",
          [ids],
        );
        for (const row of found.rows) {
          this.waiting.get(row.id)?.();
          this.waiting.delete(row.id);
        }
      }
      this.timer = setTimeout(() => void poll(), 50);
    };
    void poll();
  }

  wait(replyId: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timeout = setTimeout(() => {
        this.waiting.delete(replyId);
        resolve(false);
      }, timeoutMs);
      this.waiting.set(replyId, () => {
        clearTimeout(timeout);
        resolve(true);
      });
    });
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

async function runPhase(
  label: string,
  processes: number,
  baseEnv: Record<string, string>,
  churn: boolean,
): Promise<PhaseResult> {
  const db = await createTestDatabase();
  const proxy: RoundRobinProxy = await startRoundRobinProxy();
  const env = {
    ...baseEnv,
    DATABASE_URL: db.url ?? "",
    ROLE: "all",
    PUBLIC_URL: proxy.url,
    TRUST_PROXY: "127.0.0.1",
  };
  const servers: ServerProcess[] = await Promise.all(Array.from({ length: processes }, () => startServerProcess(env)));
  proxy.upstreams = servers.map((server) => server.url);
  const watcher = new ReplyWatcher(db);
  watcher.start();
  const outcomes: SendOutcome[] = [];
  let kills = 0;
  try {
    const senders: Sender[] = await Promise.all(
      Array.from({ length: SENDERS }, (_, index) => newSender(proxy.url, `scale${index}`)),
    );
    const started = Date.now();
    const windowStart = started + WARMUP_MS;
    const windowEnd = windowStart + DURATION_MS;
    const completions: number[] = [];

    // Closed loop: each person sends, waits for the reply to be stored, and sends again.
    const load = Promise.all(
      senders.map(async (sender, index) => {
        let round = 0;
        while (Date.now() < windowEnd) {
          const outcome = await send(sender, `message ${round++} from ${index}`, true);
          outcomes.push(outcome);
          if (outcome.status !== 200) {
            await sleep(100);
            continue;
          }
          const replied = await watcher.wait(replyIdFor(outcome.id), windowEnd + DRAIN_MS - Date.now());
          if (replied) completions.push(Date.now());
        }
      }),
    );

    // (c): every 5 s the oldest process is killed outright and a new one started in its place.
    const churning = (async () => {
      if (!churn) return;
      let victim = 0;
      while (Date.now() + KILL_EVERY_MS < windowEnd) {
        await sleep(KILL_EVERY_MS);
        const index = victim++ % servers.length;
        const doomed = servers[index] as ServerProcess;
        await doomed.stop("SIGKILL");
        kills++;
        proxy.upstreams = servers.filter((server) => server !== doomed).map((server) => server.url);
        const replacement = await startServerProcess(env);
        servers[index] = replacement;
        proxy.upstreams = servers.map((server) => server.url);
      }
    })();

    await Promise.all([load, churning]);
    const completed = completions.filter((at) => at >= windowStart && at < windowEnd).length;
    const counts = await tally(
      db.pool,
      outcomes,
      senders.map((sender) => sender.sessionId),
    );
    return {
      label,
      completedPerSecond: completed / (DURATION_MS / 1000),
      completed,
      refusedSends: counts.refused,
      repliesAccepted: counts.repliesAccepted,
      produced: counts.produced,
      visiblyFailed: counts.visiblyFailed,
      lost: counts.neither,
      pending: counts.pending,
      kills,
    };
  } finally {
    watcher.stop();
    await Promise.all(servers.map((server) => server.stop("SIGKILL")));
    await proxy.close();
    await db.close();
  }
}

function describe(result: PhaseResult): string {
  return (
    `${result.label}: ${result.completedPerSecond.toFixed(2)} replies/s (${result.completed} in the window); ` +
    `sends refused ${result.refusedSends}, replies accepted ${result.repliesAccepted}, produced ${result.produced}, ` +
    `visibly failed ${result.visiblyFailed}, lost ${result.lost}, log rows PENDING ${result.pending}` +
    (result.kills ? `, processes killed ${result.kills}` : "")
  );
}

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL;
  if (!process.env.DATABASE_URL || !redisUrl) {
    console.error("bench:scale needs DATABASE_URL (PostgreSQL) and REDIS_URL: several processes share them.");
    process.exit(1);
  }
  const reply = Array.from({ length: CHUNKS }, (_, index) => `word${index}`).join(" ");
  const model = await startFakeOpenAiServer({ reply, chunkDelayMs: CHUNK_DELAY_MS, embeddingDimensions: 1536 });
  const baseEnv = {
    REDIS_URL: redisUrl,
    OPENAI_BASE_URL: model.baseURL,
    OPENAI_API_KEY: "bench-key",
    OPENAI_CHAT_MODEL: "fake-chat",
    OPENAI_EMBEDDING_MODEL: "fake-embedding",
    OPENAI_EMBEDDING_DIMENSIONS: "1536",
  };
  console.log(
    `${SENDERS} people, each sending and waiting for the streamed reply (${CHUNKS} chunks every ${CHUNK_DELAY_MS} ms), ` +
      `${DURATION_MS / 1000} s measured after ${WARMUP_MS / 1000} s of warm-up, through a round-robin proxy`,
  );
  try {
    const one = await runPhase("(a) one process", 1, baseEnv, false);
    console.log(describe(one));
    const two = await runPhase("(b) two processes", 2, baseEnv, false);
    console.log(describe(two));
    const churn = await runPhase(`(c) two, one killed and restarted every ${KILL_EVERY_MS / 1000} s`, 2, baseEnv, true);
    console.log(describe(churn));
    const scale = two.completedPerSecond / one.completedPerSecond;
    const resilience = churn.completedPerSecond / two.completedPerSecond;
    console.log(`two processes / one: ${scale.toFixed(2)}x (target >= 1.5)`);
    console.log(`with kills / two processes: ${resilience.toFixed(2)}x (target >= 0.7)`);
    console.log(`replies lost with kills: ${churn.lost} (target 0)`);
  } finally {
    await model.close();
  }
}

await main();
