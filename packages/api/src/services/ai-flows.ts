// The API side of the AI flows: the conversation store over row-level-security scopes, and the
// background tasks a reply runs in (so a send returns at once and the reply streams).
import { randomUUID } from "node:crypto";
import {
  type AiRuntime,
  analyzeSession,
  type CallContext,
  type ConversationStore,
  FlowError,
  generateReply,
  HISTORY_LIMIT,
} from "@lockstep/ai";
import {
  canTransition,
  MessageAuthor,
  MessageSentiment,
  SessionStatus,
  type TSessionStatusDb,
} from "@lockstep/contracts";
import {
  clearReplyStatus,
  findMessage,
  findSession,
  insertAiMessages,
  type JobQueue,
  loadAnalysisContext,
  markReplyFailed,
  replyStopRequested,
  type ScopedTx,
  setMessageSentiments,
  statusMove,
  toMessageDto,
  toSessionDto,
  updateSession,
} from "@lockstep/db";
import type { RequestMeta } from "../context.ts";
import { enqueueAnalysis, enqueueReply, SESSION_WORK_QUEUE, ZJobFailureSchema } from "../jobs/session-work-queue.ts";
import { AppError } from "../errors.ts";
import type { UserScope } from "../scopes.ts";
import { titleAfterReply } from "./session-titles.ts";
import { reserveModelCall } from "./usage.ts";

/** `answering`: the person's message a reply is for; storing the reply clears what that message is owed. */
export function conversationStore(scope: UserScope, answering?: string): ConversationStore {
  return {
    load: (sessionId, options) =>
      scope.run(async (tx) => {
        const row = await loadAnalysisContext(tx, scope.userId, sessionId, HISTORY_LIMIT, options?.upToMessageId);
        if (!row) return null;
        return {
          session: { id: row.session.id, status: SessionStatus.toWire(row.session.status as TSessionStatusDb) },
          character: row.character
            ? {
                name: row.character.name,
                systemPrompt: row.character.system_prompt,
                chatModel: row.character.chat_model,
              }
            : null,
          template: row.template,
          memories: row.memories,
          conversation: row.conversation.map((turn) => ({
            id: turn.id,
            author: MessageAuthor.toWire(turn.author),
            text: turn.text,
            sentiment: turn.sentiment ? MessageSentiment.toWire(turn.sentiment) : null,
          })),
        };
      }),
    saveAiMessages: (sessionId, messages) =>
      scope.run(async (tx) => {
        await insertAiMessages(
          tx,
          scope.userId,
          sessionId,
          messages.map((message) => ({
            id: message.id,
            text: message.text,
            title: message.title ?? null,
            tag: message.tag ?? null,
            analysis: message.analysis ?? null,
            aiInteractionId: message.aiInteractionId,
            stopped: message.stopped ?? false,
            versionOf: message.versionOf ?? null,
          })),
          answering ?? null,
        );
        if (answering) await clearReplyStatus(tx, answering);
        return Promise.all(messages.map((message) => messageDto(tx, message.id)));
      }),
    setSentiments: (updates) =>
      scope.run((tx) =>
        setMessageSentiments(
          tx,
          updates.map((update) => ({ id: update.id, sentiment: MessageSentiment.toDb(update.sentiment) })),
        ),
      ),
    ...(answering
      ? {
          stopRequested: () => scope.read((tx) => replyStopRequested(tx, answering)),
          abandonReply: () =>
            scope.run(async (tx) => {
              await clearReplyStatus(tx, answering);
              const row = await findMessage(tx, answering);
              return row ? toMessageDto(row) : null;
            }),
        }
      : {}),
    findMessage: (id) =>
      scope.run(async (tx) => {
        const row = await findMessage(tx, id);
        return row ? toMessageDto(row) : null;
      }),
    moveStatus: async (sessionId, from, to, errorReason) => {
      const row = await scope.run((tx) =>
        updateSession(tx, sessionId, statusMove(SessionStatus.toDb(to), errorReason ?? null), {
          expectStatus: SessionStatus.toDb(from),
        }),
      );
      return row ? toSessionDto(row) : null;
    },
  };
}

async function messageDto(tx: ScopedTx, id: string) {
  const row = await findMessage(tx, id);
  if (!row) throw new Error(`message ${id} vanished inside its own transaction`);
  return toMessageDto(row);
}

export function requireAi(ai: AiRuntime | undefined): AiRuntime {
  if (!ai) throw new AppError("UPSTREAM_UNAVAILABLE", "The AI service is not available on this server.");
  return ai;
}

export function callContext(
  scope: UserScope,
  meta: RequestMeta,
  sessionId: string,
): CallContext & { sessionId: string } {
  return { userId: scope.userId, sessionId, ip: meta.ip, dataSource: "web", requestId: meta.requestId };
}

/** Flow failures as app errors a client can act on. */
export function flowErrorToAppError(error: unknown): never {
  if (error instanceof FlowError) {
    if (error.reason === "not_found") throw new AppError("NOT_FOUND", error.message);
    if (error.reason === "illegal_state") throw new AppError("ILLEGAL_TRANSITION", error.message);
    throw new AppError("UPSTREAM_UNAVAILABLE", error.message);
  }
  throw error;
}

/** Background work (replies) that must finish, or be cancelled, before the process exits. */
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  run(work: () => Promise<unknown>): void {
    const task = work().catch(() => {
      // The flow already logged the failure and told the client through the session stream.
    });
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  get size(): number {
    return this.running.size;
  }

  /** Waits for running tasks, at most `timeoutMs`; returns how many were still running. */
  async settle(timeoutMs: number): Promise<number> {
    const deadline = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.allSettled([...this.running]), deadline]);
    return this.running.size;
  }
}

export const backgroundTasks = new BackgroundTasks();

/**
 * Has the session's character answer `messageId`. With a job queue (every server has one) the reply
 * is a durable job whose id is the message's, so a retried send, even one whose first try died
 * before its reply was enqueued, asks for exactly one reply. Without one (tests of the API alone)
 * it runs in this process, and only for a message this send created.
 */
export async function startReply(
  ai: AiRuntime,
  scope: UserScope,
  meta: RequestMeta,
  target: { sessionId: string; messageId: string; created: boolean },
): Promise<void> {
  if (ai.jobs) {
    await enqueueReply(ai.jobs, {
      userId: scope.userId,
      sessionId: target.sessionId,
      messageId: target.messageId,
      requestId: meta.requestId,
      ip: meta.ip,
    });
    return;
  }
  if (!target.created) return;
  backgroundTasks.run(async () => {
    try {
      const context = callContext(scope, meta, target.sessionId);
      await generateReply({ runtime: ai, store: conversationStore(scope, target.messageId), context });
      await titleAfterReply(ai, scope, context);
    } catch (error) {
      const reason = error instanceof FlowError ? error.message : "The reply could not be completed.";
      await scope.run((tx) => markReplyFailed(tx, target.messageId, reason));
      throw error;
    }
  });
}

/**
 * Asks again for the reply to a message whose reply failed and was just claimed (PENDING again).
 * With a queue it is a new job (a fresh id, the same session key, so it waits behind the session's
 * other work); a job that cannot be enqueued puts the message back to FAILED.
 */
export async function startReplyRetry(
  ai: AiRuntime,
  scope: UserScope,
  meta: RequestMeta,
  target: { sessionId: string; messageId: string },
): Promise<void> {
  if (!ai.jobs) return startReply(ai, scope, meta, { ...target, created: true });
  try {
    const job = { userId: scope.userId, ...target, requestId: meta.requestId, ip: meta.ip };
    await enqueueReply(ai.jobs, job, randomUUID());
  } catch (error) {
    await scope.run((tx) => markReplyFailed(tx, target.messageId, "The reply could not be queued."));
    throw error;
  }
}

/**
 * Runs the analysis and answers with its suggestions. With a job queue it is a session job, queued
 * behind the replies in flight (it reads the conversation they finished), and this request waits
 * for it; should the request's process die, the analysis still completes and the person sees it.
 */
export async function runAnalysis(
  ai: AiRuntime,
  scope: UserScope,
  meta: RequestMeta,
  sessionId: string,
  sentimentOf?: (text: string) => "positive" | "negative" | "neutral",
  options: { reserved?: boolean } = {},
) {
  // The suggestions are a model call the person asked for: counted before anything moves, and
  // refused past a limit. A confirmation of screenshot lines counted it in its own transaction.
  if (!options.reserved) await reserveAnalysis(scope, sessionId);
  if (ai.jobs) {
    const id = await enqueueAnalysis(ai.jobs, {
      userId: scope.userId,
      sessionId,
      requestId: meta.requestId,
      ip: meta.ip,
    });
    const output = await waitForSessionJob(ai.jobs, id, ANALYSIS_WAIT_MS);
    const failure = ZJobFailureSchema.safeParse(output);
    if (failure.success) {
      if (failure.data.reason === "internal") throw new AppError("UPSTREAM_UNAVAILABLE", failure.data.message);
      return flowErrorToAppError(new FlowError(failure.data.reason, failure.data.message));
    }
    return output as Awaited<ReturnType<typeof analyzeSession>>;
  }
  try {
    return await analyzeSession({
      runtime: ai,
      store: conversationStore(scope),
      context: callContext(scope, meta, sessionId),
      ...(sentimentOf ? { sentimentOf } : {}),
    });
  } catch (error) {
    return flowErrorToAppError(error);
  }
}

/**
 * Counts the analysis of a session that can be analysed; a missing session or one that cannot move
 * to analysis is refused first, as the analysis itself would, so it is not counted.
 */
async function reserveAnalysis(scope: UserScope, sessionId: string): Promise<void> {
  await scope.sql(async (tx) => {
    const row = await findSession(tx, sessionId);
    if (!row) throw new AppError("NOT_FOUND", "No such session.");
    const from = SessionStatus.toWire(row.status as TSessionStatusDb);
    if (!canTransition(from, "analysis_in_progress"))
      throw new AppError("ILLEGAL_TRANSITION", `A session cannot move from ${from} to analysis_in_progress.`, {
        from,
        to: "analysis_in_progress",
      });
    await reserveModelCall(tx, scope);
  });
}

/** How long a request waits for its analysis (a queued reply plus the suggestions call). */
const ANALYSIS_WAIT_MS = 180_000;

/** The output of a session job once it is done; an AppError when it failed, was cancelled or took too long. */
export async function waitForSessionJob(queue: JobQueue, id: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    const job = await queue.getJobById(SESSION_WORK_QUEUE, id);
    if (job?.state === "completed") return job.output;
    if (job?.state === "failed" || job?.state === "cancelled" || !job) {
      throw new AppError("UPSTREAM_UNAVAILABLE", "The work could not be completed. Try again.");
    }
    if (Date.now() > deadline) {
      throw new AppError(
        "UPSTREAM_UNAVAILABLE",
        "This is taking longer than expected; the result will appear in the session.",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
