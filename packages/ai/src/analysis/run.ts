// The two AI flows of a session: a streamed reply from the character, and an analysis that
// produces suggestions (title, tag, text, why it works). Each model call is logged PENDING first
// and completed after; no database transaction is held open while the model works.
import { randomUUID } from "node:crypto";
import {
  canTransition,
  type TMessageDto,
  type TMessageSentiment,
  type TSessionDto,
  type TSessionStatus,
  ZSuggestionsSchema,
} from "@lockstep/contracts";
import type { CallContext } from "../log/types.ts";
import { type GroundingChunk, ProviderError } from "../provider.ts";
import type { AiRuntime } from "../runtime.ts";
import { announce } from "../streams/event-bus.ts";
import { buildPrompt, type PromptInput, retrievalQuery } from "./prompt.ts";

/** How many knowledge chunks ground one prompt. */
export const CHUNKS_PER_PROMPT = 4;

export interface NewAiMessage {
  id: string;
  text: string;
  title?: string;
  tag?: string;
  analysis?: string;
  aiInteractionId: string;
  /** Stopped by the person: the text is what had arrived by then. */
  stopped?: boolean;
  /** A regenerated reply: the first version of the turn it is a new version of. */
  versionOf?: string | null;
}

export interface ConversationContext {
  session: { id: string; status: TSessionStatus };
  /** `chatModel`: the character's own chat model, asked of the default chat provider instead of its default. */
  character: { name: string; systemPrompt: string; chatModel?: string | null } | null;
  template: { title: string; situation: string } | null;
  memories: string[];
  conversation: { id: string; author: "user" | "contact" | "ai"; text: string; sentiment: TMessageSentiment | null }[];
}

/** The database side of the flows, as short user-scoped transactions (implemented by the API). */
export interface ConversationStore {
  /** The session's context; with `upToMessageId`, its conversation only up to that message. */
  load(sessionId: string, options?: { upToMessageId?: string | undefined }): Promise<ConversationContext | null>;
  /** Stores the messages in one transaction (all or none), in order, and returns them. */
  saveAiMessages(sessionId: string, messages: NewAiMessage[]): Promise<TMessageDto[]>;
  setSentiments(updates: { id: string; sentiment: TMessageSentiment }[]): Promise<void>;
  /** A stored message of the session by id, or null (a retried reply checks whether it was already stored). */
  findMessage?(id: string): Promise<TMessageDto | null>;
  /** Whether the person asked the reply being written to stop; polled while it streams. */
  stopRequested?(): Promise<boolean>;
  /** The reply was stopped before any text arrived: the person's message is owed nothing any more. */
  abandonReply?(): Promise<TMessageDto | null>;
  /** Moves the status only if it is still `from`; null when it was not. */
  moveStatus(
    sessionId: string,
    from: TSessionStatus,
    to: TSessionStatus,
    errorReason?: string | null,
  ): Promise<TSessionDto | null>;
}

export interface FlowOptions {
  runtime: AiRuntime;
  store: ConversationStore;
  context: CallContext & { sessionId: string };
  sentimentOf?: (text: string) => TMessageSentiment;
  /**
   * The id the reply is stored under. A durable job passes one derived from itself, so an attempt
   * that runs again after its process died finds the reply an earlier attempt already stored.
   */
  replyId?: string;
  /** The person's message the reply answers: messages sent after it are not part of its prompt. */
  answering?: string;
  /** A regenerated reply: the first version of the reply it stands beside. */
  versionOf?: string | null;
}

/** How often a streaming reply asks whether the person pressed Stop (the reply may run in another process). */
export const STOP_POLL_MS = 250;

/** Polls `stopRequested` and aborts the returned signal when it says yes; call stop() when done. */
function watchForStop(store: ConversationStore) {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let done = false;
  const check = async () => {
    try {
      if (!done && (await store.stopRequested?.())) controller.abort(new Error("stopped by the person"));
    } catch {
      // A failed poll is asked again at the next tick; the reply goes on meanwhile.
    }
    if (!done && !controller.signal.aborted) timer = setTimeout(() => void check(), STOP_POLL_MS);
  };
  if (store.stopRequested) timer = setTimeout(() => void check(), STOP_POLL_MS);
  return {
    signal: controller.signal,
    stop() {
      done = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export class FlowError extends Error {
  override name = "FlowError";
  constructor(
    readonly reason: "not_found" | "illegal_state" | "provider_failed",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

async function retrieveFor(
  runtime: AiRuntime,
  conversation: ConversationContext["conversation"],
  context: CallContext,
): Promise<GroundingChunk[]> {
  try {
    return await runtime.retrieve(retrievalQuery(conversation), { limit: CHUNKS_PER_PROMPT, context });
  } catch {
    // A reply without grounding is better than no reply; the missing chunks show in the log metadata.
    return [];
  }
}

function promptInput(task: PromptInput["task"], context: ConversationContext, chunks: GroundingChunk[]): PromptInput {
  return {
    task,
    character: context.character,
    template: context.template,
    memories: context.memories,
    conversation: context.conversation.map(({ author, text }) => ({ author, text })),
    chunks,
  };
}

/**
 * The chat model a session's replies and suggestions use: its character's own when set, else the
 * default. The built-in provider composes its replies with its one model, so it always logs that one.
 */
export function chatModelFor(runtime: AiRuntime, context: ConversationContext): string {
  const own = context.character?.chatModel;
  return own && runtime.provider.kind !== "builtin" ? own : runtime.provider.chatModel;
}

function providerInfo(runtime: AiRuntime) {
  const { provider } = runtime;
  return { name: provider.name, kind: provider.kind, baseUrl: provider.baseUrl };
}

/**
 * Streams the character's reply as token events and stores it when the stream completes; null when the
 * person stopped it before any text arrived.
 */
export async function generateReply(options: FlowOptions): Promise<TMessageDto | null> {
  const { runtime, store, context } = options;
  const sessionId = context.sessionId;
  const messageId = options.replyId ?? randomUUID();
  if (options.replyId && store.findMessage) {
    const stored = await store.findMessage(options.replyId);
    if (stored) return stored;
  }
  // Stopped before it started (its job waited its turn, or the person pressed Stop at once): no call is made.
  if (await store.stopRequested?.()) return abandonBeforeCall(options, messageId);
  const loaded = await store.load(sessionId, { upToMessageId: options.answering });
  if (!loaded) throw new FlowError("not_found", "No such session.");
  const chunks = await retrieveFor(runtime, loaded.conversation, context);
  const prompt = buildPrompt(promptInput("reply", loaded, chunks));
  const model = chatModelFor(runtime, loaded);
  const handle = await runtime.log.begin({
    operation: "reply",
    provider: providerInfo(runtime),
    model,
    promptText: prompt.promptText,
    promptMessages: prompt.messages,
    request: { model, messages: prompt.messages, stream: true },
    metadata: { chunkIds: chunks.map((chunk) => chunk.chunkId), messageId },
    context,
  });
  let text = "";
  const stop = watchForStop(store);
  try {
    let usage = { inputTokens: null as number | null, outputTokens: null as number | null };
    let finishReason: string | null = null;
    try {
      const stream = runtime.provider.streamChat({
        messages: prompt.messages,
        model,
        context: prompt.context,
        signal: stop.signal,
      });
      for await (const event of stream) {
        if (stop.signal.aborted) break;
        if (event.type === "token") {
          if (!text) handle.firstToken();
          text += event.text;
          await announce(runtime.streams, sessionId, { kind: "token", messageId, text: event.text });
        } else {
          usage = event.usage;
          finishReason = event.finishReason;
        }
      }
    } catch (error) {
      if (!stop.signal.aborted) throw error;
    } finally {
      stop.stop();
    }
    if (stop.signal.aborted) return await keepStopped(options, handle, messageId, text);
    if (!text.trim()) throw new FlowError("provider_failed", "The model returned an empty reply.");
    // The call has succeeded: the log records it while the reply is stored and shown, so the person
    // never waits on the log. Should storing fail, the log still says what the model did (the later
    // fail() is ignored: a call has one outcome), and the person is told the reply failed.
    const recorded = handle.succeed({
      response: { text, finishReason },
      responses: [{ content: text, finishReason }],
      usage,
    });
    try {
      const [message] = await store.saveAiMessages(sessionId, [
        { id: messageId, text: text.trim(), aiInteractionId: handle.id, versionOf: options.versionOf ?? null },
      ]);
      if (!message) throw new FlowError("provider_failed", "The reply could not be stored.");
      await announce(runtime.streams, sessionId, { kind: "message", message });
      return message;
    } finally {
      await recorded;
    }
  } catch (error) {
    await handle.fail(error);
    await announce(runtime.streams, sessionId, {
      kind: "error",
      messageId,
      message: "The coach could not answer just now. Try again.",
      retryable: true,
    });
    throw error instanceof FlowError
      ? error
      : new FlowError("provider_failed", "The model call failed.", { cause: error });
  }
}

/** The person pressed Stop before the call began: their message is owed nothing any more, and nothing is logged. */
async function abandonBeforeCall(options: FlowOptions, messageId: string): Promise<null> {
  const { runtime, store, context } = options;
  const answered = (await store.abandonReply?.()) ?? null;
  await announce(runtime.streams, context.sessionId, {
    kind: "error",
    messageId,
    message: "Stopped.",
    retryable: false,
  });
  if (answered) await announce(runtime.streams, context.sessionId, { kind: "message", message: answered });
  return null;
}

/**
 * The person pressed Stop: the call is logged CANCELLED, and what had arrived stays as a reply marked
 * stopped (with nothing yet, the person's message is simply owed nothing any more).
 */
async function keepStopped(
  options: FlowOptions,
  handle: Awaited<ReturnType<AiRuntime["log"]["begin"]>>,
  messageId: string,
  text: string,
): Promise<TMessageDto | null> {
  const { runtime, store, context } = options;
  const sessionId = context.sessionId;
  const stoppedError = new ProviderError("cancelled", "Stopped by the person.", false);
  if (!text.trim()) {
    const answered = (await store.abandonReply?.()) ?? null;
    await handle.fail(stoppedError);
    await announce(runtime.streams, sessionId, { kind: "error", messageId, message: "Stopped.", retryable: false });
    if (answered) await announce(runtime.streams, sessionId, { kind: "message", message: answered });
    return null;
  }
  const [message] = await store.saveAiMessages(sessionId, [
    {
      id: messageId,
      text: text.trim(),
      aiInteractionId: handle.id,
      stopped: true,
      versionOf: options.versionOf ?? null,
    },
  ]);
  await handle.fail(stoppedError);
  if (message) await announce(runtime.streams, sessionId, { kind: "message", message });
  return message ?? null;
}

/**
 * Moves the session to ANALYSIS_IN_PROGRESS, sets the sentiment of the people's messages, asks
 * for suggestions and stores them as AI messages, then moves back to PENDING_USER_INPUT (COMPLETE
 * if the session had ended); on failure to ERROR with the reason kept, from where it can be retried.
 */
export async function analyzeSession(
  options: FlowOptions,
): Promise<{ session: TSessionDto; suggestions: TMessageDto[] }> {
  const { runtime, store, context } = options;
  const sessionId = context.sessionId;
  const loaded = await store.load(sessionId);
  if (!loaded) throw new FlowError("not_found", "No such session.");
  const from = loaded.session.status;
  if (!canTransition(from, "analysis_in_progress")) {
    throw new FlowError("illegal_state", `A session cannot move from ${from} to analysis_in_progress.`);
  }
  const started = await store.moveStatus(sessionId, from, "analysis_in_progress", null);
  if (!started) throw new FlowError("illegal_state", "The session changed meanwhile; reload it and try again.");
  await announce(runtime.streams, sessionId, { kind: "status", status: "analysis_in_progress", errorReason: null });

  if (options.sentimentOf) {
    const sentimentOf = options.sentimentOf;
    const unscored = loaded.conversation.filter((turn) => turn.author !== "ai" && turn.sentiment === null);
    if (unscored.length)
      await store.setSentiments(unscored.map((turn) => ({ id: turn.id, sentiment: sentimentOf(turn.text) })));
  }

  const chunks = await retrieveFor(runtime, loaded.conversation, context);
  const prompt = buildPrompt(promptInput("suggest", loaded, chunks));
  const model = chatModelFor(runtime, loaded);
  const handle = await runtime.log.begin({
    operation: "suggest",
    provider: providerInfo(runtime),
    model,
    promptText: prompt.promptText,
    promptMessages: prompt.messages,
    request: { model, messages: prompt.messages, response_format: "suggestions" },
    metadata: { chunkIds: chunks.map((chunk) => chunk.chunkId) },
    context,
  });
  try {
    const result = await runtime.provider.completeStructured({
      messages: prompt.messages,
      model,
      context: prompt.context,
      schema: ZSuggestionsSchema,
      schemaName: "suggestions",
    });
    // The log records the call's outcome while the suggestions are stored and shown and the session
    // moves on; should storing fail, the log still says what the model did (a call has one outcome).
    const recorded = handle.succeed({
      response: result.raw,
      responses: result.value.suggestions.map((suggestion) => ({ content: JSON.stringify(suggestion) })),
      usage: result.usage,
    });
    try {
      const suggestions = await store.saveAiMessages(
        sessionId,
        result.value.suggestions.map((suggestion) => ({
          id: randomUUID(),
          text: suggestion.text,
          title: suggestion.title,
          tag: suggestion.tag,
          analysis: suggestion.analysis,
          aiInteractionId: handle.id,
        })),
      );
      for (const message of suggestions) await announce(runtime.streams, sessionId, { kind: "message", message });
      // Suggestions do not end a session: only the person's End makes it complete. An ended session
      // asked for new suggestions is complete again afterwards; any other returns to waiting.
      const back = from === "complete" ? "complete" : "pending_user_input";
      const finished = await store.moveStatus(sessionId, "analysis_in_progress", back, null);
      await announce(runtime.streams, sessionId, { kind: "status", status: back, errorReason: null });
      return { session: finished ?? started, suggestions };
    } finally {
      await recorded;
    }
  } catch (error) {
    await handle.fail(error);
    const reason = "The analysis failed. You can try again.";
    await store.moveStatus(sessionId, "analysis_in_progress", "error", reason);
    await announce(runtime.streams, sessionId, { kind: "status", status: "error", errorReason: reason });
    throw new FlowError("provider_failed", reason, { cause: error });
  }
}
