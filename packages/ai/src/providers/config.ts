// Chooses the provider from the configuration: an OpenAI-compatible endpoint behind the resilience layer, or the built-in one when none is configured.
import { ConfigError, loadConfigGroup, type TAiProviderConfig, type TEnvironment } from "@lockstep/config";
import type { AiProvider } from "../provider.ts";
import { createBuiltinProvider } from "./builtin.ts";
import { createOpenAiProvider } from "./openai.ts";
import { DEFAULT_RESILIENCE_POLICY, withResilience, type ResiliencePolicy } from "./resilience.ts";

export { DEFAULT_OPENAI_BASE_URL } from "@lockstep/config";

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

/**
 * The AI settings with the resilience layer's defaults filled in; throws AiConfigError when the
 * first-token timeout would exceed the total one (which only the defaults can reveal).
 */
export function aiConfigFrom(config: TAiProviderConfig): AiConfig {
  if (config.kind === "builtin") return { kind: "builtin" };
  const r = config.resilience;
  const policy: ResiliencePolicy = {
    ...DEFAULT_RESILIENCE_POLICY,
    firstTokenTimeoutMs: r.firstTokenTimeoutMs ?? DEFAULT_RESILIENCE_POLICY.firstTokenTimeoutMs,
    totalTimeoutMs: r.totalTimeoutMs ?? DEFAULT_RESILIENCE_POLICY.totalTimeoutMs,
    maxAttempts: r.maxAttempts ?? DEFAULT_RESILIENCE_POLICY.maxAttempts,
    breakerThreshold: r.breakerThreshold ?? DEFAULT_RESILIENCE_POLICY.breakerThreshold,
    halfOpenAfterMs: r.halfOpenAfterMs ?? DEFAULT_RESILIENCE_POLICY.halfOpenAfterMs,
  };
  if (policy.firstTokenTimeoutMs > policy.totalTimeoutMs) {
    throw new AiConfigError(
      "AI_TIMEOUT_FIRST_TOKEN_MS",
      `must not exceed AI_TIMEOUT_TOTAL_MS (${policy.totalTimeoutMs})`,
    );
  }
  return {
    kind: "openai_compatible",
    baseURL: config.baseURL,
    apiKey: config.apiKey,
    chatModel: config.chatModel,
    embeddingModel: config.embeddingModel,
    embeddingDimensions: config.embeddingDimensions,
    policy,
  };
}

/** The AI settings from a set of variables (tests, harnesses); throws AiConfigError naming the first bad one. */
export function aiConfigFromEnv(env: TEnvironment): AiConfig {
  try {
    return aiConfigFrom(loadConfigGroup("ai", env));
  } catch (error) {
    const issue = error instanceof ConfigError ? error.issues[0] : undefined;
    if (issue) throw new AiConfigError(issue.variable, issue.message);
    throw error;
  }
}

/** The provider the app uses: built-in unless an OpenAI-compatible endpoint is configured. */
export function providerFromConfig(settings: TAiProviderConfig): AiProvider {
  return providerFor(aiConfigFrom(settings));
}

function providerFor(config: AiConfig): AiProvider {
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

/** The provider a set of variables describes (tests, harnesses); throws AiConfigError like aiConfigFromEnv. */
export function providerFromEnv(env: TEnvironment): AiProvider {
  return providerFor(aiConfigFromEnv(env));
}
