// No accepted work is lost when one of two processes is stopped under load. Two ROLE=all processes on
// one PostgreSQL and one Redis behind a round-robin proxy, a fake model that streams slowly, twenty
// people sending messages (about half asking for a reply); one process gets SIGTERM mid-run. Every
// acknowledged send is stored, and every accepted reply ends produced or visibly failed, none PENDING.
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSender, replyIdFor, send, type Sender, type SendOutcome, tally, type Tally } from "./testing/load.ts";
import { readSse, type ServerProcess, startServerProcess, waitFor } from "./testing/processes.ts";
import { type RoundRobinProxy, startRoundRobinProxy } from "./testing/proxy.ts";

const redisUrl = process.env.REDIS_URL;
const missing = [process.env.DATABASE_URL ? null : "DATABASE_URL", redisUrl ? null : "REDIS_URL"].filter(Boolean);
const skipReason = missing.length ? ` (skipped: ${missing.join(" and ")} not set)` : "";

const SENDERS = 20;
const MESSAGES_EACH = 5;
// 60 chunks at 100 ms: each reply streams for about six seconds, longer than the five a stopping
// process gives replies under way, so some are cut and must be taken over by the other process.
const REPLY = Array.from({ length: 60 }, (_, index) => `word${index}`).join(" ");

describe.skipIf(missing.length > 0)(`SIGTERM under load, two processes behind a proxy${skipReason}`, () => {
  let db: TestDatabase;
  let model: FakeOpenAiServer;
  let proxy: RoundRobinProxy;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    model = await startFakeOpenAiServer({ reply: REPLY, chunkDelayMs: 100, embeddingDimensions: 1536 });
    proxy = await startRoundRobinProxy();
    const env = {
      DATABASE_URL: db.url ?? "",
      REDIS_URL: redisUrl ?? "",
      ROLE: "all",
      // Requests arrive through the proxy: its origin is the site's, and X-Forwarded-For names the client.
      PUBLIC_URL: proxy.url,
      TRUST_PROXY: "127.0.0.1",
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "test-key",
      OPENAI_CHAT_MODEL: "fake-chat",
      OPENAI_EMBEDDING_MODEL: "fake-embedding",
      OPENAI_EMBEDDING_DIMENSIONS: "1536",
    };
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    proxy.upstreams = servers.map((server) => server.url);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop("SIGKILL")));
    await proxy?.close();
    await model?.close();
    await db?.close();
  });

  it(
    "every acknowledged send is stored; every accepted reply is produced or visibly failed; nothing stays PENDING",
    { timeout: 300_000 },
    async () => {
      const senders: Sender[] = await Promise.all(
        Array.from({ length: SENDERS }, (_, index) => newSender(proxy.url, `load${index}`)),
      );
      const outcomes: SendOutcome[] = [];

      // Through the proxy a reply streams token by token: the first token arrives well before the end.
      const [watcher] = senders as [Sender];
      const input = encodeURIComponent(JSON.stringify({ id: watcher.sessionId }));
      const stream = await watcher.browser.fetch(`/trpc/session.stream?input=${input}`, {
        headers: { accept: "text/event-stream" },
      });
      let firstTokenAt = 0;
      let replyId = "";
      const watching = readSse(stream, (event) => {
        const data = event.data ? (JSON.parse(event.data) as { kind?: string; message?: { id: string } }) : {};
        if (data.kind === "token" && !firstTokenAt) firstTokenAt = Date.now();
        return data.kind === "message" && data.message?.id === replyId;
      });
      const first = await send(watcher, "Warm-up: should I text back?", true);
      replyId = replyIdFor(first.id);
      outcomes.push(first);
      expect(first.status).toBe(200);
      await watching;
      // The proxy passed X-Forwarded-For and the server believed it: the log has the person's address.
      const addresses = await db.pool.query<{ ip: string }>(
        "SELECT DISTINCT host(ip_address) AS ip FROM ai_interactions WHERE session_id = $1",
        [watcher.sessionId],
      );
      expect(addresses.rows.map((row) => row.ip)).toEqual([watcher.browser.ip]);
      const streamedFor = Date.now() - firstTokenAt;
      expect(firstTokenAt).toBeGreaterThan(0);
      expect(streamedFor, "the stream arrived in one piece: something buffered it").toBeGreaterThan(1000);

      const doomed = servers[0] as ServerProcess;
      const load = Promise.all(
        senders.map(async (sender, senderIndex) => {
          for (let index = 0; index < MESSAGES_EACH; index++) {
            outcomes.push(await send(sender, `message ${index} from ${senderIndex}`, (index + senderIndex) % 2 === 0));
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }),
      );
      // SIGTERM once replies are streaming on both processes.
      await waitFor(() => model.requestsTo("chat").length >= 10, 60_000, "ten replies under way");
      const signalledAt = Date.now();
      doomed.child.kill("SIGTERM");
      const exitedAfter = doomed.exited.then(() => Date.now() - signalledAt);
      await load;
      const exit = await doomed.exited;
      expect(exit.code, doomed.output.slice(-20).join("\n")).toBe(0);
      console.log(`SIGTERM sent mid-run; the process exited 0 after ${await exitedAfter} ms`);

      // Replies the stopped process left behind are taken over once their heartbeat lapses (~15 s).
      const sessionIds = senders.map((sender) => sender.sessionId);
      let counts: Tally = await tally(db.pool, outcomes, sessionIds);
      const settling = Date.now();
      await waitFor(
        async () => {
          counts = await tally(db.pool, outcomes, sessionIds);
          return counts.neither === 0 && counts.pending === 0;
        },
        90_000,
        "every accepted reply to be produced or visibly failed",
      ).catch(() => undefined);
      console.log(
        `sends under SIGTERM: ${JSON.stringify(counts)}; proxy answered 502 to ${proxy.refused}; ` +
          `settled ${Date.now() - settling} ms after the load ended`,
      );

      expect(counts.attempted).toBe(SENDERS * MESSAGES_EACH + 1);
      // A send while that person's reply is still on its way is refused (one reply at a time per
      // session) with a 409 and nothing stored: answered, not lost.
      expect(counts.acknowledged + counts.waitingForReply).toBeGreaterThan(SENDERS * MESSAGES_EACH * 0.5);
      expect(counts.stored).toBe(counts.acknowledged);
      expect(counts.repliesAccepted).toBeGreaterThan(0);
      expect(counts.produced + counts.visiblyFailed).toBe(counts.repliesAccepted);
      expect(counts.neither).toBe(0);
      expect(counts.strayReplies).toBe(0);
      expect(counts.pending).toBe(0);
      // Replies cut by the stop left a final row each and were made again by the other process.
      const cut = (counts.logRows.CANCELLED ?? 0) + (counts.logRows.ABORTED ?? 0);
      expect(cut, "no reply was under way at the stop: the take-over went untested").toBeGreaterThan(0);
    },
  );
});
