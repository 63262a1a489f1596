// The provider the runtime uses, chosen in the database (admin tool's model defaults) rather than
// only by the environment: the environment seeds the first provider on an empty database and is
// the fallback when no default is set. Also lists an endpoint's models and makes the logged test call.
import type { TAiProviderConfig } from "@lockstep/config";
import {
  type Database,
  type KeyBox,
  readModelRuntimeSettings,
  readProviderCredentials,
  seedProviderFromEnvironment,
} from "@lockstep/db";
import OpenAI from "openai";
import type { CallContext, InteractionLog } from "../log/types.ts";
import { createVisionReader, type VisionReader } from "../ocr/vision.ts";
import { type AiProvider, ProviderError } from "../provider.ts";
import { createOpenAiProvider } from "../providers/openai.ts";
import { aiConfigFrom, providerFromConfig } from "../providers/config.ts";
import { DEFAULT_RESILIENCE_POLICY, withResilience } from "../providers/resilience.ts";
import { createSwitchableProvider, type SwitchableProvider } from "./switchable.ts";

export interface ModelRouter {
  /** What `runtime.provider` is: follows the defaults saved in the admin tool. */
  readonly provider: SwitchableProvider;
  /**
   * What re-embedding the knowledge base computes with: the default embedding choice. While a
   * re-embedding is under way `provider` still embeds with the model search answers from.
   */
  readonly embeddingTarget: AiProvider;
  /**
   * The screenshot reader the admin's vision default names, with that provider's key; null when no
   * vision default is saved (the environment's OPENAI_VISION_MODEL then applies, if set).
   */
  readonly vision: VisionReader | null;
  /** The environment's embedding model (what an empty embedding default means). */
  readonly environmentEmbeddingModel: string;
  /** Re-reads the defaults and providers; rebuilds the provider when they changed. Returns whether it did. */
  reload(): Promise<boolean>;
  /** Seals an API key for storage (AES-256-GCM); the only way a key enters the database. */
  seal(apiKey: string): string;
  /** The endpoint's `/models`, with the stored key. */
  listModels(providerId: string): Promise<string[]>;
  /** One short chat call to a provider, logged like every other call. */
  test(providerId: string, model: string, context: CallContext): Promise<ProviderTestOutcome>;
}

export interface ProviderTestOutcome {
  ok: boolean;
  model: string;
  latencyMs: number;
  reply: string | null;
  error: string | null;
  interactionId: string | null;
}

/** The key as stored, opened; a key sealed with another secret reads as none (and says so in the log). */
function openKey(keys: KeyBox, sealed: string | null, onError: (message: string) => void): string | null {
  if (!sealed) return null;
  try {
    return keys.open(sealed);
  } catch {
    onError("a provider key could not be decrypted with PROVIDER_KEY_SECRET; set the secret it was saved with");
    return null;
  }
}

export async function createModelRouter(
  db: Database,
  options: {
    env: TAiProviderConfig;
    keys: KeyBox;
    log: InteractionLog;
    warn?: (message: string) => void;
  },
): Promise<ModelRouter> {
  const warn = options.warn ?? (() => undefined);
  const envProvider = providerFromConfig(options.env);
  const envConfig = aiConfigFrom(options.env);
  const policy = envConfig.kind === "openai_compatible" ? envConfig.policy : DEFAULT_RESILIENCE_POLICY;

  // The environment's endpoint becomes the first configured provider on an empty database.
  if (envConfig.kind === "openai_compatible") {
    await seedProviderFromEnvironment(db, {
      name: envProvider.name,
      baseUrl: envConfig.baseURL,
      apiKeyCiphertext: envConfig.apiKey ? options.keys.seal(envConfig.apiKey) : null,
      chatModel: envConfig.chatModel,
      embeddingModel: envConfig.embeddingModel,
    });
  }

  const provider = createSwitchableProvider(envProvider);
  let target: AiProvider = envProvider;
  let vision: VisionReader | null = null;
  let version: string | null = null;

  async function build(settings: Awaited<ReturnType<typeof readModelRuntimeSettings>>): Promise<AiProvider> {
    const { defaults, providers, servingEmbedding } = settings;
    const endpoint = (choice: { providerId: string | null; model: string } | null) => {
      const found = choice?.providerId ? providers.get(choice.providerId) : undefined;
      return found?.baseUrl ? { ...found, model: choice!.model } : null;
    };
    const chat = endpoint(defaults.chat);
    const visionEndpoint = endpoint(defaults.vision);
    vision = visionEndpoint
      ? createVisionReader({
          baseURL: visionEndpoint.baseUrl!,
          apiKey: openKey(options.keys, visionEndpoint.apiKeyCiphertext, warn),
          model: visionEndpoint.model,
        })
      : null;
    const targetEndpoint = endpoint(defaults.embedding);
    // Search embeds its queries with the model whose vectors are complete: during a re-embedding,
    // the one before the change (a null provider there is the environment's).
    const embedding = servingEmbedding ? endpoint(servingEmbedding) : targetEndpoint;
    target = targetEndpoint
      ? withResilience(
          createOpenAiProvider({
            baseURL: targetEndpoint.baseUrl!,
            apiKey: openKey(options.keys, targetEndpoint.apiKeyCiphertext, warn),
            chatModel: targetEndpoint.model,
            embeddingModel: targetEndpoint.model,
            name: targetEndpoint.name,
          }),
          policy,
        )
      : envProvider;
    if (!chat && !embedding) return envProvider;
    const openAi = (e: NonNullable<ReturnType<typeof endpoint>>, chatModel: string, embeddingModel: string) =>
      withResilience(
        createOpenAiProvider({
          baseURL: e.baseUrl!,
          apiKey: openKey(options.keys, e.apiKeyCiphertext, warn),
          chatModel,
          embeddingModel,
          name: e.name,
        }),
        policy,
      );
    if (chat && embedding && chat.id === embedding.id) return openAi(chat, chat.model, embedding.model);
    const chatProvider = chat ? openAi(chat, chat.model, embedding?.model ?? chat.model) : envProvider;
    const embeddingProvider = embedding
      ? openAi(embedding, chat?.model ?? embedding.model, embedding.model)
      : envProvider;
    if (chatProvider === embeddingProvider) return chatProvider;
    // Chat from one endpoint, embeddings from another: the log names each call's own provider, as
    // the chat flows log `provider.name` and the embedding call logs the same; keep the chat one's.
    return {
      name: chatProvider.name,
      kind: chatProvider.kind,
      baseUrl: chatProvider.baseUrl,
      chatModel: chatProvider.chatModel,
      embeddingModel: embeddingProvider.embeddingModel,
      streamChat: (request) => chatProvider.streamChat(request),
      completeStructured: (request) => chatProvider.completeStructured(request),
      embed: (texts, o) => embeddingProvider.embed(texts, o),
    };
  }

  async function reload(): Promise<boolean> {
    const settings = await readModelRuntimeSettings(db);
    if (settings.version === version) return false;
    version = settings.version;
    provider.replace(await build(settings));
    return true;
  }
  await reload();

  async function clientFor(providerId: string) {
    const found = await readProviderCredentials(db, providerId);
    if (!found?.baseUrl) return null;
    const apiKey = openKey(options.keys, found.apiKeyCiphertext, warn);
    return { found, apiKey };
  }

  return {
    provider,
    get embeddingTarget() {
      return target;
    },
    get vision() {
      return vision;
    },
    environmentEmbeddingModel: envProvider.embeddingModel,
    reload,
    seal: (apiKey) => options.keys.seal(apiKey),
    async listModels(providerId) {
      const target = await clientFor(providerId);
      if (!target) throw new Error("no such provider");
      const client = new OpenAI({
        baseURL: target.found.baseUrl!,
        apiKey: target.apiKey ?? "not-needed",
        timeout: 15_000,
        maxRetries: 0,
      });
      const models: string[] = [];
      for await (const model of client.models.list()) models.push(model.id);
      return models.sort();
    },
    async test(providerId, model, context) {
      const target = await clientFor(providerId);
      if (!target) throw new Error("no such provider");
      const testProvider = createOpenAiProvider({
        baseURL: target.found.baseUrl!,
        apiKey: target.apiKey,
        chatModel: model,
        embeddingModel: model,
        name: target.found.name,
      });
      const messages = [{ role: "user" as const, content: "Reply with the single word OK." }];
      const started = Date.now();
      const handle = await options.log.begin({
        operation: "reply",
        provider: { name: target.found.name, kind: "openai_compatible", baseUrl: target.found.baseUrl },
        model,
        promptText: messages[0]!.content,
        request: { model, messages, stream: true, max_tokens: 5 },
        metadata: { providerTest: true },
        context,
      });
      let text = "";
      try {
        let usage = { inputTokens: null as number | null, outputTokens: null as number | null };
        const signal = AbortSignal.timeout(20_000);
        for await (const event of testProvider.streamChat({ messages, maxOutputTokens: 5, signal })) {
          if (event.type === "token") {
            if (!text) handle.firstToken();
            text += event.text;
          } else usage = event.usage;
        }
        await handle.succeed({ response: { content: text }, responses: [{ content: text }], usage });
        return { ok: true, model, latencyMs: Date.now() - started, reply: text, error: null, interactionId: handle.id };
      } catch (error) {
        // Some endpoints quote part of a rejected key in their message; none of it is kept or shown.
        const safe = withoutKey(error, target.apiKey);
        await handle.fail(safe);
        const message = safe instanceof Error ? safe.message : String(safe);
        return {
          ok: false,
          model,
          latencyMs: Date.now() - started,
          reply: null,
          error: message,
          interactionId: handle.id,
        };
      }
    },
  };
}

/** The error with the key, and anything shaped like a key, taken out of its message. */
export function withoutKey(error: unknown, apiKey: string | null): unknown {
  const redact = (text: string) =>
    (apiKey ? text.split(apiKey).join("[key]") : text).replace(/\b(sk|key|api)[-_][A-Za-z0-9*_-]{6,}/gi, "[key]");
  if (error instanceof ProviderError) return new ProviderError(error.code, redact(error.message), error.retryable);
  if (error instanceof Error) return new Error(redact(error.message));
  return new Error(redact(String(error)));
}
