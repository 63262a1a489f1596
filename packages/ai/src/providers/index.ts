// The model providers: OpenAI-compatible, built-in offline, the resilience layer, and the choice between them.
export { createOpenAiProvider, DEFAULT_OPENAI_PROVIDER_NAME, type OpenAiProviderConfig } from "./openai.ts";
export {
  withResilience,
  DEFAULT_RESILIENCE_POLICY,
  type ResiliencePolicy,
  type ResilientProvider,
  type CircuitStateName,
} from "./resilience.ts";
export {
  createBuiltinProvider,
  composeReply,
  composeSuggestions,
  exampleOf,
  humanise,
  countWords,
  BUILTIN_PROVIDER_NAME,
  BUILTIN_CHAT_MODEL,
  BUILTIN_EMBEDDING_MODEL,
  type BuiltinSuggestion,
} from "./builtin.ts";
export { lexicalEmbedding, cosine } from "./lexical-embedding.ts";
export * from "./coach/index.ts";
export { extractMemoriesByRules, type RuleMemory, type ConversationLine } from "./memory-rules.ts";
export { sentimentOf, SENTIMENT_DEAD_ZONE } from "./sentiment.ts";
export {
  providerFromConfig,
  providerFromEnv,
  aiConfigFrom,
  aiConfigFromEnv,
  AiConfigError,
  DEFAULT_OPENAI_BASE_URL,
  type AiConfig,
} from "./config.ts";
export { toProviderError } from "./errors.ts";
