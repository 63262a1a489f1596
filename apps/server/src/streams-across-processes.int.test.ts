// A reply streams from the process that produces it; the person's browser may be connected to any
// other. Two real server processes share PostgreSQL and Redis; a client reads part of a slowly
// streamed reply from one, drops, reconnects to the other with its last event id, and must end
// with exactly the stored reply: no token lost, none repeated.
import { randomUUID } from "node:crypto";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@lockstep/ai/testing";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, freshEmail, freshIp } from "./testing/http.ts";
import { readSse, type ServerProcess, startServerProcess } from "./testing/processes.ts";

const redisUrl = process.env.REDIS_URL;
const missing = [process.env.DATABASE_URL ? null : "DATABASE_URL", redisUrl ? null : "REDIS_URL"].filter(Boolean);
const skipReason = missing.length ? ` (skipped: ${missing.join(" and ")} not set)` : "";

const REPLY = Array.from({ length: 60 }, (_, index) => `word${index}`).join(" ");

interface StreamData {
  kind: string;
  text?: string;
  message?: { id: string; text: string; author: string };
}

describe.skipIf(missing.length > 0)(`a session stream across two server processes${skipReason}`, () => {
  let db: TestDatabase;
  let model: FakeOpenAiServer;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    model = await startFakeOpenAiServer({ reply: REPLY, chunkDelayMs: 40, embeddingDimensions: 1536 });
    const env = {
      DATABASE_URL: db.url ?? "",
      REDIS_URL: redisUrl ?? "",
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "test-key",
      OPENAI_CHAT_MODEL: "fake-chat",
      OPENAI_EMBEDDING_MODEL: "fake-embedding",
      OPENAI_EMBEDDING_DIMENSIONS: "1536",
    };
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
  }, 180_000);

  afterAll(async () => {
    if (process.env.DEBUG_PROCESSES) for (const server of servers) console.log(server.output.join("\n"));
    await Promise.all(servers.map((server) => server.stop("SIGKILL")));
    await model?.close();
    await db?.close();
  });

  it("a client that reconnects to the other process mid-reply ends with exactly the full text, once", async () => {
    const [producer, other] = servers as [ServerProcess, ServerProcess];
    const person = new Browser(producer.url, { ip: freshIp() });
    expect((await person.signUp(freshEmail("streamer"))).status).toBe(200);
    const sessionId = randomUUID();
    const created = await person.postJson("/trpc/session.create", { id: sessionId, type: "text" });
    expect(created.status, await created.clone().text()).toBe(200);

    const streamPath = (lastEventId?: string) =>
      `/trpc/session.stream?input=${encodeURIComponent(JSON.stringify({ id: sessionId, ...(lastEventId ? { lastEventId } : {}) }))}`;
    // The same person's cookies, sent to the other process.
    const elsewhere = new Browser(other.url, { ip: person.ip });
    for (const [name, value] of person.jar) elsewhere.jar.set(name, value);

    // Listen on the other process before the send, so the stream starts at its beginning there.
    const firstConnection = await elsewhere.fetch(streamPath(), { headers: { accept: "text/event-stream" } });
    expect(firstConnection.status).toBe(200);
    let tokensBeforeDrop = 0;
    const firstPart = readSse(firstConnection, (event) => parse(event)?.kind === "token" && ++tokensBeforeDrop >= 15);

    const sent = await person.postJson("/trpc/message.send", { sessionId, text: "How should I answer?", reply: true });
    expect(sent.status, await sent.clone().text()).toBe(200);

    const seen = await firstPart;
    const lastId = [...seen].reverse().find((event) => event.id !== null)?.id;
    expect(lastId).toBeTruthy();

    expect(tokensBeforeDrop).toBe(15);
    // Reconnect to the producing process with the last event id, as tRPC's link does after a drop.
    const secondConnection = await person.fetch(streamPath(lastId ?? undefined), {
      headers: { accept: "text/event-stream" },
    });
    const rest = await readSse(secondConnection, (event) => parse(event)?.kind === "message");

    const tokens = [...seen, ...rest]
      .map(parse)
      .filter((data): data is StreamData => data?.kind === "token")
      .map((data) => data.text ?? "");
    const finished = rest.map(parse).find((data) => data?.kind === "message")?.message;
    expect(finished?.author).toBe("ai");
    expect(tokens.join("")).toBe(REPLY);
    expect(finished?.text).toBe(REPLY);

    function parse(event: { data: string; id: string | null }): StreamData | null {
      if (event.id === null || !event.data) return null;
      return JSON.parse(event.data) as StreamData;
    }
  });
});
