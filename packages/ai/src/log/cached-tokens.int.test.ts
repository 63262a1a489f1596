// Cached input tokens end to end: an OpenAI-compatible endpoint (the fake server) reports
// usage.prompt_tokens_details.cached_tokens, the provider passes it on, the log records it on the
// call's row, and the call is priced with the cached-input price; an endpoint that does not report
// it leaves the count unknown and every input token at the input price.
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "../../test/fake-openai-server.ts";
import { createOpenAiProvider } from "../providers/openai.ts";
import { createInteractionLog } from "./interaction-log.ts";

let db: TestDatabase;
let fake: FakeOpenAiServer;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeOpenAiServer({ reply: "Ask what made the week long." });
  await db.pool.query(
    `INSERT INTO model_prices (pattern, input_per_million, cached_input_per_million, output_per_million, currency, effective_from)
     VALUES ('cachy-*', 4, 1, 10, 'USD', now() - interval '1 day')`,
  );
});
afterAll(async () => {
  await fake?.close();
  await db?.close();
});

const CONTEXT = { userId: null, sessionId: null, ip: null, dataSource: "system" as const };
const PROMPT = "one two three four five six seven eight nine ten";
const MESSAGES = [{ role: "user" as const, content: PROMPT }];

/** One streamed reply, logged as the chat flows log it; returns the row's token and cost columns. */
async function loggedReply(cachedPromptTokens: number | undefined) {
  fake.options.cachedPromptTokens = cachedPromptTokens;
  const provider = createOpenAiProvider({
    baseURL: fake.baseURL,
    apiKey: "k",
    chatModel: "cachy-chat",
    embeddingModel: "cachy-embed",
  });
  const log = createInteractionLog(db);
  const handle = await log.begin({
    operation: "reply",
    provider: { name: "Cachy", kind: "openai_compatible", baseUrl: fake.baseURL },
    model: "cachy-chat",
    promptText: PROMPT,
    request: { messages: MESSAGES },
    context: CONTEXT,
  });
  let text = "";
  for await (const event of provider.streamChat({ messages: MESSAGES })) {
    if (event.type === "token") text += event.text;
    else await handle.succeed({ response: { content: text }, usage: event.usage });
  }
  const { rows } = await db.pool.query<{
    input_tokens: number;
    cached_input_tokens: number | null;
    output_tokens: number;
    cost: string;
    cost_basis: string;
  }>(
    `SELECT input_tokens, cached_input_tokens, output_tokens, cost::text, cost_basis FROM ai_interactions WHERE id = $1`,
    [handle.id],
  );
  return rows[0]!;
}

describe("cached input tokens", () => {
  it("records the cached tokens the endpoint reports and prices them at the cached-input price", async () => {
    const row = await loggedReply(6);
    // The fake counts words: ten in the prompt, six of them from the cache; six in the reply.
    expect(row).toMatchObject({ input_tokens: 10, cached_input_tokens: 6, output_tokens: 6, cost_basis: "PRICED" });
    expect(Number(row.cost)).toBeCloseTo((4 * 4 + 6 * 1 + 6 * 10) / 1e6, 12);
  });

  it("leaves the count unknown when the endpoint does not report it, pricing all input as uncached", async () => {
    const row = await loggedReply(undefined);
    expect(row).toMatchObject({ input_tokens: 10, cached_input_tokens: null, output_tokens: 6 });
    expect(Number(row.cost)).toBeCloseTo((10 * 4 + 6 * 10) / 1e6, 12);
  });
});
