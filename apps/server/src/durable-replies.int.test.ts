// Replies survive the process making them. Real server processes on one PostgreSQL and one Redis, a
// fake OpenAI-compatible model that streams slowly: the process producing a reply is killed with
// SIGKILL mid-stream, a worker started afterwards takes the job over once its heartbeat lapses, and
// the person ends with exactly one reply, the whole text, and a log with one final row per attempt.
import { randomUUID } from "node:crypto";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, freshEmail, freshIp } from "./testing/http.ts";
import { readSse, type ServerProcess, startServerProcess, waitFor } from "./testing/processes.ts";

const redisUrl = process.env.REDIS_URL;
const missing = [process.env.DATABASE_URL ? null : "DATABASE_URL", redisUrl ? null : "REDIS_URL"].filter(Boolean);
const skipReason = missing.length ? ` (skipped: ${missing.join(" and ")} not set)` : "";

const REPLY = Array.from({ length: 80 }, (_, index) => `part${index}`).join(" ");

interface StreamData {
  kind: string;
  messageId?: string;
  text?: string;
  message?: { id: string; text: string; author: string };
}

describe.skipIf(missing.length > 0)(`replies that outlive their process${skipReason}`, () => {
  let db: TestDatabase;
  let model: FakeOpenAiServer;
  let env: Record<string, string>;
  const started: ServerProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    model = await startFakeOpenAiServer({ reply: REPLY, chunkDelayMs: 60, embeddingDimensions: 1536 });
    env = {
      DATABASE_URL: db.url ?? "",
      REDIS_URL: redisUrl ?? "",
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "test-key",
      OPENAI_CHAT_MODEL: "fake-chat",
      OPENAI_EMBEDDING_MODEL: "fake-embedding",
      OPENAI_EMBEDDING_DIMENSIONS: "1536",
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(started.map((server) => server.stop("SIGKILL")));
    await model?.close();
    await db?.close();
  });

  async function start(role: "web" | "worker" | "all") {
    const server = await startServerProcess({ ...env, ROLE: role });
    started.push(server);
    return server;
  }

  it(
    "SIGKILL mid-reply: a later worker takes the reply over; one reply, the full text, every log row final",
    { timeout: 180_000 },
    async () => {
      const web = await start("web");
      const doomed = await start("worker");
      const person = new Browser(web.url, { ip: freshIp() });
      expect((await person.signUp(freshEmail("durable"))).status).toBe(200);
      const sessionId = randomUUID();
      expect((await person.postJson("/trpc/session.create", { id: sessionId, type: "text" })).status).toBe(200);

      const input = encodeURIComponent(JSON.stringify({ id: sessionId }));
      const stream = await person.fetch(`/trpc/session.stream?input=${input}`, {
        headers: { accept: "text/event-stream" },
      });
      const parse = (event: { id: string | null; data: string }): StreamData | null =>
        event.id && event.data ? (JSON.parse(event.data) as StreamData) : null;
      let tokens = 0;
      let killed = false;
      const reading = readSse(stream, (event) => {
        const data = parse(event);
        if (data?.kind === "token" && ++tokens === 10 && !killed) {
          killed = true;
          doomed.child.kill("SIGKILL");
        }
        return data?.kind === "message";
      });

      const sent = await person.postJson("/trpc/message.send", { sessionId, text: "Should I text back?", reply: true });
      expect(sent.status, await sent.clone().text()).toBe(200);
      await waitFor(() => killed, 60_000, "ten tokens from the doomed worker");
      await doomed.exited;
      // A worker that starts after the death takes the job over once its heartbeat lapses.
      await start("worker");
      const events = (await reading).map(parse).filter((data): data is StreamData => data !== null);

      const finished = events.find((data) => data.kind === "message")?.message;
      expect(finished?.text).toBe(REPLY);
      // The client was told to drop the partial text before the reply started again.
      const restartAt = events.findIndex((data) => data.kind === "error" && data.messageId === finished?.id);
      expect(restartAt).toBeGreaterThan(0);
      const tokensAfterRestart = events
        .slice(restartAt)
        .filter((data) => data.kind === "token")
        .map((data) => data.text);
      expect(tokensAfterRestart.join("")).toBe(REPLY);

      const history = await person.fetch(
        `/trpc/message.list?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`,
      );
      const items = ((await history.json()) as { result: { data: { items: { author: string; text: string }[] } } })
        .result.data.items;
      expect(items.map((item) => item.author)).toEqual(["user", "ai"]);
      const rows = await db.pool.query<{ status: string }>(
        "SELECT status::text FROM ai_interactions WHERE session_id = $1 AND operation = 'REPLY' ORDER BY created_at",
        [sessionId],
      );
      expect(rows.rows.map((row) => row.status)).toEqual(["ABORTED", "SUCCESS"]);
    },
  );
});
