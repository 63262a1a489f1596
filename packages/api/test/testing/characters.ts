// Test kit for the character procedures: catalogue rows inserted as the owner, a deterministic AI provider that answers the "memories" schema, an interaction log that records calls, and callers that carry them.
import { randomUUID } from "node:crypto";
import type {
  AiProvider,
  AiRuntime,
  CallOutcome,
  CallSpec,
  InteractionLog,
  StructuredRequest,
  StructuredResult,
} from "@lockstep/ai";
import { SessionStreams } from "@lockstep/ai";
import type { Database } from "@lockstep/db";
import type { SessionUser } from "../../src/context.ts";
import { createCaller } from "../../src/root.ts";

let counter = 0;

export interface TestCharacter {
  id: string;
  slug: string;
  name: string;
  templates: { id: string; slug: string; title: string }[];
}

/** A character with templates (as the owner: lockstep_app may only read the catalogue). */
export async function insertCharacter(
  db: Database,
  options: {
    name?: string;
    isActive?: boolean;
    templates?: { title: string; sortOrder?: number; isActive?: boolean }[];
  } = {},
): Promise<TestCharacter> {
  counter += 1;
  const name = options.name ?? `Coach ${counter}`;
  const slug = `coach-${counter}-${randomUUID().slice(0, 8)}`;
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO characters (slug, name, description, avatar, system_prompt, is_active, updated_at)
     VALUES ($1, $2, 'A test coach', '🌷', 'Secret persona prompt', $3, now()) RETURNING id`,
    [slug, name, options.isActive ?? true],
  );
  const id = rows[0]!.id;
  const templates: TestCharacter["templates"] = [];
  for (const [index, template] of (options.templates ?? []).entries()) {
    const templateSlug = `t${index}`;
    const inserted = await db.pool.query<{ id: string }>(
      `INSERT INTO episode_templates (character_id, slug, title, situation, sort_order, is_active, updated_at)
       VALUES ($1, $2, $3, 'A situation', $4, $5, now()) RETURNING id`,
      [id, templateSlug, template.title, template.sortOrder ?? index, template.isActive ?? true],
    );
    templates.push({ id: inserted.rows[0]!.id, slug: templateSlug, title: template.title });
  }
  return { id, slug, name, templates };
}

/** What the fake provider says for one "memories" request; defaults to the "I love X" rule below. */
export type MemoryAnswer = (conversation: { author: string; text: string }[]) => unknown;

/** "I love hiking" -> a preference "Loves hiking", pointing at the line it came from. */
export const loveRule: MemoryAnswer = (conversation) => ({
  memories: conversation.flatMap((line, sourceIndex) => {
    if (line.author !== "user") return [];
    const match = /\bI love ([\p{L} ]+)/iu.exec(line.text);
    return match ? [{ kind: "preference", content: `Loves ${match[1]!.trim()}`, sourceIndex }] : [];
  }),
});

export interface FakeProvider extends AiProvider {
  structuredCalls: StructuredRequest<unknown>[];
  answer: MemoryAnswer;
  /** Makes the next calls fail, as an upstream outage would. */
  failWith: Error | null;
  /** Runs inside every call before it answers (to look at the database while the "model" thinks). */
  during: (() => Promise<void>) | null;
}

export function fakeProvider(answer: MemoryAnswer = loveRule): FakeProvider {
  const provider: FakeProvider = {
    name: "test-provider",
    kind: "builtin",
    baseUrl: null,
    chatModel: "test-chat",
    embeddingModel: "test-embed",
    structuredCalls: [],
    answer,
    failWith: null,
    during: null,
    // eslint-disable-next-line require-yield
    async *streamChat() {
      throw new Error("streamChat is not used by these tests");
    },
    async completeStructured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
      provider.structuredCalls.push(request as StructuredRequest<unknown>);
      if (provider.during) await provider.during();
      if (provider.failWith) throw provider.failWith;
      if (request.schemaName !== "memories") throw new Error(`unexpected schema ${request.schemaName}`);
      const raw = provider.answer(request.context?.conversation ?? []);
      return { value: request.schema.parse(raw), usage: { inputTokens: 10, outputTokens: 5 }, raw };
    },
    async embed() {
      throw new Error("embed is not used by these tests");
    },
  };
  return provider;
}

export interface RecordedCall {
  id: string;
  spec: CallSpec;
  outcome: { status: "success"; value: CallOutcome } | { status: "error"; error: unknown } | null;
}

export interface RecordingLog extends InteractionLog {
  calls: RecordedCall[];
}

/** Records begin/succeed/fail in memory; enough to check what extraction logged and how it ended. */
export function recordingLog(): RecordingLog {
  const calls: RecordedCall[] = [];
  return {
    calls,
    async begin(spec) {
      const call: RecordedCall = { id: randomUUID(), spec, outcome: null };
      calls.push(call);
      return {
        id: call.id,
        firstToken() {},
        async succeed(outcome) {
          if (call.outcome) throw new Error("interaction completed twice");
          call.outcome = { status: "success", value: outcome };
        },
        async fail(error) {
          if (call.outcome) throw new Error("interaction completed twice");
          call.outcome = { status: "error", error };
        },
      };
    },
    inFlight: () => calls.filter((call) => !call.outcome).length,
    async cancelInFlight() {
      return 0;
    },
  };
}

export function testAiRuntime(provider: AiProvider, log: InteractionLog): AiRuntime {
  return { provider, log, streams: new SessionStreams(), retrieve: async () => [] };
}

/** A caller signed in as `user` whose context carries the AI runtime (or none, when `ai` is undefined). */
export function callerWithAi(db: Database, user: SessionUser | null, ai: AiRuntime | undefined) {
  return createCaller({
    db,
    user,
    server: { version: "test", expectedMigrations: [] },
    requestMeta: { requestId: `test-${randomUUID()}`, ip: "127.0.0.1", userAgent: "vitest" },
    ...(ai ? { ai } : {}),
  });
}
