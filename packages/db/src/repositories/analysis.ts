// What the AI flows read and write about a session: its character, scenario, memories and recent
// conversation; the AI messages they produce; sentiments; guarded status moves.
import { type $Enums, Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";
import { memoriesForPrompt } from "./memories.ts";
import { lastVisibleMessageId } from "./message-tree.ts";

/** How many memories of a person go into one prompt: the most important, then the newest. */
export const PROMPT_MEMORIES = 10;

export interface AnalysisContextRow {
  session: {
    id: string;
    status: $Enums.SessionStatus;
    character_id: string | null;
    episode_template_id: string | null;
  };
  character: { name: string; system_prompt: string; chat_model: string | null } | null;
  template: { title: string; situation: string } | null;
  memories: string[];
  conversation: {
    id: string;
    author: $Enums.MessageAuthor;
    text: string;
    sentiment: $Enums.MessageSentiment | null;
  }[];
}

/**
 * Loads a live session's context; the most recent `historyLimit` messages, oldest first, and with
 * `upToMessageId` only those up to that one (a reply answers the message it was asked for, not the
 * ones sent after it while it waited its turn).
 */
export async function loadAnalysisContext(
  tx: ScopedTx,
  userId: string,
  sessionId: string,
  historyLimit: number,
  upToMessageId?: string,
): Promise<AnalysisContextRow | null> {
  const sessions = await tx.$queryRaw<AnalysisContextRow["session"][]>`
    SELECT id, status::text AS status, character_id, episode_template_id FROM sessions
     WHERE id = ${sessionId}::uuid AND deleted_at IS NULL`;
  const session = sessions[0];
  if (!session) return null;
  const character = session.character_id
    ? ((
        await tx.$queryRaw<{ name: string; system_prompt: string; chat_model: string | null }[]>`
        SELECT name, system_prompt, chat_model FROM characters WHERE id = ${session.character_id}::uuid`
      )[0] ?? null)
    : null;
  const template = session.episode_template_id
    ? ((
        await tx.$queryRaw<{ title: string; situation: string }[]>`
        SELECT title, situation FROM episode_templates WHERE id = ${session.episode_template_id}::uuid`
      )[0] ?? null)
    : null;
  const memories = session.character_id
    ? await memoriesForPrompt(tx, userId, session.character_id, PROMPT_MEMORIES)
    : [];
  const conversation = await tx.$queryRaw<AnalysisContextRow["conversation"]>`
    SELECT id, author, text, sentiment FROM (
      SELECT id, author, text, sentiment, "timestamp" FROM messages WHERE session_id = ${sessionId}::uuid AND NOT hidden
       ${upToMessageId ? Prisma.sql`AND ("timestamp", id) <= (SELECT "timestamp", id FROM messages WHERE id = ${upToMessageId}::uuid)` : Prisma.empty}
       ORDER BY "timestamp" DESC, id DESC LIMIT ${historyLimit}
    ) recent ORDER BY "timestamp" ASC, id ASC`;
  return { session, character, template, memories, conversation };
}

export interface NewAiMessageRow {
  id: string;
  text: string;
  title: string | null;
  tag: string | null;
  analysis: string | null;
  aiInteractionId: string;
  /** The reply was stopped by the person; its text is what had arrived. */
  stopped?: boolean;
  /** A regenerated reply: the first version of the turn it is a new version of. */
  versionOf?: string | null;
}

/**
 * Inserts AI messages in order (one timestamp each, a millisecond apart, so their order is kept), each
 * following the one before; the first follows `parentId` (the message answered) or else the last one on screen.
 */
export async function insertAiMessages(
  tx: ScopedTx,
  userId: string,
  sessionId: string,
  messages: NewAiMessageRow[],
  parentId?: string | null,
): Promise<void> {
  let parent = parentId ?? (await lastVisibleMessageId(tx, sessionId));
  for (const [index, message] of messages.entries()) {
    await tx.$executeRaw`
      INSERT INTO messages (id, session_id, user_id, text, author, title, tag, analysis, ai_interaction_id, "timestamp",
                            updated_at, parent_id, version_of, stopped)
      VALUES (${message.id}::uuid, ${sessionId}::uuid, ${userId}, ${message.text}, 'AI', ${message.title}, ${message.tag},
              ${message.analysis}, ${message.aiInteractionId}::uuid, now() + make_interval(secs => ${index} / 1000.0), now(),
              ${parent}::uuid, ${message.versionOf ?? null}::uuid, ${message.stopped ?? false})`;
    parent = message.id;
  }
  await tx.$executeRaw`UPDATE sessions SET last_activity = now() WHERE id = ${sessionId}::uuid`;
}

export async function setMessageSentiments(
  tx: ScopedTx,
  updates: { id: string; sentiment: $Enums.MessageSentiment }[],
): Promise<void> {
  for (const update of updates) {
    await tx.$executeRaw`UPDATE messages SET sentiment = ${update.sentiment}::"MessageSentiment" WHERE id = ${update.id}::uuid`;
  }
}

/** The status change only if the session is still in `from`; moving to COMPLETE counts as activity. */
export function statusMove(to: $Enums.SessionStatus, errorReason: string | null): Prisma.Sql {
  return to === "COMPLETE"
    ? Prisma.sql`status = ${to}::"SessionStatus", error_reason = ${errorReason}, last_activity = now()`
    : Prisma.sql`status = ${to}::"SessionStatus", error_reason = ${errorReason}`;
}
