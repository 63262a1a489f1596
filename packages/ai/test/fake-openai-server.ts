// A fake OpenAI-compatible HTTP server for tests: the real wire protocol (JSON and SSE), scriptable faults, and a record of every request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { fnv1a } from "../src/providers/lexical-embedding.ts";

export type FakeEndpoint = "chat" | "embeddings";

interface FaultTiming {
  /** Only the next request to this endpoint takes the fault; by default the next request of any kind. */
  endpoint?: FakeEndpoint;
  /** Wait before sending the status line and headers. */
  delayMs?: number;
  /** Wait between stream chunks (overrides the server-wide setting). */
  chunkDelayMs?: number;
}

/** What the next matching request gets instead of (or on top of) a normal answer. */
export type FakeFault = FaultTiming &
  (
    | { kind: "ok" }
    | { kind: "reply"; content: string }
    | { kind: "status"; status: number; message?: string; retryAfterMs?: number }
    | { kind: "hang" }
    /** Sends `afterChunks` SSE events (or, without streaming, half the body), then destroys the socket. */
    | { kind: "cut"; afterChunks: number }
    | { kind: "malformed" }
  );

export interface RecordedRequest {
  method: string;
  path: string;
  endpoint: FakeEndpoint | null;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary request fields
  receivedAt: number;
}

export interface FakeChatRequestBody {
  model?: string;
  messages?: { role: string; content: unknown }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
  [key: string]: unknown;
}

export interface FakeOpenAiServerOptions {
  /** The assistant's answer; a function gets the request body (e.g. to answer structured requests with JSON). */
  reply?: string | ((body: FakeChatRequestBody) => string);
  /** The embedding model's native size; `dimensions` in a request may ask for fewer. */
  embeddingDimensions?: number;
  /** Delay between stream chunks for every streamed answer. */
  chunkDelayMs?: number;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** Each embedding model its own vectors (as real models differ), instead of one vector per text. */
  embeddingsPerModel?: boolean;
  /**
   * Prompt tokens the endpoint reports as served from its prompt cache
   * (`usage.prompt_tokens_details.cached_tokens`), at most the prompt's own tokens.
   */
  cachedPromptTokens?: number;
}

export interface FakeOpenAiServer {
  /** For the SDK's baseURL, e.g. http://127.0.0.1:41234/v1 */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  readonly options: FakeOpenAiServerOptions;
  /** Faults for the next requests, consumed in order. */
  enqueue(...faults: FakeFault[]): void;
  /** Requests to one endpoint (what tests count attempts with). */
  requestsTo(endpoint: FakeEndpoint): RecordedRequest[];
  /** Forgets recorded requests and queued faults. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_REPLY = "Hello from the fake server. This reply is deterministic.";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A deterministic unit vector for a text, so tests can compare embeddings across calls. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  let state = fnv1a(text) || 1;
  const values: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    // xorshift32: cheap, deterministic, good enough to spread values.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    values.push(state / 0xffffffff - 0.5);
  }
  const norm = Math.sqrt(values.reduce((s, x) => s + x * x, 0)) || 1;
  return values.map((x) => x / norm);
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Text of a message: a string, or the text parts of a multi-part (text and image) content. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: { type?: string; text?: unknown }) =>
      part?.type === "text" && typeof part.text === "string" ? part.text : "",
    )
    .join(" ");
}

/** The images a chat request carries (image_url parts, as vision models take them), data URLs included. */
export function imageInputs(body: FakeChatRequestBody): string[] {
  return (body.messages ?? []).flatMap((message) =>
    Array.isArray(message.content)
      ? message.content
          .filter((part: { type?: string }) => part?.type === "image_url")
          .map((part: { image_url?: { url?: string } }) => part.image_url?.url ?? "")
      : [],
  );
}

function promptWords(body: FakeChatRequestBody): number {
  // An image counts as a fixed number of prompt tokens, as providers bill them.
  return (body.messages ?? []).reduce((sum, m) => sum + words(textOf(m.content)), 0) + 85 * imageInputs(body).length;
}

function errorBody(status: number, message: string) {
  const type = status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error";
  return { error: { message, type, param: null, code: type } };
}

/** The request stream itself is finished once read, so ask the socket whether the client is still there. */
function clientGone(res: ServerResponse): boolean {
  return res.destroyed || !res.socket || res.socket.destroyed;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startFakeOpenAiServer(initial: FakeOpenAiServerOptions = {}): Promise<FakeOpenAiServer> {
  const options: FakeOpenAiServerOptions = { ...initial };
  const requests: RecordedRequest[] = [];
  let faults: FakeFault[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;

  function takeFault(endpoint: FakeEndpoint): FakeFault {
    const index = faults.findIndex((f) => f.endpoint === undefined || f.endpoint === endpoint);
    if (index < 0) return { kind: "ok" };
    const [fault] = faults.splice(index, 1);
    return fault ?? { kind: "ok" };
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  /** Writes the body in two halves and kills the connection in between: a response cut in flight. */
  function sendCutJson(res: ServerResponse, body: unknown) {
    const text = JSON.stringify(body);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
  }

  function sendMalformedJson(res: ServerResponse) {
    const text = '{"id": "broken", "choices": [ {"message": ';
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  function replyFor(body: FakeChatRequestBody, fault: FakeFault): string {
    if (fault.kind === "reply") return fault.content;
    const reply = options.reply ?? DEFAULT_REPLY;
    return typeof reply === "function" ? reply(body) : reply;
  }

  async function chat(res: ServerResponse, body: FakeChatRequestBody, fault: FakeFault) {
    const id = `chatcmpl-fake-${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model ?? "fake-model";
    const content = replyFor(body, fault);
    const usage = {
      prompt_tokens: promptWords(body),
      completion_tokens: words(content),
      total_tokens: promptWords(body) + words(content),
      ...(options.cachedPromptTokens !== undefined
        ? { prompt_tokens_details: { cached_tokens: Math.min(options.cachedPromptTokens, promptWords(body)) } }
        : {}),
    };

    if (!body.stream) {
      const completion = {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [
          { index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" },
        ],
        usage,
      };
      if (fault.kind === "malformed") return sendMalformedJson(res);
      if (fault.kind === "cut") return sendCutJson(res, completion);
      return sendJson(res, 200, completion);
    }

    const base = { id, object: "chat.completion.chunk", created, model, system_fingerprint: null };
    // Split like a tokenizer would: each chunk carries a word and the space before it.
    const pieces = content.match(/\s*\S+/g) ?? [];
    const events: string[] = [
      JSON.stringify({
        ...base,
        choices: [
          { index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null },
        ],
      }),
      ...pieces.map((piece) =>
        JSON.stringify({
          ...base,
          choices: [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }],
        }),
      ),
      JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] }),
    ];
    if (body.stream_options?.include_usage) events.push(JSON.stringify({ ...base, choices: [], usage }));
    if (fault.kind === "malformed") events.splice(1, 0, "{not json");
    events.push("[DONE]");

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.flushHeaders();
    const chunkDelay = fault.chunkDelayMs ?? options.chunkDelayMs ?? 0;
    for (let i = 0; i < events.length; i++) {
      if (fault.kind === "cut" && i >= fault.afterChunks) {
        // Let what was written reach the client first, so the cut lands after exactly N chunks.
        await sleep(20);
        res.socket?.destroy();
        return;
      }
      if (i > 0 && chunkDelay > 0) await sleep(chunkDelay);
      if (clientGone(res)) return;
      res.write(`data: ${events[i]}\n\n`);
    }
    res.end();
  }

  function embeddings(res: ServerResponse, body: Record<string, unknown>, fault: FakeFault) {
    const native = options.embeddingDimensions ?? 8;
    const inputs =
      typeof body.input === "string" ? [body.input] : Array.isArray(body.input) ? body.input.map(String) : [];
    const requested = body.dimensions;
    if (requested !== undefined && (typeof requested !== "number" || requested < 1 || requested > native)) {
      // What OpenAI does when asked for more dimensions than the model has.
      return sendJson(
        res,
        400,
        errorBody(400, `This model does not support specifying dimensions of ${String(requested)}.`),
      );
    }
    const size = typeof requested === "number" ? requested : native;
    const data = inputs.map((text, index) => {
      const vector = fakeEmbedding(options.embeddingsPerModel ? `${String(body.model)}\u0000${text}` : text, size);
      const embedding =
        body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
      return { object: "embedding", index, embedding };
    });
    const tokens = inputs.reduce((sum, t) => sum + words(t), 0);
    const response = {
      object: "list",
      data,
      model: body.model ?? "fake-embedding",
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
    if (fault.kind === "malformed") return sendMalformedJson(res);
    if (fault.kind === "cut") return sendCutJson(res, response);
    return sendJson(res, 200, response);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const endpoint: FakeEndpoint | null =
      path === "/v1/chat/completions" ? "chat" : path === "/v1/embeddings" ? "embeddings" : null;
    requests.push({
      method: req.method ?? "GET",
      path,
      endpoint,
      headers: { ...req.headers },
      body,
      receivedAt: Date.now(),
    });

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(res, 401, errorBody(401, "Incorrect API key provided."));
    }
    if (req.method === "GET" && path === "/v1/models") {
      return sendJson(res, 200, {
        object: "list",
        data: [{ id: "fake-model", object: "model", created: 0, owned_by: "fake" }],
      });
    }
    if (req.method !== "POST" || endpoint === null)
      return sendJson(res, 404, errorBody(404, `Unknown request URL: ${req.method} ${path}`));
    if (typeof body !== "object" || body === null)
      return sendJson(res, 400, errorBody(400, "We could not parse the JSON body of your request."));

    const fault = takeFault(endpoint);
    if (fault.delayMs) await sleep(fault.delayMs);
    if (clientGone(res)) return;
    switch (fault.kind) {
      case "hang":
        // Never answer; the socket is destroyed when the client gives up or the server closes.
        return;
      case "status": {
        const headers: Record<string, string> = {};
        if (fault.retryAfterMs !== undefined) {
          headers["retry-after-ms"] = String(fault.retryAfterMs);
          headers["retry-after"] = String(Math.ceil(fault.retryAfterMs / 1000));
        }
        return sendJson(
          res,
          fault.status,
          errorBody(fault.status, fault.message ?? `Fake failure ${fault.status}`),
          headers,
        );
      }
      default:
        if (endpoint === "chat") return chat(res, body as FakeChatRequestBody, fault);
        return embeddings(res, body as Record<string, unknown>, fault);
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(500, `fake server bug: ${String(error)}`));
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    options,
    enqueue(...more) {
      faults.push(...more);
    },
    requestsTo(endpoint) {
      return requests.filter((r) => r.endpoint === endpoint);
    },
    reset() {
      requests.length = 0;
      faults = [];
    },
    close() {
      // Hanging requests would keep close() waiting forever.
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
