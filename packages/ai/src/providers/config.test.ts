// providerFromEnv: the built-in provider by default, the OpenAI-compatible one when configured, and errors that name the variable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../../test/index.ts";
import { AiConfigError, aiConfigFromEnv, DEFAULT_OPENAI_BASE_URL, providerFromEnv } from "./config.ts";
import { DEFAULT_RESILIENCE_POLICY, type ResilientProvider } from "./resilience.ts";

const MODELS = { OPENAI_CHAT_MODEL: "llama3.2", OPENAI_EMBEDDING_MODEL: "nomic-embed-text" };

function configError(env: Record<string, string | undefined>): AiConfigError {
  try {
    aiConfigFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AiConfigError);
    return error as AiConfigError;
  }
  throw new Error("expected a configuration error");
}

describe("aiConfigFromEnv", () => {
  it("chooses the built-in provider when neither base URL nor key is set (empty counts as unset)", () => {
    expect(aiConfigFromEnv({})).toEqual({ kind: "builtin" });
    expect(aiConfigFromEnv({ OPENAI_BASE_URL: "", OPENAI_API_KEY: "  ", OPENAI_CHAT_MODEL: "gpt" })).toEqual({
      kind: "builtin",
    });
    expect(providerFromEnv({}).name).toBe("builtin");
  });

  it("reads an endpoint without a key (Ollama, LM Studio, vLLM) with the default policy", () => {
    expect(aiConfigFromEnv({ OPENAI_BASE_URL: "http://localhost:11434/v1", ...MODELS })).toEqual({
      kind: "openai_compatible",
      baseURL: "http://localhost:11434/v1",
      apiKey: null,
      chatModel: "llama3.2",
      embeddingModel: "nomic-embed-text",
      embeddingDimensions: undefined,
      policy: DEFAULT_RESILIENCE_POLICY,
    });
  });

  it("uses the protocol's default base URL when only a key is set", () => {
    const config = aiConfigFromEnv({ OPENAI_API_KEY: "sk-x", ...MODELS, OPENAI_EMBEDDING_DIMENSIONS: "3072" });
    expect(config).toMatchObject({ baseURL: DEFAULT_OPENAI_BASE_URL, apiKey: "sk-x", embeddingDimensions: 3072 });
  });

  it("takes the resilience settings from AI_* variables", () => {
    const config = aiConfigFromEnv({
      OPENAI_BASE_URL: "https://example-resource.openai.azure.com/openai/v1/",
      OPENAI_API_KEY: "k",
      ...MODELS,
      AI_TIMEOUT_FIRST_TOKEN_MS: "5000",
      AI_TIMEOUT_TOTAL_MS: "20000",
      AI_RETRY_ATTEMPTS: "2",
      AI_BREAKER_THRESHOLD: "10",
      AI_BREAKER_HALF_OPEN_MS: "1000",
    });
    expect(config.kind === "openai_compatible" && config.policy).toEqual({
      ...DEFAULT_RESILIENCE_POLICY,
      firstTokenTimeoutMs: 5000,
      totalTimeoutMs: 20000,
      maxAttempts: 2,
      breakerThreshold: 10,
      halfOpenAfterMs: 1000,
    });
  });

  it.each([
    [{ OPENAI_BASE_URL: "localhost:11434", ...MODELS }, "OPENAI_BASE_URL"],
    [{ OPENAI_BASE_URL: "ftp://example.com/v1", ...MODELS }, "OPENAI_BASE_URL"],
    [{ OPENAI_API_KEY: "k", OPENAI_EMBEDDING_MODEL: "e" }, "OPENAI_CHAT_MODEL"],
    [{ OPENAI_API_KEY: "k", OPENAI_CHAT_MODEL: "c" }, "OPENAI_EMBEDDING_MODEL"],
    [{ OPENAI_API_KEY: "k", ...MODELS, OPENAI_EMBEDDING_DIMENSIONS: "big" }, "OPENAI_EMBEDDING_DIMENSIONS"],
    [{ OPENAI_API_KEY: "k", ...MODELS, AI_TIMEOUT_FIRST_TOKEN_MS: "-5" }, "AI_TIMEOUT_FIRST_TOKEN_MS"],
    [{ OPENAI_API_KEY: "k", ...MODELS, AI_TIMEOUT_TOTAL_MS: "1.5" }, "AI_TIMEOUT_TOTAL_MS"],
    [{ OPENAI_API_KEY: "k", ...MODELS, AI_RETRY_ATTEMPTS: "0" }, "AI_RETRY_ATTEMPTS"],
    [{ OPENAI_API_KEY: "k", ...MODELS, AI_BREAKER_THRESHOLD: "many" }, "AI_BREAKER_THRESHOLD"],
    [{ OPENAI_API_KEY: "k", ...MODELS, AI_BREAKER_HALF_OPEN_MS: "soon" }, "AI_BREAKER_HALF_OPEN_MS"],
    [
      { OPENAI_API_KEY: "k", ...MODELS, AI_TIMEOUT_FIRST_TOKEN_MS: "9000", AI_TIMEOUT_TOTAL_MS: "5000" },
      "AI_TIMEOUT_FIRST_TOKEN_MS",
    ],
  ])("names the bad variable in %j", (env, variable) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(variable)).toBe(true);
  });

  it("never puts the key in an error message", () => {
    const error = configError({ OPENAI_API_KEY: "sk-very-secret", OPENAI_BASE_URL: "nope" });
    expect(error.message).not.toContain("sk-very-secret");
  });
});

describe("providerFromEnv", () => {
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer({ reply: "configured and working", embeddingDimensions: 768 });
  });
  afterAll(() => server.close());

  it("builds the OpenAI-compatible provider behind the resilience layer", async () => {
    const provider = providerFromEnv({
      OPENAI_BASE_URL: server.baseURL,
      ...MODELS,
      OPENAI_EMBEDDING_DIMENSIONS: "768",
      AI_RETRY_ATTEMPTS: "2",
    }) as ResilientProvider;
    expect([provider.name, provider.kind, provider.baseUrl, provider.chatModel]).toEqual([
      "openai-compatible",
      "openai_compatible",
      server.baseURL,
      "llama3.2",
    ]);
    expect(provider.circuitState).toBe("closed");
    expect(provider.policy.maxAttempts).toBe(2);

    server.enqueue({ kind: "status", status: 503 });
    let text = "";
    for await (const event of provider.streamChat({ messages: [{ role: "user", content: "hi" }] }))
      if (event.type === "token") text += event.text;
    expect(text).toBe("configured and working");
    expect(server.requestsTo("chat")).toHaveLength(2);
    expect(server.requestsTo("chat")[0]?.headers.authorization).toBe("Bearer not-needed");

    const { vectors } = await provider.embed(["hello"]);
    expect(vectors[0]).toHaveLength(1536);
    expect(server.requestsTo("embeddings")[0]?.body.model).toBe("nomic-embed-text");
  });
});
