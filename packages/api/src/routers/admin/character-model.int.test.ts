// A character's own chat model, end to end: the operator sets it with admin.models.setCharacterModel,
// and that character's replies and suggestions are asked of that model on the default chat provider
// (the fake OpenAI-compatible server records what was asked), logged under it, while another
// character keeps the default model.
import {
  type AiRuntime,
  createInteractionLog,
  createModelRouter,
  type ModelRouter,
  SessionStreams,
} from "@lockstep/ai";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@lockstep/ai/testing";
import { loadConfigGroup } from "@lockstep/config";
import { createKeyBox } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backgroundTasks } from "../../services/ai-flows.ts";
import { callerFor, createPerson, errorOf, insertUser, type TestUser } from "../../../test/testing/callers.ts";
import { insertCharacter, type TestCharacter } from "../../../test/testing/characters.ts";

const SUGGESTIONS = JSON.stringify({
  suggestions: [
    { title: "Ask", tag: "curious", text: "What made it long?", analysis: "An open question invites more." },
  ],
});

let db: TestDatabase;
let admin: TestUser;
let fake: FakeOpenAiServer;
let models: ModelRouter;
let runtime: AiRuntime;
let own: TestCharacter;
let plain: TestCharacter;

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await insertUser(db, { name: "Model Operator", role: "admin" });
  fake = await startFakeOpenAiServer({
    reply: (body) => (body.response_format ? SUGGESTIONS : "Ask what made the week long."),
  });
  const log = createInteractionLog(db);
  models = await createModelRouter(db, {
    env: loadConfigGroup("ai", {}),
    keys: createKeyBox("a-test-secret-that-is-long-enough-for-aes"),
    log,
  });
  runtime = { provider: models.provider, log, streams: new SessionStreams(), retrieve: async () => [], models };
  const operator = callerFor(db, admin, { ai: runtime });
  const provider = await operator.admin.models.createProvider({ name: "Fake OpenAI", baseUrl: fake.baseURL });
  await operator.admin.models.updateDefaults({
    chat: { providerId: provider.id, model: "default-chat" },
    embedding: null,
    vision: null,
  });
  own = await insertCharacter(db, { name: "Maya" });
  plain = await insertCharacter(db, { name: "Alex" });
});
afterAll(async () => {
  await fake?.close();
  await db?.close();
});

/** Runs one reply and one analysis in a new session with `characterId`; what was asked and logged. */
async function converseWith(characterId: string) {
  fake.reset();
  const person = await createPerson(db, { ai: runtime });
  // Named by the person, so no title call joins the reply and suggestions at the fake server.
  const session = await person.caller.session.create({ type: "text", characterId, name: "Model choice" });
  await person.caller.message.send({ sessionId: session.id, text: "Their week was long", reply: true });
  await backgroundTasks.settle(30_000);
  const analysis = await person.caller.session.analyze({ id: session.id });
  await backgroundTasks.settle(30_000);
  const history = await person.caller.message.list({ sessionId: session.id });
  const { rows } = await db.pool.query<{ operation: string; model_name: string; status: string }>(
    `SELECT operation::text, model_name, status::text FROM ai_interactions
      WHERE session_id = $1 ORDER BY created_at`,
    [session.id],
  );
  return {
    asked: fake.requestsTo("chat").map((request) => request.body.model as string),
    logged: rows,
    replies: history.items.filter((m) => m.author === "ai" && !m.title).map((m) => m.text),
    suggestions: analysis.suggestions.map((s) => s.title),
  };
}

describe("a character's own chat model", () => {
  it("is set and cleared by an operator, audited with before and after", async () => {
    const operator = callerFor(db, admin, { ai: runtime });
    expect(await operator.admin.models.setCharacterModel({ id: own.id, chatModel: "maya-model" })).toEqual({
      id: own.id,
      chatModel: "maya-model",
    });
    const { rows } = await db.pool.query<{ before: unknown; after: unknown }>(
      `SELECT before, after FROM audit_log WHERE action = 'admin.models.setCharacterModel' AND entity_id = $1`,
      [own.id],
    );
    expect(rows).toEqual([{ before: { chatModel: null }, after: { chatModel: "maya-model" } }]);
  });

  it("answers that character's replies and suggestions from its model, logged under that model", async () => {
    const outcome = await converseWith(own.id);
    expect(outcome.asked).toEqual(["maya-model", "maya-model"]);
    expect(outcome.logged).toEqual([
      { operation: "REPLY", model_name: "maya-model", status: "SUCCESS" },
      { operation: "SUGGEST", model_name: "maya-model", status: "SUCCESS" },
    ]);
    expect(outcome.replies).toEqual(["Ask what made the week long."]);
    expect(outcome.suggestions).toEqual(["Ask"]);
  });

  it("leaves a character without one on the default chat model", async () => {
    const outcome = await converseWith(plain.id);
    expect(outcome.asked).toEqual(["default-chat", "default-chat"]);
    expect(outcome.logged.map((row) => row.model_name)).toEqual(["default-chat", "default-chat"]);
  });

  it("goes back to the default when the operator clears it", async () => {
    const operator = callerFor(db, admin, { ai: runtime });
    await operator.admin.models.setCharacterModel({ id: own.id, chatModel: null });
    const outcome = await converseWith(own.id);
    expect(outcome.asked).toEqual(["default-chat", "default-chat"]);
  });

  it("refuses an unknown character and a blank model name, changing nothing", async () => {
    const operator = callerFor(db, admin, { ai: runtime });
    const missing = await errorOf(
      operator.admin.models.setCharacterModel({ id: "00000000-0000-4000-8000-000000000000", chatModel: "x" }),
    );
    expect(missing.code).toBe("NOT_FOUND");
    const blank = await errorOf(operator.admin.models.setCharacterModel({ id: plain.id, chatModel: "" }));
    expect(blank.code).toBe("BAD_REQUEST");
    const { rows } = await db.pool.query<{ chat_model: string | null }>(
      "SELECT chat_model FROM characters WHERE id = $1",
      [plain.id],
    );
    expect(rows).toEqual([{ chat_model: null }]);
  });
});
