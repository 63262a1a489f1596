// Memory extraction when a session ends (docs/decisions/0003): the provider reads what the person and
// their contact said and proposes facts and preferences about the person; new ones are kept in
// memory_events with the message they came from, so later sessions with the character recall them.
import type { TDataSource, TMemoryDto } from "@lockstep/contracts";
import {
  insertMemories,
  lockMemories,
  memoryExtractionInput,
  type MemorySourceMessage,
  rememberedContents,
  type ScopedTx,
} from "@lockstep/db";
import { z } from "zod";
import { chatPromptText } from "../log/interaction-log.ts";
import type { InteractionLog } from "../log/types.ts";
import type { AiProvider, ChatMessage, PromptContext } from "../provider.ts";

/** The schema name providers key on: the built-in one answers it with its own rules. */
export const MEMORY_SCHEMA_NAME = "memories";
/** At most this many new memories per session: a coach remembers the gist, not a transcript. */
export const MEMORIES_PER_SESSION = 5;
/** A memory is a sentence; anything longer is the model paraphrasing the conversation, not remembering. */
export const MEMORY_CONTENT_MAX = 300;
/** How much of a long session the model reads (the latest messages). */
export const MEMORY_MESSAGE_LIMIT = 60;

// No length or count limits here: one over-long item must not make the whole reply unparseable,
// so they are applied when choosing (chooseNewMemories) instead.
export const ZExtractedMemorySchema = z.object({
  kind: z.enum(["fact", "preference"]),
  content: z.string().min(1),
  /** The number of the conversation line it came from (0-based, as numbered in the prompt). */
  sourceIndex: z.number().int().min(0),
});
export const ZExtractedMemoriesSchema = z.object({ memories: z.array(ZExtractedMemorySchema) });
export type TExtractedMemory = z.infer<typeof ZExtractedMemorySchema>;
export type TExtractedMemories = z.infer<typeof ZExtractedMemoriesSchema>;

export const MEMORY_INSTRUCTIONS =
  "You are the memory of a coach. Read the conversation below and pick the few lasting facts about the person (Me) and their " +
  "preferences that would help the coach in later sessions: their situation, work, hobbies, likes and dislikes, what they want. " +
  "Leave out small talk, passing moods, anything already remembered, and guesses. Write each as one short sentence about the person, " +
  `for example "Loves hiking". At most ${MEMORIES_PER_SESSION}. Answer only with JSON of the form ` +
  '{"memories":[{"kind":"fact"|"preference","content":"...","sourceIndex":n}]} where sourceIndex is the number of the line it came from; ' +
  'answer {"memories":[]} when there is nothing worth keeping.';

export interface MemoryPrompt {
  messages: ChatMessage[];
  promptText: string;
  context: PromptContext;
}

/** The prompt of an extraction call; lines are numbered so the answer can point at its source. */
export function buildMemoryPrompt(input: {
  characterName: string | null;
  conversation: MemorySourceMessage[];
  remembered: string[];
}): MemoryPrompt {
  const lines = input.conversation.map(
    (message, index) => `[${index}] ${message.author === "USER" ? "Me" : "Them"}: ${message.text}`,
  );
  const remembered = input.remembered.length
    ? input.remembered.map((memory) => `- ${memory}`).join("\n")
    : "(nothing yet)";
  const messages: ChatMessage[] = [
    { role: "system", content: MEMORY_INSTRUCTIONS },
    { role: "user", content: `Already remembered:\n${remembered}\n\nConversation:\n${lines.join("\n")}` },
  ];
  return {
    messages,
    promptText: chatPromptText(messages),
    context: {
      ...(input.characterName ? { characterName: input.characterName } : {}),
      conversation: input.conversation.map((message) => ({
        author: message.author === "USER" ? "user" : "contact",
        text: message.text,
      })),
      memories: input.remembered,
    },
  };
}

/** Spacing differences are not different memories. */
function normalise(content: string): string {
  return content.trim().replace(/\s+/g, " ");
}

export interface ChosenMemory {
  kind: TExtractedMemory["kind"];
  content: string;
  /** null when the model pointed at a line that does not exist. */
  messageId: string | null;
}

/**
 * Which proposals to keep: trimmed, not blank or over-long, not already remembered (compared
 * case-insensitively, also against the ones kept before them), at most `limit`, in the model's order.
 */
export function chooseNewMemories(
  proposed: readonly TExtractedMemory[],
  remembered: readonly string[],
  conversation: readonly Pick<MemorySourceMessage, "id">[],
  limit: number = MEMORIES_PER_SESSION,
): { chosen: ChosenMemory[]; duplicates: number; rejected: number } {
  const known = new Set(remembered.map((content) => normalise(content).toLowerCase()));
  const chosen: ChosenMemory[] = [];
  let duplicates = 0;
  let rejected = 0;
  for (const memory of proposed) {
    if (chosen.length >= limit) break;
    const content = normalise(memory.content);
    if (!content || content.length > MEMORY_CONTENT_MAX) {
      rejected += 1;
      continue;
    }
    const key = content.toLowerCase();
    if (known.has(key)) {
      duplicates += 1;
      continue;
    }
    known.add(key);
    chosen.push({ kind: memory.kind, content, messageId: conversation[memory.sourceIndex]?.id ?? null });
  }
  return { chosen, duplicates, rejected };
}

export interface ExtractMemoriesOptions {
  provider: AiProvider;
  log: InteractionLog;
  /** Runs `work` in one short transaction as the person (row-level security); never across the model call. */
  run: <T>(work: (tx: ScopedTx) => Promise<T>) => Promise<T>;
  userId: string;
  characterId: string;
  sessionId: string;
  /** Where the request came from, for the interaction log. */
  call: { ip: string | null; dataSource: TDataSource; requestId?: string | null };
  limit?: number;
  signal?: AbortSignal;
}

export type ExtractMemoriesResult =
  | { status: "skipped"; reason: "no_messages" }
  | {
      status: "stored";
      interactionId: string;
      proposed: number;
      stored: TMemoryDto[];
      duplicates: number;
      rejected: number;
    }
  | { status: "failed"; interactionId: string | null; error: unknown };

/**
 * Reads the session (one transaction), asks the provider (no transaction open, logged as operation
 * `memory`), then stores what is new (a second transaction, under a per-person-and-character lock
 * so concurrent extractions cannot store the same memory twice). Never throws: a session has ended
 * whether or not its memories could be kept, and the failure is in the interaction log.
 */
export async function extractMemories(options: ExtractMemoriesOptions): Promise<ExtractMemoriesResult> {
  const { provider, log, run, userId, characterId, sessionId } = options;
  const limit = options.limit ?? MEMORIES_PER_SESSION;
  let input;
  try {
    input = await run((tx) =>
      memoryExtractionInput(tx, { userId, characterId, sessionId, messageLimit: MEMORY_MESSAGE_LIMIT }),
    );
  } catch (error) {
    return { status: "failed", interactionId: null, error };
  }
  // Nothing said, nothing to remember, and no reason to pay for a call.
  if (input.conversation.length === 0) return { status: "skipped", reason: "no_messages" };

  const prompt = buildMemoryPrompt(input);
  const request = { messages: prompt.messages, schemaName: MEMORY_SCHEMA_NAME, temperature: 0 };
  let handle;
  try {
    handle = await log.begin({
      operation: "memory",
      provider: { name: provider.name, kind: provider.kind, baseUrl: provider.baseUrl },
      model: provider.chatModel,
      promptText: prompt.promptText,
      promptMessages: prompt.messages,
      request,
      metadata: { characterId, messages: input.conversation.length },
      context: {
        userId,
        sessionId,
        ip: options.call.ip,
        dataSource: options.call.dataSource,
        requestId: options.call.requestId ?? null,
      },
    });
  } catch (error) {
    // A call that cannot be logged is not made: every model call is on the record.
    return { status: "failed", interactionId: null, error };
  }

  let result;
  let kept;
  try {
    result = await provider.completeStructured({
      ...request,
      context: prompt.context,
      schema: ZExtractedMemoriesSchema,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const proposed = result.value.memories;
    kept = await run(async (tx) => {
      await lockMemories(tx, userId, characterId);
      // Read again under the lock: another session's extraction may have stored some meanwhile.
      const remembered = await rememberedContents(tx, userId, characterId);
      const choice = chooseNewMemories(proposed, remembered, input.conversation, limit);
      const stored = await insertMemories(
        tx,
        choice.chosen.map((memory) => ({
          userId,
          characterId,
          sessionId,
          messageId: memory.messageId,
          kind: memory.kind,
          content: memory.content,
        })),
      );
      return { ...choice, stored };
    });
  } catch (error) {
    await handle.fail(error).catch(() => undefined);
    return { status: "failed", interactionId: handle.id, error };
  }
  const proposed = result.value.memories.length;
  // The memories are stored by now; a log that cannot complete its row does not undo that.
  await handle
    .succeed({
      response: result.raw,
      responses: [{ content: JSON.stringify(result.value) }],
      usage: result.usage,
      metadata: { proposed, stored: kept.stored.length, duplicates: kept.duplicates, rejected: kept.rejected },
    })
    .catch(() => undefined);
  return {
    status: "stored",
    interactionId: handle.id,
    proposed,
    stored: kept.stored,
    duplicates: kept.duplicates,
    rejected: kept.rejected,
  };
}
