// The conversation controls: Stop the reply being written, Regenerate a coach reply, Edit and resend a
// written message, and choose which version of a turn is on screen. A regenerated reply or an edited
// message is a new version beside the old ones; what followed the old one is kept as its branch.
import { randomUUID } from "node:crypto";
import { type AiRuntime, generateReply } from "@lockstep/ai";
import type { TMessageDto, TMessageEditInput } from "@lockstep/contracts";
import {
  chooseVersion,
  clearReplyStop,
  findMessage,
  hideFrom,
  insertMessageIfAbsent,
  linkLegacyMessages,
  lockSession,
  markReplyFailed,
  pendingReplyIn,
  requestReplyStop,
  showBranchFrom,
  type SqlTx,
  toMessageDto,
  touchSession,
  treeFacts,
  type TreeFacts,
} from "@lockstep/db";
import type { RequestMeta } from "../context.ts";
import { AppError } from "../errors.ts";
import { enqueueReply } from "../jobs/session-work-queue.ts";
import type { UserScope } from "../scopes.ts";
import { backgroundTasks, callContext, conversationStore, startReply } from "./ai-flows.ts";
import { reserveModelCall } from "./usage.ts";

type Refusal = () => AppError;

const noMessage: Refusal = () => new AppError("NOT_FOUND", "No such message.");
/** One reply at a time: a regeneration, an edit or a switch of versions waits, as a send does. */
export const replyStillRunning: Refusal = () =>
  new AppError("CONFLICT", "The coach is still replying. Wait for the reply, or stop it, then try again.");
const idTaken: Refusal = () => new AppError("CONFLICT", "That id is already used by another message.");
const offScreen: Refusal = () =>
  new AppError("CONFLICT", "That message is not on the branch on screen; switch to it first.");

/** The message's facts with its session locked and no reply running; a refusal otherwise. */
async function lockedTurn(tx: SqlTx, messageId: string): Promise<TreeFacts | Refusal> {
  const facts = await treeFacts(tx, messageId);
  if (!facts) return noMessage;
  if (!(await lockSession(tx, facts.session_id))) return noMessage;
  if (await pendingReplyIn(tx, facts.session_id)) return replyStillRunning;
  return facts;
}

/** Runs `work` in one transaction and throws its refusal only after it ends (nothing was written then). */
async function decide<T>(scope: UserScope, work: (tx: SqlTx) => Promise<T | Refusal>): Promise<T> {
  const outcome = await scope.sql(work);
  if (typeof outcome === "function") throw (outcome as Refusal)();
  return outcome;
}

async function dto(tx: SqlTx, id: string): Promise<TMessageDto> {
  const row = await findMessage(tx, id);
  if (!row) throw noMessage();
  return toMessageDto(row);
}

/** Asks the session's reply being written to stop, wherever it runs; `stopping` false when none runs. */
export async function stopReply(scope: UserScope, sessionId: string): Promise<{ stopping: boolean }> {
  return scope.sql(async (tx) => {
    const pending = await pendingReplyIn(tx, sessionId);
    return { stopping: pending !== null && (await requestReplyStop(tx, pending)) };
  });
}

/**
 * Writes a new version of a coach reply: the old one (and what followed it) goes off screen, kept as a
 * version, and the person's message it answered is owed a reply again. Returns that message.
 */
export async function regenerateReply(
  ai: AiRuntime,
  scope: UserScope,
  meta: RequestMeta,
  messageId: string,
): Promise<TMessageDto> {
  const plan = await decide(scope, async (tx) => {
    const turn = await lockedTurn(tx, messageId);
    if (typeof turn === "function") return turn;
    if (turn.author !== "AI" || turn.title !== null)
      return () => new AppError("FORBIDDEN", "Only a coach reply can be regenerated.");
    if (turn.hidden) return offScreen;
    await linkLegacyMessages(tx, turn.session_id);
    const parentId = (await treeFacts(tx, messageId))?.parent_id ?? null;
    const answered = parentId ? await treeFacts(tx, parentId) : null;
    if (!answered || answered.author === "AI")
      return () =>
        new AppError("CONFLICT", "This reply does not answer a message of yours, so it cannot be regenerated.");
    await hideFrom(tx, turn.session_id, messageId);
    await tx.$executeRaw`UPDATE messages SET selected = false WHERE id = ${messageId}::uuid`;
    await tx.$executeRaw`UPDATE messages SET reply_status = 'PENDING', reply_error = NULL, stop_requested_at = NULL
      WHERE id = ${answered.id}::uuid`;
    await clearReplyStop(tx, answered.id);
    // A new version is a new model call: counted, and refused past a limit, thrown so that the
    // transaction (and the hiding above) rolls back and the conversation stays as it was.
    await reserveModelCall(tx, scope);
    await touchSession(tx, turn.session_id);
    return { sessionId: turn.session_id, answering: answered.id, versionOf: turn.version_of ?? turn.id };
  });
  const jobId = randomUUID();
  const regenerate = { versionOf: plan.versionOf, replyKey: `${plan.answering}:${jobId}` };
  if (ai.jobs) {
    try {
      await enqueueReply(
        ai.jobs,
        {
          userId: scope.userId,
          sessionId: plan.sessionId,
          messageId: plan.answering,
          requestId: meta.requestId,
          ip: meta.ip,
          regenerate,
        },
        jobId,
      );
    } catch (error) {
      await scope.run((tx) => markReplyFailed(tx, plan.answering, "The reply could not be queued."));
      throw error;
    }
  } else {
    backgroundTasks.run(async () => {
      try {
        await generateReply({
          runtime: ai,
          store: conversationStore(scope, plan.answering),
          context: callContext(scope, meta, plan.sessionId),
          answering: plan.answering,
          versionOf: plan.versionOf,
        });
      } catch (error) {
        await scope.run((tx) => markReplyFailed(tx, plan.answering, "The reply could not be completed."));
        throw error;
      }
    });
  }
  return scope.sql((tx) => dto(tx, plan.answering));
}

/**
 * Edits a message the person wrote (or pasted) and resends it: the edit is a new version beside the
 * original, whose branch (the replies and everything after) stays reachable. The coach answers the edit.
 */
export async function editAndResend(
  ai: AiRuntime,
  scope: UserScope,
  meta: RequestMeta,
  input: TMessageEditInput,
): Promise<TMessageDto> {
  const id = input.id ?? randomUUID();
  const result = await decide(scope, async (tx) => {
    const facts = await treeFacts(tx, input.messageId);
    if (!facts || !(await lockSession(tx, facts.session_id))) return noMessage;
    // Looked for only once the session is locked: a retry sent while the first try is still running
    // waits for it and then finds its version, instead of being refused for the reply that try asked for.
    const existing = input.id ? await treeFacts(tx, id) : null;
    if (existing) {
      // A retry of an edit that landed: the same version, not a second one. The id must be a later version
      // of this very turn carrying the same text; anything else is a different message's id.
      const sameGroup =
        existing.id !== facts.id && (existing.version_of ?? existing.id) === (facts.version_of ?? facts.id);
      const message = await dto(tx, id);
      if (!sameGroup || message.text !== input.text) return idTaken;
      return { message, created: false, sessionId: existing.session_id };
    }
    if (await pendingReplyIn(tx, facts.session_id)) return replyStillRunning;
    const turn = facts;
    if (turn.author === "AI")
      return () =>
        new AppError("FORBIDDEN", "Messages written by the coach cannot be edited; regenerate them instead.");
    if (turn.hidden) return offScreen;
    await linkLegacyMessages(tx, turn.session_id);
    const parentId = (await treeFacts(tx, input.messageId))?.parent_id ?? null;
    await hideFrom(tx, turn.session_id, input.messageId);
    await tx.$executeRaw`UPDATE messages SET selected = false WHERE id = ${input.messageId}::uuid`;
    const inserted = await insertMessageIfAbsent(tx, {
      id,
      sessionId: turn.session_id,
      userId: scope.userId,
      text: input.text,
      author: turn.author,
      awaitsReply: true,
      parentId,
      versionOf: turn.version_of ?? turn.id,
    });
    // The id is taken by a message this person cannot see (their own was a retry, above): thrown, not
    // returned, so the branch hidden a moment ago comes back with the rolled-back transaction.
    if (!inserted.created) throw idTaken();
    // The coach answers the edit: a model call, counted and refused as a send's reply is.
    await reserveModelCall(tx, scope);
    await touchSession(tx, turn.session_id);
    return { message: await dto(tx, id), created: true, sessionId: turn.session_id };
  });
  await startReply(ai, scope, meta, { sessionId: result.sessionId, messageId: id, created: result.created });
  return result.message;
}

/** Puts another version of a turn on screen, with the branch that followed it. */
export async function selectVersion(scope: UserScope, messageId: string): Promise<TMessageDto> {
  return decide(scope, async (tx) => {
    const turn = await lockedTurn(tx, messageId);
    if (typeof turn === "function") return turn;
    const group = turn.version_of ?? turn.id;
    const shown = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM messages WHERE (id = ${group}::uuid OR version_of = ${group}::uuid) AND NOT hidden LIMIT 1`;
    const current = shown[0]?.id;
    if (!current) return offScreen;
    if (current !== messageId) {
      await hideFrom(tx, turn.session_id, current);
      await chooseVersion(tx, messageId, group);
      await showBranchFrom(tx, messageId);
    }
    return dto(tx, messageId);
  });
}
