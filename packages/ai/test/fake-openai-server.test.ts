// The fake server speaks the wire protocol itself (checked here with plain fetch), so provider tests exercise real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeEmbedding, startFakeOpenAiServer, type FakeOpenAiServer } from "./fake-openai-server.ts";

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer({ reply: "one two three" });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const post = (path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${server.baseURL}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });

const dataLines = (text: string) =>
  text
    .split("\n\n")
    .filter(Boolean)
    .map((event) => event.replace(/^data: /, ""));

describe("fake OpenAI server", () => {
  it("listens on 127.0.0.1 with a /v1 base URL", () => {
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it("answers a chat completion as JSON", async () => {
    const response = await post("/chat/completions", { model: "m", messages: [{ role: "user", content: "hi there" }] });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toMatchObject({
      object: "chat.completion",
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: "one two three" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
    });
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      endpoint: "chat",
      body: { model: "m" },
    });
  });

  it("streams SSE chunks, the usage chunk when asked, then [DONE]", async () => {
    const response = await post("/chat/completions", {
      model: "m",
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const lines = dataLines(await response.text());
    expect(lines.at(-1)).toBe("[DONE]");
    const chunks = lines.slice(0, -1).map((line) => JSON.parse(line));
    expect(chunks[0].choices[0].delta).toMatchObject({ role: "assistant", content: "" });
    expect(chunks.slice(1, 4).map((c) => c.choices[0].delta.content)).toEqual(["one", " two", " three"]);
    expect(chunks[4].choices[0].finish_reason).toBe("stop");
    expect(chunks[5]).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });

    const withoutUsage = dataLines(
      await (await post("/chat/completions", { model: "m", messages: [], stream: true })).text(),
    );
    expect(withoutUsage).toHaveLength(6);
  });

  it("plays faults in order: status with retry-after, delay, then normal", async () => {
    server.enqueue({ kind: "status", status: 429, retryAfterMs: 1500 }, { kind: "ok", delayMs: 60 });
    const limited = await post("/chat/completions", { messages: [] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.headers.get("retry-after-ms")).toBe("1500");
    expect(await limited.json()).toMatchObject({ error: { type: "rate_limit_exceeded" } });
    const started = Date.now();
    expect((await post("/chat/completions", { messages: [] })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(server.requestsTo("chat")).toHaveLength(2);
  });

  it("cuts a stream after N chunks and sends malformed data when told", async () => {
    server.enqueue({ kind: "cut", afterChunks: 2 });
    const response = await post("/chat/completions", { messages: [], stream: true });
    await expect(response.text()).rejects.toThrow();

    server.enqueue({ kind: "malformed" });
    const malformed = await post("/chat/completions", { messages: [] });
    await expect(malformed.json()).rejects.toThrow(SyntaxError);
  });

  it("hangs until the client gives up", async () => {
    server.enqueue({ kind: "hang" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 80);
    await expect(post("/chat/completions", { messages: [] }, controller.signal)).rejects.toThrow(/abort/i);
  });

  it("keeps faults for one endpoint away from the other", async () => {
    server.enqueue({ kind: "status", status: 500, endpoint: "embeddings" });
    expect((await post("/chat/completions", { messages: [] })).status).toBe(200);
    expect((await post("/embeddings", { input: "x" })).status).toBe(500);
  });

  it("embeds deterministically, honours dimensions and base64", async () => {
    server.options.embeddingDimensions = 16;
    const body = (await (await post("/embeddings", { model: "e", input: ["a", "b"] })).json()) as {
      data: { index: number; embedding: number[] }[];
    };
    expect(body.data.map((d) => d.index)).toEqual([0, 1]);
    expect(body.data[0]?.embedding).toEqual(fakeEmbedding("a", 16));
    const reduced = (await (await post("/embeddings", { input: "a", dimensions: 4 })).json()) as {
      data: { embedding: number[] }[];
    };
    expect(reduced.data[0]?.embedding).toHaveLength(4);
    expect((await post("/embeddings", { input: "a", dimensions: 32 })).status).toBe(400);
    const encoded = (await (await post("/embeddings", { input: "a", encoding_format: "base64" })).json()) as {
      data: { embedding: string }[];
    };
    const decoded = Array.from(
      new Float32Array(Uint8Array.from(Buffer.from(encoded.data[0]?.embedding ?? "", "base64")).buffer),
    );
    expect(decoded).toHaveLength(16);
    expect(decoded[0]).toBeCloseTo(fakeEmbedding("a", 16)[0] ?? 0, 6);
  });

  it("answers unknown routes with a 404 in the OpenAI error shape", async () => {
    const response = await post("/completions", {});
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining("/v1/completions") } });
  });
});
