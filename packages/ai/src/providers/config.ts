// Chooses the provider from the environment: an OpenAI-compatible endpoint behind the resilience layer, or the built-in one when none is configured.
import { z } from "zod";
import type { AiProvider } from "../provider.ts";
import { createBuiltinProvider } from "./builtin.ts";
import { createOpenAiProvider } from "./openai.ts";
import { DEFAULT_RESILIENCE_POLICY, withResilience, type ResiliencePolicy } from "./resilience.ts";

/** Used when only OPENAI_API_KEY is set: the protocol's home, as the SDK itself defaults to. */
export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";

/** A configuration mistake, naming the variable (never its value: it may be a secret). */
export class AiConfigError extends Error {
  override name = "AiConfigError";
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

const optionalText = z.string().trim().min(1).optional();
const positiveInt = (max = 3_600_000) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1, "must be at least 1").max(max, `must be at most ${max}`))
    .optional();

const ZAiEnvSchema = z.object({
  OPENAI_BASE_URL: z
    .string()
    .trim()
    .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://localhost:11434/v1" }))
    .optional(),
  OPENAI_API_KEY: optionalText,
  OPENAI_CHAT_MODEL: optionalText,
  OPENAI_EMBEDDING_MODEL: optionalText,
  OPENAI_EMBEDDING_DIMENSIONS: positiveInt(65_536),
  AI_TIMEOUT_FIRST_TOKEN_MS: positiveInt(),
  AI_TIMEOUT_TOTAL_MS: positiveInt(),
  AI_RETRY_ATTEMPTS: positiveInt(20),
  AI_BREAKER_THRESHOLD: positiveInt(1000),
  AI_BREAKER_HALF_OPEN_MS: positiveInt(),
});

export type AiConfig =
  | { kind: "builtin" }
  | {
      kind: "openai_compatible";
      baseURL: string;
      apiKey: string | null;
      chatModel: string;
      embeddingModel: string;
      embeddingDimensions: number | undefined;
      policy: ResiliencePolicy;
    };

/** Reads and validates the AI settings; throws AiConfigError naming the first bad variable. */
export function aiConfigFromEnv(env: Record<string, string | undefined> = process.env): AiConfig {
  // An empty variable (`OPENAI_API_KEY=` in a .env file) means "unset", not "the empty key".
  const present = Object.fromEntries(
    Object.keys(ZAiEnvSchema.shape).map((key) => [key, env[key]?.trim() ? env[key] : undefined]),
  );
  const parsed = ZAiEnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AiConfigError(String(issue?.path[0] ?? "AI configuration"), issue?.message ?? "is invalid");
  }
  const e = parsed.data;
  if (e.OPENAI_BASE_URL === undefined && e.OPENAI_API_KEY === undefined) return { kind: "builtin" };
  if (e.OPENAI_CHAT_MODEL === undefined)
    throw new AiConfigError("OPENAI_CHAT_MODEL", "is required when OPENAI_BASE_URL or OPENAI_API_KEY is set");
  if (e.OPENAI_EMBEDDING_MODEL === undefined) {
    throw new AiConfigError("OPENAI_EMBEDDING_MODEL", "is required when OPENAI_BASE_URL or OPENAI_API_KEY is set");
  }
  const policy: ResiliencePolicy = {
    ...DEFAULT_RESILIENCE_POLICY,
    firstTokenTimeoutMs: e.AI_TIMEOUT_FIRST_TOKEN_MS ?? DEFAULT_RESILIENCE_POLICY.firstTokenTimeoutMs,
    totalTimeoutMs: e.AI_TIMEOUT_TOTAL_MS ?? DEFAULT_RESILIENCE_POLICY.totalTimeoutMs,
    maxAttempts: e.AI_RETRY_ATTEMPTS ?? DEFAULT_RESILIENCE_POLICY.maxAttempts,
    breakerThreshold: e.AI_BREAKER_THRESHOLD ?? DEFAULT_RESILIENCE_POLICY.breakerThreshold,
    halfOpenAfterMs: e.AI_BREAKER_HALF_OPEN_MS ?? DEFAULT_RESILIENCE_POLICY.halfOpenAfterMs,
  };
  if (policy.firstTokenTimeoutMs > policy.totalTimeoutMs) {
    throw new AiConfigError(
      "AI_TIMEOUT_FIRST_TOKEN_MS",
      `must not exceed AI_TIMEOUT_TOTAL_MS (${policy.totalTimeoutMs})`,
    );
  }
  return {
    kind: "openai_compatible",
    baseURL: e.OPENAI_BASE_URL ?? DEFAULT_OPENAI_BASE_URL,
    apiKey: e.OPENAI_API_KEY ?? null,
    chatModel: e.OPENAI_CHAT_MODEL,
    embeddingModel: e.OPENAI_EMBEDDING_MODEL,
    embeddingDimensions: e.OPENAI_EMBEDDING_DIMENSIONS,
    policy,
  };
}

/** The provider the app uses: built-in unless an OpenAI-compatible endpoint is configured. */
export function providerFromEnv(env: Record<string, string | undefined> = process.env): AiProvider {
  const config = aiConfigFromEnv(env);
  if (config.kind === "builtin") return createBuiltinProvider();
  const provider = createOpenAiProvider({
    baseURL: config.baseURL,
    apiKey: config.apiKey,
    chatModel: config.chatModel,
    embeddingModel: config.embeddingModel,
    ...(config.embeddingDimensions !== undefined ? { embeddingDimensions: config.embeddingDimensions } : {}),
  });
  return withResilience(provider, config.policy);
}
