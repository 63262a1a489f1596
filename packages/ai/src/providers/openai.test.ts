// The OpenAI-compatible provider on its own (no resilience layer) against the fake server's real HTTP protocol.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../../test/index.ts";
import { EMBEDDING_DIMENSIONS, ProviderError, type AiProvider, type ChatStreamEvent } from "../provider.ts";
import { createOpenAiProvider, type OpenAiProviderConfig } from "./openai.ts";

let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAiServer({ apiKey: "sk-test" });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.options.reply = undefined;
  server.options.embeddingDimensions = 8;
});

function provider(overrides: Partial<OpenAiProviderConfig> = {}): AiProvider {
  return createOpenAiProvider({
    baseURL: server.baseURL,
    apiKey: "sk-test",
    chatModel: "fake-chat",
    embeddingModel: "fake-embed",
    ...overrides,
  });
}

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<{ events: ChatStreamEvent[]; error: unknown }> {
  const events: ChatStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, error: null };
  } catch (error) {
    return { events, error };
  }
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const ZAnswer = z.object({ answer: z.string(), score: z.number().int() });
const structured = (p: AiProvider, signal?: AbortSignal) =>
  p.completeStructured({
    messages: [{ role: "user", content: "rate this" }],
    schema: ZAnswer,
    schemaName: "answer",
    ...(signal ? { signal } : {}),
  });

describe("streamChat", () => {
  it("streams tokens then a done event with usage and finish reason", async () => {
    server.options.reply = "Hi there, friend.";
    const { events, error } = await collect(
      provider().streamChat({
        messages: [{ role: "user", content: "say hi please" }],
        temperature: 0.2,
        maxOutputTokens: 50,
      }),
    );
    expect(error).toBeNull();
    const tokens = events.filter((e) => e.type === "token").map((e) => (e.type === "token" ? e.text : ""));
    expect(tokens.join("")).toBe("Hi there, friend.");
    expect(tokens.length).toBe(3);
    expect(events.at(-1)).toEqual({ type: "done", usage: { inputTokens: 3, outputTokens: 3 }, finishReason: "stop" });
    const [request] = server.requestsTo("chat");
    expect(request?.body).toMatchObject({
      model: "fake-chat",
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 50,
    });
    expect(request?.headers.authorization).toBe("Bearer sk-test");
  });

  it("can send the output limit as max_completion_tokens", async () => {
    await collect(
      provider({ maxTokensParameter: "max_completion_tokens" }).streamChat({
        messages: [{ role: "user", content: "x" }],
        maxOutputTokens: 7,
      }),
    );
    expect(server.requestsTo("chat")[0]?.body).toMatchObject({ max_completion_tokens: 7 });
    expect(server.requestsTo("chat")[0]?.body.max_tokens).toBeUndefined();
  });

  it("reports a stream cut midway as a retryable connection error, after the tokens it got", async () => {
    server.options.reply = "one two three four five";
    server.enqueue({ kind: "cut", afterChunks: 3 });
    const { events, error } = await collect(provider().streamChat({ messages: [{ role: "user", content: "count" }] }));
    expect(events.map((e) => (e.type === "token" ? e.text : "")).join("")).toBe("one two");
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("connection_error");
    expect((error as ProviderError).retryable).toBe(true);
    expect(server.requestsTo("chat")).toHaveLength(1);
  });

  it("reports malformed stream data as bad_response", async () => {
    server.enqueue({ kind: "malformed" });
    const { error } = await collect(provider().streamChat({ messages: [{ role: "user", content: "x" }] }));
    expect((error as ProviderError).code).toBe("bad_response");
  });

  it("maps HTTP failures: 429 rate_limited, 5xx and other 4xx upstream_error, and makes one request each", async () => {
    server.enqueue(
      { kind: "status", status: 429, retryAfterMs: 1000 },
      { kind: "status", status: 503 },
      { kind: "status", status: 400 },
    );
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push(
        (await collect(provider().streamChat({ messages: [{ role: "user", content: "x" }] }))).error as ProviderError,
      );
    expect(results.map((e) => [e.code, e.retryable])).toEqual([
      ["rate_limited", true],
      ["upstream_error", true],
      ["upstream_error", false],
    ]);
    // maxRetries: 0 — the SDK never retries on its own.
    expect(server.requestsTo("chat")).toHaveLength(3);
  });

  it("maps a wrong API key to a non-retryable upstream_error", async () => {
    const { error } = await collect(
      provider({ apiKey: "wrong" }).streamChat({ messages: [{ role: "user", content: "x" }] }),
    );
    expect((error as ProviderError).code).toBe("upstream_error");
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as ProviderError).message).toMatch(/401/);
  });

  it("maps an unreachable endpoint to connection_error", async () => {
    const closed = await startFakeOpenAiServer();
    const baseURL = closed.baseURL;
    await closed.close();
    const { error } = await collect(provider({ baseURL }).streamChat({ messages: [{ role: "user", content: "x" }] }));
    expect((error as ProviderError).code).toBe("connection_error");
    expect((error as ProviderError).retryable).toBe(true);
  });

  it("turns an abort before the first byte and one mid-stream into cancelled", async () => {
    server.enqueue({ kind: "hang" });
    const before = new AbortController();
    setTimeout(() => before.abort(), 50);
    const first = await collect(
      provider().streamChat({ messages: [{ role: "user", content: "x" }], signal: before.signal }),
    );
    expect((first.error as ProviderError).code).toBe("cancelled");

    server.options.reply = "a b c d e f g h";
    server.enqueue({ kind: "ok", chunkDelayMs: 30 });
    const during = new AbortController();
    const events: ChatStreamEvent[] = [];
    let error: unknown = null;
    try {
      for await (const event of provider().streamChat({
        messages: [{ role: "user", content: "x" }],
        signal: during.signal,
      })) {
        events.push(event);
        if (events.length === 2) during.abort();
      }
    } catch (e) {
      error = e;
    }
    expect((error as ProviderError).code).toBe("cancelled");
    expect(events.some((e) => e.type === "done")).toBe(false);
  });
});

describe("completeStructured", () => {
  it("sends a strict json_schema response format and validates the answer", async () => {
    server.options.reply = JSON.stringify({ answer: "good", score: 4 });
    const result = await structured(provider());
    expect(result.value).toEqual({ answer: "good", score: 4 });
    expect(result.usage).toEqual({ inputTokens: 2, outputTokens: 1 });
    expect(result.raw).toMatchObject({ object: "chat.completion" });
    const body = server.requestsTo("chat")[0]?.body;
    expect(body.stream).toBeUndefined();
    expect(body.response_format).toEqual({
      type: "json_schema",
      json_schema: {
        name: "answer",
        strict: true,
        schema: {
          type: "object",
          properties: {
            answer: { type: "string" },
            score: { type: "integer", minimum: expect.any(Number), maximum: expect.any(Number) },
          },
          required: ["answer", "score"],
          additionalProperties: false,
        },
      },
    });
  });

  it("rejects an answer that is not JSON as bad_response", async () => {
    server.options.reply = "Sure! Here is your JSON: {answer: good}";
    const error = await failure(structured(provider()));
    expect(error.code).toBe("bad_response");
    expect(error.message).toMatch(/answer is not valid JSON/);
  });

  it("rejects JSON that does not match the schema as bad_response, saying which field", async () => {
    server.options.reply = JSON.stringify({ answer: "good", score: "four" });
    const error = await failure(structured(provider()));
    expect(error.code).toBe("bad_response");
    expect(error.message).toMatch(/score/);
  });

  it("rejects a malformed HTTP body as bad_response and a body cut in flight as connection_error", async () => {
    server.enqueue({ kind: "malformed" }, { kind: "cut", afterChunks: 0 });
    expect((await failure(structured(provider()))).code).toBe("bad_response");
    expect((await failure(structured(provider()))).code).toBe("connection_error");
  });

  it("turns an abort into cancelled", async () => {
    server.enqueue({ kind: "hang" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await failure(structured(provider(), controller.signal))).code).toBe("cancelled");
  });
});

describe("embed", () => {
  it("zero-pads shorter vectors to 1536 without changing them", async () => {
    server.options.embeddingDimensions = 8;
    const result = await provider().embed(["hello", "world"]);
    expect(result.vectors).toHaveLength(2);
    for (const vector of result.vectors) {
      expect(vector).toHaveLength(EMBEDDING_DIMENSIONS);
      expect(vector.slice(8).every((x) => x === 0)).toBe(true);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
    }
    expect(result.usage).toEqual({ inputTokens: 2, outputTokens: null });
    const body = server.requestsTo("embeddings")[0]?.body;
    expect(body).toMatchObject({ model: "fake-embed", input: ["hello", "world"], encoding_format: "float" });
    expect(body.dimensions).toBeUndefined();
  });

  it("asks for 1536 dimensions when the model's native size is larger", async () => {
    server.options.embeddingDimensions = 3072;
    const result = await provider({ embeddingDimensions: 3072 }).embed(["hello"]);
    expect(result.vectors[0]).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(server.requestsTo("embeddings")[0]?.body.dimensions).toBe(EMBEDDING_DIMENSIONS);
  });

  it("refuses oversized vectors when the native size was not configured, naming the setting", async () => {
    server.options.embeddingDimensions = 3072;
    const error = await failure(provider().embed(["hello"]));
    expect(error.code).toBe("bad_response");
    expect(error.message).toMatch(/OPENAI_EMBEDDING_DIMENSIONS=3072/);
  });

  it("refuses vectors of another size than the configured native one", async () => {
    server.options.embeddingDimensions = 8;
    const error = await failure(provider({ embeddingDimensions: 768 }).embed(["hello"]));
    expect(error.message).toMatch(/768/);
  });

  it("sends inputs in batches and keeps their order", async () => {
    const texts = ["a", "b", "c", "d", "e"];
    const batched = await provider({ embeddingBatchSize: 2 }).embed(texts);
    expect(server.requestsTo("embeddings").map((r) => r.body.input)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    const single = await Promise.all(texts.map((t) => provider().embed([t])));
    expect(batched.vectors).toEqual(single.map((r) => r.vectors[0]));
  });

  it("returns nothing for nothing, without a request", async () => {
    expect(await provider().embed([])).toEqual({ vectors: [], usage: { inputTokens: 0, outputTokens: null } });
    expect(server.requests).toHaveLength(0);
  });

  it("maps embedding failures like chat failures", async () => {
    server.enqueue(
      { kind: "status", status: 500, endpoint: "embeddings" },
      { kind: "malformed", endpoint: "embeddings" },
    );
    expect((await failure(provider().embed(["x"]))).code).toBe("upstream_error");
    expect((await failure(provider().embed(["x"]))).code).toBe("bad_response");
  });
});

describe("identity", () => {
  it("describes itself for the interaction log", () => {
    const p = provider({ name: "ollama-local" });
    expect({
      name: p.name,
      kind: p.kind,
      baseUrl: p.baseUrl,
      chatModel: p.chatModel,
      embeddingModel: p.embeddingModel,
    }).toEqual({
      name: "ollama-local",
      kind: "openai_compatible",
      baseUrl: server.baseURL,
      chatModel: "fake-chat",
      embeddingModel: "fake-embed",
    });
    expect(provider().name).toBe("openai-compatible");
  });
});
