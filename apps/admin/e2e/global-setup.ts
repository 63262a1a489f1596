// One real server for the admin browser tests, wired to a fake OpenAI-compatible model so the log
// holds real failures: a person's replies succeed or fail (HTTP 500 from the model) on the chat
// model, and one knowledge search fails on the embedding model, all through the product's own API.
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@lockstep/ai/testing";
import type { TAdminInteractionListPage } from "@lockstep/contracts";
import { type ProductServer, startProductServer } from "@lockstep/e2e";
import type { TestProject } from "vitest/node";
import { type Account, mutate, query, queryStatus, signIn, signUp, waitFor } from "./http.ts";

export const CHAT_MODEL = "stub-chat";
export const EMBEDDING_MODEL = "stub-embedding";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    chatModel: string;
    embeddingModel: string;
    /** The operator's session cookie: sign-in is limited to 10 a minute per IP, so tests reuse one. */
    adminCookie: string;
  }
}

let model: FakeOpenAiServer | undefined;
let server: ProductServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  model = await startFakeOpenAiServer({ reply: "Ask what made the week long, then listen." });
  server = await startProductServer({
    env: {
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "e2e-key",
      OPENAI_CHAT_MODEL: CHAT_MODEL,
      OPENAI_EMBEDDING_MODEL: EMBEDDING_MODEL,
      // One attempt per call and a breaker that never opens: each fault is exactly one failed row.
      AI_RETRY_ATTEMPTS: "1",
      AI_BREAKER_THRESHOLD: "1000",
    },
  });
  const admin = await signIn(server.baseUrl, "admin@lockstep.local", "lockstep-admin");
  await produceInteractions(server.baseUrl, model, admin);
  project.provide("adminCookie", admin.cookie);
  project.provide("baseUrl", server.baseUrl);
  project.provide("chatModel", CHAT_MODEL);
  project.provide("embeddingModel", EMBEDDING_MODEL);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  await model?.close();
}

async function produceInteractions(baseUrl: string, fake: FakeOpenAiServer, admin: Account): Promise<void> {
  const person = await signUp(baseUrl, "chatty.person@example.com", "chatty-person-pass-1", "Chatty Person");
  const session = await mutate<{ id: string }>(baseUrl, person, "session.create", {
    type: "text",
    name: "A long week",
  });
  const chatRows = async () =>
    (
      await query<TAdminInteractionListPage>(baseUrl, admin, "admin.interactions.list", {
        model: CHAT_MODEL,
        limit: 100,
      })
    ).items;

  // Replies run in the background after the send: wait for each to finish before the next fault.
  const outcomes = ["ok", "fail", "ok", "fail", "fail"] as const;
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome === "fail")
      fake.enqueue({ kind: "status", status: 500, message: "the model is overloaded", endpoint: "chat" });
    await mutate(baseUrl, person, "message.send", {
      sessionId: session.id,
      text: `Their week was long (${index})`,
      reply: true,
    });
    await waitFor(`reply ${index}`, async () => {
      const rows = await chatRows();
      return rows.length === index + 1 && rows.every((row) => row.status !== "pending") ? rows : undefined;
    });
  }
  fake.enqueue({ kind: "status", status: 500, message: "embeddings are down", endpoint: "embeddings" });
  const status = await queryStatus(baseUrl, person, "knowledge.search", { query: "how do I open a conversation?" });
  if (status < 500) throw new Error(`the failing knowledge search answered HTTP ${status}`);
}
