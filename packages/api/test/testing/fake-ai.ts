// Test doubles for the AI runtime: a scriptable in-process provider (no network) and a log that
// records calls in memory. Tests of the interaction log itself use the real one on a database.
import { randomUUID } from "node:crypto";
import {
  type AiProvider,
  type AiRuntime,
  type CallOutcome,
  type CallSpec,
  type ChatStreamEvent,
  type InteractionLog,
  ProviderError,
  SessionStreams,
  type StructuredRequest,
} from "@lockstep/ai";

export interface RecordedCall {
  id: string;
  spec: CallSpec;
  status: "pending" | "success" | "error";
  outcome?: CallOutcome;
  error?: unknown;
  firstToken: boolean;
}

export class RecordingLog implements InteractionLog {
  readonly calls: RecordedCall[] = [];
  /** Makes the row AI messages point at (messages.ai_interaction_id is a foreign key). */
  constructor(private readonly persist?: (id: string, spec: CallSpec) => Promise<void>) {}
  async begin(spec: CallSpec) {
    const call: RecordedCall = { id: randomUUID(), spec, status: "pending", firstToken: false };
    await this.persist?.(call.id, spec);
    this.calls.push(call);
    return {
      id: call.id,
      firstToken: () => {
        call.firstToken = true;
      },
      succeed: async (outcome: CallOutcome) => {
        if (call.status === "pending") Object.assign(call, { status: "success", outcome });
      },
      fail: async (error: unknown) => {
        if (call.status === "pending") Object.assign(call, { status: "error", error });
      },
    };
  }
  inFlight() {
    return this.calls.filter((call) => call.status === "pending").length;
  }
  async cancelInFlight() {
    return 0;
  }
}

export interface FakeProviderScript {
  replyWords?: string[];
  /** Fail the next calls of this kind. */
  failReply?: boolean;
  failSuggest?: boolean;
}

export function fakeProvider(script: FakeProviderScript = {}): AiProvider & { script: FakeProviderScript } {
  return {
    script,
    name: "fake",
    kind: "openai_compatible",
    baseUrl: "http://fake.invalid/v1",
    chatModel: "fake-chat",
    embeddingModel: "fake-embed",
    async *streamChat(): AsyncIterable<ChatStreamEvent> {
      const words = script.replyWords ?? ["Try", " asking", " about", " their", " weekend."];
      for (const [index, word] of words.entries()) {
        if (script.failReply && index === 2) throw new ProviderError("connection_error", "stream cut", true);
        yield { type: "token", text: word };
      }
      yield { type: "done", usage: { inputTokens: 10, outputTokens: words.length }, finishReason: "stop" };
    },
    async completeStructured<T>(request: StructuredRequest<T>) {
      // A session's title after its first reply.
      if (request.schemaName === "session_title") {
        const value = request.schema.parse({ title: "Their long week" });
        return { value, raw: { title: "Their long week" }, usage: { inputTokens: 5, outputTokens: 3 } };
      }
      if (script.failSuggest) throw new ProviderError("upstream_error", "HTTP 500", true);
      const value = request.schema.parse({
        suggestions: [
          {
            title: "Ask a question",
            tag: "Curiosity",
            text: "What was the best part of your week?",
            analysis: "An open question invites a real answer.",
          },
          {
            title: "Share something",
            tag: "Comfort",
            text: "Mine was long too, honestly.",
            analysis: "Matching their mood builds rapport.",
          },
        ],
      });
      return { value, usage: { inputTokens: 20, outputTokens: 40 }, raw: { fake: true } };
    },
    async embed(texts: string[]) {
      return {
        vectors: texts.map(() => Array.from({ length: 1536 }, (_, index) => (index === 0 ? 1 : 0))),
        usage: { inputTokens: 0, outputTokens: null },
      };
    },
  };
}

/** Inserts a minimal ai_interactions row (as the owner) for a recorded call. */
export function persistCallRow(pool: { query(sql: string, values: unknown[]): Promise<unknown> }) {
  return async (id: string, spec: CallSpec) => {
    await pool.query(
      `WITH provider AS (
         INSERT INTO providers (name, kind, updated_at) VALUES ($2, 'OPENAI_COMPATIBLE', now())
         ON CONFLICT (name) DO UPDATE SET updated_at = providers.updated_at RETURNING id)
       INSERT INTO ai_interactions (id, provider_id, model_name, operation, request, user_id, updated_at)
       SELECT $1::uuid, provider.id, $3, upper($4)::"AiOperation", '{}', $5, now() FROM provider`,
      [id, spec.provider.name, spec.model, spec.operation, spec.context.userId],
    );
  };
}

export function fakeRuntime(script: FakeProviderScript = {}, persist?: (id: string, spec: CallSpec) => Promise<void>) {
  const provider = fakeProvider(script);
  const log = new RecordingLog(persist);
  const runtime: AiRuntime = {
    provider,
    log,
    streams: new SessionStreams(),
    retrieve: async () => [],
    sentimentOf: (text) =>
      /love|great|thanks/i.test(text) ? "positive" : /hate|awful|tired/i.test(text) ? "negative" : "neutral",
  };
  return { runtime, provider, log };
}
