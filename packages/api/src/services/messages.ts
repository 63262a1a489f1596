// Message use cases: keyset history in both directions, idempotent sends with a client-made id,
// edits and deletes of typed messages, reactions, and claiming a failed reply for a retry.
// Each keeps last_activity current.
import { randomUUID } from "node:crypto";
import {
  InteractionType,
  MessageAuthor,
  type TMessageDto,
  type TMessageListInput,
  type TMessageReactInput,
  type TMessageSendInput,
} from "@lockstep/contracts";
import {
  claimFailedReply,
  deleteWrittenMessage,
  findMessage,
  findSession,
  insertMessageIfAbsent,
  lastVisibleMessageId,
  listMessages,
  lockSession,
  pendingReplyIn,
  type SqlTx,
  setReaction,
  toMessageDto,
  touchSession,
  updateWrittenMessage,
} from "@lockstep/db";
import { AppError } from "../errors.ts";
import type { UserScope } from "../scopes.ts";
import { replyStillRunning } from "./message-versions.ts";
import { reserveModelCall } from "./usage.ts";
import { cursorCodec, pageFrom, ZTimeIdKeySchema } from "./cursors.ts";

const messagesCursor = cursorCodec("message.list", ZTimeIdKeySchema);

const noSession = () => new AppError("NOT_FOUND", "No such session.");
const noMessage = () => new AppError("NOT_FOUND", "No such message.");
const aiIsReadOnly = () => new AppError("FORBIDDEN", "Messages written by the coach cannot be changed.");

async function messageDto(tx: SqlTx, id: string): Promise<TMessageDto> {
  const row = await findMessage(tx, id);
  if (!row) throw noMessage();
  return toMessageDto(row);
}

export async function listMessagesPage(scope: UserScope, input: TMessageListInput) {
  const key = messagesCursor.decode(input.cursor);
  const after = key ? { time: new Date(key.t), id: key.id } : undefined;
  const rows = await scope.read(async (tx) => {
    const page = await listMessages(tx, {
      sessionId: input.sessionId,
      direction: input.direction,
      after,
      limit: input.limit + 1,
    });
    // Messages come only from the person's live sessions, so a page with any proves the session;
    // only an empty one needs asking whether there is such a session at all.
    if (page.length === 0 && !(await findSession(tx, input.sessionId))) throw noSession();
    return page;
  });
  const page = pageFrom(rows, input.limit, toMessageDto, messagesCursor, (row) => ({
    t: row.timestamp.getTime(),
    id: row.id,
  }));
  // Pages walking back in time are fetched newest first; clients always get chronological order.
  if (input.direction === "older") page.items.reverse();
  return page;
}

/** Stores a typed message; `created` is false for a retry of a send that already landed. */
export async function sendMessage(
  scope: UserScope,
  input: TMessageSendInput,
): Promise<{ message: TMessageDto; created: boolean }> {
  const id = input.id ?? randomUUID();
  const author = MessageAuthor.toDb(input.author) as "USER" | "CONTACT";
  const outcome = await scope.sql(async (tx) => {
    // The session row is locked so that of two sends at once, the second sees the reply the first asked for.
    if (!(await lockSession(tx, input.sessionId))) throw noSession();
    const retried = await findMessage(tx, id);
    if (!retried && (await pendingReplyIn(tx, input.sessionId))) return { refused: "reply_pending" as const };
    const result = await insertMessageIfAbsent(tx, {
      id,
      sessionId: input.sessionId,
      userId: scope.userId,
      text: input.text,
      author,
      awaitsReply: input.reply,
      parentId: retried ? null : await lastVisibleMessageId(tx, input.sessionId),
    });
    if (!result.created) {
      const existing = result.existing;
      const isRetry =
        existing &&
        existing.session_id === input.sessionId &&
        existing.text === input.text &&
        existing.author === author;
      if (!isRetry) throw new AppError("CONFLICT", "That id is already used by another message.");
      return { message: await messageDto(tx, id), created: false };
    }
    if (input.reply) await reserveModelCall(tx, scope);
    await touchSession(tx, input.sessionId);
    return { message: await messageDto(tx, id), created: true };
  });
  // Thrown once the transaction is over (nothing was written): one reply at a time per session.
  if ("refused" in outcome) throw replyPending();
  return outcome;
}

export const replyPending = () =>
  new AppError("CONFLICT", "The coach is still replying. Wait for the reply, or stop it, then send.");

/**
 * Changing or removing a written message waits for the session's reply, as a send does: the coach is
 * answering the conversation as it was when it started. Locks the session for the rest of the
 * transaction; a message that is not the person's is left to the caller's own not-found answer.
 */
async function refuseWhileReplying(tx: SqlTx, messageId: string): Promise<void> {
  const message = await findMessage(tx, messageId);
  if (!message || !(await lockSession(tx, message.session_id))) return;
  if (await pendingReplyIn(tx, message.session_id)) throw replyStillRunning();
}

export async function updateMessage(
  scope: UserScope,
  input: { id: string; text?: string | undefined; author?: "user" | "contact" | undefined },
): Promise<TMessageDto> {
  return scope.sql(async (tx) => {
    await refuseWhileReplying(tx, input.id);
    const outcome = await updateWrittenMessage(tx, input.id, {
      text: input.text,
      author: input.author ? (MessageAuthor.toDb(input.author) as "USER" | "CONTACT") : undefined,
    });
    if (outcome === "not_found") throw noMessage();
    if (outcome === "ai_message") throw aiIsReadOnly();
    return messageDto(tx, input.id);
  });
}

export async function deleteMessage(scope: UserScope, id: string): Promise<{ id: string; deleted: true }> {
  return scope.sql(async (tx) => {
    await refuseWhileReplying(tx, id);
    const outcome = await deleteWrittenMessage(tx, id);
    if (outcome === "not_found") throw noMessage();
    if (outcome === "ai_message") throw aiIsReadOnly();
    return { id, deleted: true as const };
  });
}

/**
 * Claims the person's message whose reply failed for another attempt (FAILED -> PENDING in one
 * statement, so of two concurrent retries one wins and the other gets CONFLICT). The caller then
 * enqueues the reply; the claimed message is returned for it and for the client.
 */
export async function claimReplyRetry(scope: UserScope, messageId: string): Promise<TMessageDto> {
  // The refusals are decided inside the transaction but thrown after it commits: on the embedded
  // database one connection is shared, and a rollback would also undo a job another request enqueued meanwhile.
  const outcome = await scope.sql(async (tx) => {
    if (await claimFailedReply(tx, messageId)) {
      // Another attempt is another model call: counted, and refused (undoing the claim) past a limit.
      await reserveModelCall(tx, scope);
      return { claimed: await messageDto(tx, messageId), refused: null };
    }
    const message = await findMessage(tx, messageId);
    return { claimed: null, refused: message && { author: message.author, replyStatus: message.reply_status } };
  });
  if (outcome.claimed) return outcome.claimed;
  const refused = outcome.refused;
  if (!refused) throw noMessage();
  if (refused.author === "AI") throw new AppError("CONFLICT", "A message written by the coach is not owed a reply.");
  if (refused.replyStatus === "PENDING") throw new AppError("CONFLICT", "The reply is already being written.");
  throw new AppError("CONFLICT", "The message is not owed a reply: it was answered or never asked for one.");
}

/** Feedback counts as activity on the session (docs/decisions/0007). */
export async function reactToMessage(scope: UserScope, input: TMessageReactInput): Promise<TMessageDto> {
  return scope.sql(async (tx) => {
    const message = await findMessage(tx, input.messageId);
    if (!message) throw noMessage();
    await setReaction(tx, scope.userId, input.messageId, InteractionType.toDb(input.type), input.on);
    await touchSession(tx, message.session_id);
    return messageDto(tx, input.messageId);
  });
}
