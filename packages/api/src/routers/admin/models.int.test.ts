// admin.models.* through createCaller against a real database and the fake OpenAI-compatible server:
// a provider added (key sealed), its models listed from /models, a logged test call, defaults that
// switch the running provider, bad input refused; and the key never in any answer, log row, audit
// row or line the process wrote.
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
import { callerFor, errorOf, insertUser, type TestUser } from "../../../test/testing/callers.ts";

const API_KEY = "sk-live-SECRETKEY-0123456789abcdefXYZ";
const SECOND_KEY = "sk-rotated-ANOTHERSECRET-9876543210";

let db: TestDatabase;
let admin: TestUser;
let person: TestUser;
let fake: FakeOpenAiServer;
let models: ModelRouter;
let runtime: AiRuntime;
/** Every answer the tests got, and every line the process wrote, searched for the key at the end. */
const answers: unknown[] = [];
const written: string[] = [];
const originalWrite = process.stdout.write.bind(process.stdout);
const originalErrWrite = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  const capture =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      written.push(String(chunk));
      return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = capture(originalWrite) as typeof process.stdout.write;
  process.stderr.write = capture(originalErrWrite) as typeof process.stderr.write;
  db = await createTestDatabase();
  admin = await insertUser(db, { name: "Model Operator", role: "admin" });
  person = await insertUser(db, { name: "Plain Person" });
  fake = await startFakeOpenAiServer({ apiKey: API_KEY, reply: "OK" });
  const log = createInteractionLog(db);
  models = await createModelRouter(db, {
    env: loadConfigGroup("ai", {}),
    keys: createKeyBox("a-test-secret-that-is-long-enough-for-aes"),
    log,
    warn: (message) => written.push(message),
  });
  runtime = { provider: models.provider, log, streams: new SessionStreams(), retrieve: async () => [], models };
});
afterAll(async () => {
  process.stdout.write = originalWrite;
  process.stderr.write = originalErrWrite;
  await fake?.close();
  await db?.close();
});

const operator = () => callerFor(db, admin, { ai: runtime });
async function kept<T>(promise: Promise<T>): Promise<T> {
  const value = await promise;
  answers.push(value);
  return value;
}

describe("admin.models providers", () => {
  let providerId: string;

  it("adds a provider with its key sealed, and never answers with the key", async () => {
    const created = await kept(
      operator().admin.models.createProvider({ name: "Fake OpenAI", baseUrl: fake.baseURL, apiKey: API_KEY }),
    );
    providerId = created.id;
    expect(created).toMatchObject({
      name: "Fake OpenAI",
      kind: "openai_compatible",
      hasApiKey: true,
      configured: true,
    });
    expect(JSON.stringify(created)).not.toContain("SECRETKEY");
    const { rows } = await db.pool.query<{ api_key_ciphertext: string }>(
      `SELECT api_key_ciphertext FROM providers WHERE id = $1`,
      [providerId],
    );
    expect(rows[0]!.api_key_ciphertext).toMatch(/^v1\./);
    expect(rows[0]!.api_key_ciphertext).not.toContain("SECRETKEY");
    const listed = await kept(operator().admin.models.providers());
    expect(listed.find((p) => p.id === providerId)).toMatchObject({ hasApiKey: true });
  });

  it("lists the endpoint's models with the stored key and saves them", async () => {
    const listed = await kept(operator().admin.models.listModels({ id: providerId }));
    expect(listed.models.length).toBeGreaterThan(0);
    const modelsRequest = fake.requests.find((r) => r.path.endsWith("/models"));
    expect(modelsRequest?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const saved = await kept(
      operator().admin.models.updateProvider({ id: providerId, models: ["gpt-4o-mini", "text-embedding-3-small"] }),
    );
    expect(saved.models).toEqual(["gpt-4o-mini", "text-embedding-3-small"]);
  });

  it("tests the connection with a real call that is logged", async () => {
    const result = await kept(operator().admin.models.test({ id: providerId, model: "gpt-4o-mini" }));
    expect(result).toMatchObject({ ok: true, model: "gpt-4o-mini", error: null });
    expect(result.reply).toContain("OK");
    const { rows } = await db.pool.query<{ status: string; model_name: string; data_source: string; user_id: string }>(
      `SELECT status, model_name, data_source, user_id FROM ai_interactions WHERE id = $1`,
      [result.interactionId],
    );
    expect(rows[0]).toEqual({ status: "SUCCESS", model_name: "gpt-4o-mini", data_source: "ADMIN", user_id: admin.id });
  });

  it("reports a rejected key as a failed, logged test without quoting it", async () => {
    const wrong = await kept(
      operator().admin.models.createProvider({ name: "Wrong key", baseUrl: fake.baseURL, apiKey: SECOND_KEY }),
    );
    const result = await kept(operator().admin.models.test({ id: wrong.id, model: "gpt-4o-mini" }));
    expect(result.ok).toBe(false);
    expect(result.error).toBeTruthy();
    const { rows } = await db.pool.query<{ status: string }>(`SELECT status FROM ai_interactions WHERE id = $1`, [
      result.interactionId,
    ]);
    expect(rows[0]!.status).toBe("ERROR");
  });

  it("rotates the key, auditing it as changed and never its value", async () => {
    await kept(operator().admin.models.updateProvider({ id: providerId, apiKey: SECOND_KEY }));
    const { rows } = await db.pool.query<{ before: unknown; after: { apiKey?: string } }>(
      `SELECT before, after FROM audit_log WHERE action = 'admin.models.updateProvider' AND entity_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [providerId],
    );
    expect(rows[0]!.after.apiKey).toBe("changed");
    // Back to the key the fake server accepts.
    await kept(operator().admin.models.updateProvider({ id: providerId, apiKey: API_KEY }));
  });

  it("switches the running provider when the chat and embedding defaults are saved", async () => {
    expect(runtime.provider.kind).toBe("builtin");
    const defaults = await kept(
      operator().admin.models.updateDefaults({
        chat: { providerId, model: "gpt-4o-mini" },
        embedding: { providerId, model: "text-embedding-3-small" },
        vision: null,
      }),
    );
    expect(defaults.chat).toEqual({ providerId, model: "gpt-4o-mini" });
    expect(runtime.provider).toMatchObject({
      name: "Fake OpenAI",
      chatModel: "gpt-4o-mini",
      kind: "openai_compatible",
    });
    // Knowledge search embeds with the model whose vectors are complete until the re-embedding for
    // the new one is done (knowledge-reembed.int.test.ts); the new model is what it computes with.
    expect(runtime.provider.embeddingModel).toBe(models.environmentEmbeddingModel);
    expect(models.embeddingTarget.embeddingModel).toBe("text-embedding-3-small");
    expect(await kept(operator().admin.models.embeddingStatus())).toMatchObject({
      servingModel: models.environmentEmbeddingModel,
      reembedding: { model: "text-embedding-3-small", embedded: 0 },
    });
    const embedded = await models.embeddingTarget.embed(["hello"]);
    expect(embedded.vectors).toHaveLength(1);
    // The saved defaults survive a new router (a restart), and a provider in use cannot be deleted.
    const error = await errorOf(operator().admin.models.deleteProvider({ id: providerId }));
    expect(error.code).toBe("PRECONDITION_FAILED");
    await kept(operator().admin.models.updateDefaults({ chat: null, embedding: null, vision: null }));
    expect(runtime.provider.kind).toBe("builtin");
    // Back to the model search uses: the unfinished re-embedding is dropped.
    expect(await kept(operator().admin.models.embeddingStatus())).toEqual({
      servingModel: models.environmentEmbeddingModel,
      reembedding: null,
    });
  });

  it("reads screenshots with the vision default, through that provider with its key", async () => {
    expect(models.vision).toBeNull();
    await kept(
      operator().admin.models.updateDefaults({ chat: null, embedding: null, vision: { providerId, model: "gpt-4o" } }),
    );
    const vision = models.vision;
    expect(vision).toMatchObject({ model: "gpt-4o", baseURL: fake.baseURL });
    // A 1×1 PNG is enough for the call: what is checked is where it goes, with which key and model.
    const image = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
      "base64",
    );
    const file = { data: image, key: "screenshots/vision-default.png", mime: "image/png", bytes: image.length };
    fake.options.reply = JSON.stringify({ turns: [{ side: "them", text: "See you at seven", time: null }] });
    try {
      const turns = await vision!.read({
        file: { ...file, width: 1, height: 1, sha256: "a".repeat(64) },
        log: runtime.log,
        context: { userId: person.id, sessionId: null, ip: null, dataSource: "web" },
      });
      expect(turns).toEqual([expect.objectContaining({ text: "See you at seven" })]);
    } finally {
      fake.options.reply = "OK";
    }
    const sent = fake.requestsTo("chat").at(-1)!;
    expect(sent.body.model).toBe("gpt-4o");
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const { rows } = await db.pool.query(
      `SELECT operation, status FROM ai_interactions WHERE model_name = 'gpt-4o' AND user_id = $1`,
      [person.id],
    );
    expect(rows).toEqual([{ operation: "OCR", status: "SUCCESS" }]);

    await kept(operator().admin.models.updateDefaults({ chat: null, embedding: null, vision: null }));
    expect(models.vision).toBeNull();
  });

  it("refuses bad input naming the field, and refuses people who are not operators", async () => {
    const bad = await errorOf(operator().admin.models.createProvider({ name: "x", baseUrl: "ftp://nope" }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toContain("baseUrl");
    const duplicate = await errorOf(
      operator().admin.models.createProvider({ name: "Fake OpenAI", baseUrl: fake.baseURL }),
    );
    expect(duplicate.code).toBe("CONFLICT");
    const notAdmin = await errorOf(callerFor(db, person, { ai: runtime }).admin.models.providers());
    expect(notAdmin.code).toBe("FORBIDDEN");
  });

  it("never lets the key out: no answer, log row, audit row, response or written line holds it", async () => {
    const secrets = [API_KEY, SECOND_KEY, "SECRETKEY", "ANOTHERSECRET"];
    const haystacks: [string, string][] = [["answers", JSON.stringify(answers)]];
    const audit = await db.pool.query<{ row: string }>(`SELECT row_to_json(a)::text AS row FROM audit_log a`);
    haystacks.push(["audit_log", audit.rows.map((r) => r.row).join("\n")]);
    const log = await db.pool.query<{ row: string }>(`SELECT row_to_json(i)::text AS row FROM ai_interactions i`);
    haystacks.push(["ai_interactions", log.rows.map((r) => r.row).join("\n")]);
    const responses = await db.pool.query<{ row: string }>(`SELECT row_to_json(r)::text AS row FROM ai_responses r`);
    haystacks.push(["ai_responses", responses.rows.map((r) => r.row).join("\n")]);
    haystacks.push(["written", written.join("")]);
    expect(log.rows.length).toBeGreaterThan(0);
    expect(audit.rows.length).toBeGreaterThan(0);
    for (const [where, text] of haystacks) {
      for (const secret of secrets) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
    }
  });
});
