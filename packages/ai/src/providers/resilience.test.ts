// The resilience layer against the fake server's faults: what the caller sees, and how many attempts the server saw.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../../test/index.ts";
import { ProviderError, type AiProvider, type ChatStreamEvent } from "../provider.ts";
import { createOpenAiProvider } from "./openai.ts";
import { DEFAULT_RESILIENCE_POLICY, withResilience, type ResiliencePolicy } from "./resilience.ts";

let server: FakeOpenAiServer;

// The first request of a process pays for loading the HTTP stack; keep that out of the timed tests.
beforeAll(async () => {
  const warm = await startFakeOpenAiServer();
  await createOpenAiProvider({ baseURL: warm.baseURL, chatModel: "m", embeddingModel: "e" }).embed(["warm up"]);
  await warm.close();
});
// A server per test: a request still in flight when a test ends can never land in the next one's count.
beforeEach(async () => {
  server = await startFakeOpenAiServer({ reply: "alpha beta gamma delta epsilon" });
});
afterEach(() => server.close());

/**
 * Small delays so every fault resolves in well under a second; timeouts roomy enough for a busy
 * 2-core machine (they cost nothing unless something hangs), except in the tests about timeouts,
 * which set their own.
 */
const FAST: Partial<ResiliencePolicy> = {
  firstTokenTimeoutMs: 5_000,
  totalTimeoutMs: 10_000,
  maxAttempts: 3,
  baseDelayMs: 5,
  maxDelayMs: 100,
  breakerThreshold: 100,
  halfOpenAfterMs: 150,
};

function resilient(policy: Partial<ResiliencePolicy> = {}) {
  const inner = createOpenAiProvider({
    baseURL: server.baseURL,
    apiKey: "k",
    chatModel: "fake-chat",
    embeddingModel: "fake-embed",
  });
  return withResilience(inner, { ...FAST, ...policy });
}

const chatRequest = (signal?: AbortSignal) => ({
  messages: [{ role: "user" as const, content: "hello" }],
  ...(signal ? { signal } : {}),
});

async function collect(
  stream: AsyncIterable<ChatStreamEvent>,
): Promise<{ text: string; done: boolean; error: ProviderError | null }> {
  let text = "";
  let done = false;
  try {
    for await (const event of stream) {
      if (event.type === "token") text += event.text;
      else done = true;
    }
    return { text, done, error: null };
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return { text, done, error: error as ProviderError };
  }
}

const ZAnswer = z.object({ ok: z.boolean() });
const structured = (p: AiProvider, signal?: AbortSignal) =>
  p.completeStructured({ ...chatRequest(signal), schema: ZAnswer, schemaName: "answer" }).then(
    (result) => ({ result, error: null }),
    (error: unknown) => ({ result: null, error: error as ProviderError }),
  );

const attempts = () => server.requestsTo("chat").length;

describe("policy", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_RESILIENCE_POLICY).toEqual({
      firstTokenTimeoutMs: 15_000,
      totalTimeoutMs: 60_000,
      maxAttempts: 3,
      baseDelayMs: 200,
      maxDelayMs: 10_000,
      breakerThreshold: 5,
      halfOpenAfterMs: 30_000,
    });
  });

  it("rejects nonsense values", () => {
    const inner = createOpenAiProvider({ baseURL: server.baseURL, chatModel: "m", embeddingModel: "e" });
    expect(() => withResilience(inner, { maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => withResilience(inner, { totalTimeoutMs: 1.5 })).toThrow(/totalTimeoutMs/);
  });

  it("keeps the wrapped provider's identity", () => {
    const p = resilient();
    expect([p.name, p.kind, p.baseUrl, p.chatModel, p.embeddingModel]).toEqual([
      "openai-compatible",
      "openai_compatible",
      server.baseURL,
      "fake-chat",
      "fake-embed",
    ]);
  });
});

describe("retries", () => {
  it("retries 429 and 500 and succeeds within the attempt limit", async () => {
    server.enqueue({ kind: "status", status: 429 }, { kind: "status", status: 500 });
    const outcome = await collect(resilient().streamChat(chatRequest()));
    expect(outcome).toEqual({ text: "alpha beta gamma delta epsilon", done: true, error: null });
    expect(attempts()).toBe(3);
  });

  it("gives up after maxAttempts with the last error", async () => {
    server.enqueue(...Array.from({ length: 5 }, () => ({ kind: "status" as const, status: 500 })));
    const outcome = await collect(resilient().streamChat(chatRequest()));
    expect(outcome.error?.code).toBe("upstream_error");
    expect(attempts()).toBe(3);

    server.reset();
    server.enqueue(...Array.from({ length: 5 }, () => ({ kind: "status" as const, status: 429 })));
    const { error } = await structured(resilient({ maxAttempts: 2 }));
    expect(error?.code).toBe("rate_limited");
    expect(attempts()).toBe(2);
  });

  it("waits at least as long as Retry-After says", async () => {
    server.enqueue({ kind: "status", status: 429, retryAfterMs: 80 });
    server.options.reply = JSON.stringify({ ok: true });
    const { result } = await structured(resilient());
    expect(result?.value).toEqual({ ok: true });
    const [first, second] = server.requestsTo("chat");
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(75);
  });

  it("does not retry a 4xx that is not 429, nor a bad answer", async () => {
    server.enqueue({ kind: "status", status: 400 });
    expect((await structured(resilient())).error?.code).toBe("upstream_error");
    expect(attempts()).toBe(1);

    server.reset();
    server.options.reply = "not json";
    expect((await structured(resilient())).error?.code).toBe("bad_response");
    expect(attempts()).toBe(1);
  });

  it("retries embeddings on a 503", async () => {
    server.enqueue({ kind: "status", status: 503, endpoint: "embeddings" });
    const result = await resilient().embed(["hello"]);
    expect(result.vectors).toHaveLength(1);
    expect(server.requestsTo("embeddings")).toHaveLength(2);
  });
});

describe("streams", () => {
  it("retries a stream cut before any token, and delivers the text once", async () => {
    server.enqueue({ kind: "cut", afterChunks: 1 });
    const outcome = await collect(resilient().streamChat(chatRequest()));
    expect(outcome).toEqual({ text: "alpha beta gamma delta epsilon", done: true, error: null });
    expect(attempts()).toBe(2);
  });

  it("does not retry a stream cut after tokens were delivered: no duplicate tokens", async () => {
    server.enqueue({ kind: "cut", afterChunks: 3 });
    const outcome = await collect(resilient().streamChat(chatRequest()));
    expect(outcome.text).toBe("alpha beta");
    expect(outcome.done).toBe(false);
    expect(outcome.error?.code).toBe("connection_error");
    expect(attempts()).toBe(1);
  });

  it("times out a hanging stream after the first-token timeout, without retrying it", async () => {
    server.enqueue({ kind: "hang" });
    const started = Date.now();
    const outcome = await collect(
      resilient({ firstTokenTimeoutMs: 200, totalTimeoutMs: 5_000 }).streamChat(chatRequest()),
    );
    const elapsed = Date.now() - started;
    expect(outcome.error?.code).toBe("timeout");
    expect(outcome.error?.message).toMatch(/200 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1_500);
    expect(attempts()).toBe(1);
  });

  it("times out a stream that trickles past the total timeout, keeping the tokens already sent", async () => {
    server.enqueue({ kind: "ok", chunkDelayMs: 150 });
    const outcome = await collect(
      resilient({ firstTokenTimeoutMs: 400, totalTimeoutMs: 600 }).streamChat(chatRequest()),
    );
    expect(outcome.error?.code).toBe("timeout");
    expect(outcome.error?.message).toMatch(/600 ms/);
    expect(outcome.text.length).toBeGreaterThan(0);
    expect("alpha beta gamma delta epsilon".startsWith(outcome.text)).toBe(true);
    expect(attempts()).toBe(1);
  });

  it("stops the request when the consumer leaves early, without an error", async () => {
    server.enqueue({ kind: "ok", chunkDelayMs: 20 });
    const p = resilient();
    let tokens = 0;
    for await (const event of p.streamChat(chatRequest())) {
      if (event.type === "token") tokens++;
      if (tokens === 2) break;
    }
    expect(tokens).toBe(2);
    expect(p.circuitState).toBe("closed");
  });

  it("turns an abort mid-stream into cancelled", async () => {
    server.enqueue({ kind: "ok", chunkDelayMs: 30 });
    const controller = new AbortController();
    const events: ChatStreamEvent[] = [];
    let error: unknown = null;
    try {
      for await (const event of resilient().streamChat(chatRequest(controller.signal))) {
        events.push(event);
        if (events.length === 2) controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect((error as ProviderError).code).toBe("cancelled");
    expect(events).toHaveLength(2);
    expect(attempts()).toBe(1);
  });
});

describe("timeouts and cancellation of single calls", () => {
  it("times out a hanging structured call after the total timeout", async () => {
    server.enqueue({ kind: "hang" });
    const started = Date.now();
    const { error } = await structured(resilient({ totalTimeoutMs: 200 }));
    expect(error?.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(attempts()).toBe(1);
  });

  it("turns an abort into cancelled, also during a retry's backoff", async () => {
    server.enqueue({ kind: "hang" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await structured(resilient(), controller.signal)).error?.code).toBe("cancelled");

    server.reset();
    server.enqueue({ kind: "status", status: 429, retryAfterMs: 5_000 });
    const later = new AbortController();
    setTimeout(() => later.abort(), 50);
    const started = Date.now();
    expect((await structured(resilient({ maxDelayMs: 5_000, totalTimeoutMs: 10_000 }), later.signal)).error?.code).toBe(
      "cancelled",
    );
    // Well under the 5 s the server asked to wait: the abort ended the wait, not the delay.
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("answers an already aborted signal without calling the server", async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await structured(resilient(), controller.signal)).error?.code).toBe("cancelled");
    expect((await collect(resilient().streamChat(chatRequest(controller.signal)))).error?.code).toBe("cancelled");
    expect(server.requests).toHaveLength(0);
  });
});

describe("circuit breaker", () => {
  it("opens after the threshold, fails fast without calling the server, then half-opens and closes", async () => {
    // The half-open delay is long enough that a busy machine cannot reach it between the fast failures.
    const p = resilient({ maxAttempts: 1, breakerThreshold: 3, halfOpenAfterMs: 1_500 });
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: "status" as const, status: 500 })));
    for (let i = 0; i < 3; i++) expect((await collect(p.streamChat(chatRequest()))).error?.code).toBe("upstream_error");
    expect(p.circuitState).toBe("open");
    expect(attempts()).toBe(3);

    expect((await collect(p.streamChat(chatRequest()))).error?.code).toBe("circuit_open");
    expect((await structured(p)).error?.code).toBe("circuit_open");
    await expect(p.embed(["x"])).rejects.toMatchObject({ code: "circuit_open" });
    // Failing fast means the server never saw these three.
    expect(server.requests).toHaveLength(3);

    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const trial = await collect(p.streamChat(chatRequest()));
    expect(trial.error).toBeNull();
    expect(attempts()).toBe(4);
    expect(p.circuitState).toBe("closed");
  });

  it("opens again when the half-open trial fails", async () => {
    const p = resilient({ maxAttempts: 1, breakerThreshold: 2, halfOpenAfterMs: 1_000 });
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: "status" as const, status: 503 })));
    await structured(p);
    await structured(p);
    expect(p.circuitState).toBe("open");
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await structured(p)).error?.code).toBe("upstream_error");
    expect(p.circuitState).toBe("open");
    expect((await structured(p)).error?.code).toBe("circuit_open");
    expect(attempts()).toBe(3);
  });

  it("counts timeouts and every failed attempt of a retried call", async () => {
    const p = resilient({ maxAttempts: 2, breakerThreshold: 3, totalTimeoutMs: 300 });
    server.enqueue({ kind: "status", status: 500 }, { kind: "status", status: 500 });
    await structured(p);
    expect(p.circuitState).toBe("closed");
    server.enqueue({ kind: "hang" });
    expect((await structured(p)).error?.code).toBe("timeout");
    // The aborted request settles just after the caller saw the timeout.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(p.circuitState).toBe("open");
  });

  it("does not count cancellations, refusals of bad input or bad answers", async () => {
    const p = resilient({ maxAttempts: 1, breakerThreshold: 2 });
    server.enqueue({ kind: "status", status: 400 }, { kind: "status", status: 422 });
    await structured(p);
    await structured(p);
    server.options.reply = "not json";
    await structured(p);
    await structured(p);
    const controller = new AbortController();
    controller.abort();
    await structured(p, controller.signal);
    expect(p.circuitState).toBe("closed");
  });

  it("is per wrapped provider", async () => {
    const broken = resilient({ maxAttempts: 1, breakerThreshold: 1 });
    server.enqueue({ kind: "status", status: 500 });
    await structured(broken);
    expect(broken.circuitState).toBe("open");
    expect(resilient().circuitState).toBe("closed");
  });
});
