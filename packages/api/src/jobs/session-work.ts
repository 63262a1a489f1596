// Runs the session-work queue's jobs (see session-work-queue.ts for how they are ordered and retried).
import {
  abortInterruptedAttempts,
  type AiRuntime,
  analyzeSession,
  announce,
  FlowError,
  generateReply,
} from "@lockstep/ai";
import {
  type Database,
  findMessage,
  type Job,
  markReplyFailed,
  readAsUser,
  toMessageDto,
  withUser,
  withUserSql,
} from "@lockstep/db";
import { conversationStore } from "../services/ai-flows.ts";
import type { UserScope } from "../scopes.ts";
import { extractSessionMemories } from "../services/memories.ts";
import { titleAfterReply } from "../services/session-titles.ts";
import { readStoredScreenshot } from "../services/screenshots.ts";
import type { BlobStorage } from "../storage/types.ts";
import { replyIdFor, type TJobFailure, ZSessionWorkJobSchema } from "./session-work-queue.ts";

export interface SessionWorkDeps {
  db: Database;
  ai: AiRuntime;
  /** Where uploaded screenshots are kept (OCR jobs read them from there). */
  storage: BlobStorage;
}

function scopeOf(db: Database, userId: string): UserScope {
  return {
    userId,
    run: (work, options) => withUser(db, userId, work, options),
    sql: (work, options) => withUserSql(db, userId, work, options),
    read: (work) => readAsUser(db, userId, work),
  };
}

/** Runs one session-work job; resolves with what the job produced, throws to have the queue retry it. */
export async function runSessionWork(deps: SessionWorkDeps, job: Job<unknown>): Promise<unknown> {
  const data = ZSessionWorkJobSchema.parse(job.data);
  if (data.kind === "ocr") {
    const meta = { requestId: data.requestId, ip: data.ip, userAgent: null };
    await readStoredScreenshot(scopeOf(deps.db, data.userId), deps, meta, data.sessionId, data.file);
    return { read: data.file.key };
  }
  if (data.kind === "memories") {
    const scope = scopeOf(deps.db, data.userId);
    return extractSessionMemories(
      scope,
      deps.ai,
      { requestId: data.requestId, ip: data.ip, userAgent: null },
      {
        id: data.sessionId,
        characterId: data.characterId,
      },
    );
  }
  if (data.kind === "analysis") {
    try {
      return await analyzeSession({
        runtime: deps.ai,
        store: conversationStore(scopeOf(deps.db, data.userId)),
        context: {
          userId: data.userId,
          sessionId: data.sessionId,
          ip: data.ip,
          dataSource: "web",
          requestId: data.requestId,
        },
        ...(deps.ai.sentimentOf ? { sentimentOf: deps.ai.sentimentOf } : {}),
      });
    } catch (error) {
      // The request waiting for it turns this into the error the person sees.
      if (error instanceof FlowError)
        return { failed: true, reason: error.reason, message: error.message } satisfies TJobFailure;
      throw error;
    }
  }
  const replyId = replyIdFor(data.regenerate?.replyKey ?? data.messageId);
  const retried = (job as { retryCount?: number }).retryCount ?? 0;
  if (retried > 0) {
    // An earlier attempt died mid-call: its row is closed, and the client drops its partial text.
    await abortInterruptedAttempts(deps.db, replyId);
    await announce(deps.ai.streams, data.sessionId, {
      kind: "error",
      messageId: replyId,
      message: "The reply was interrupted; starting it again.",
      retryable: true,
    });
  }
  const scope = scopeOf(deps.db, data.userId);
  const context = {
    userId: data.userId,
    sessionId: data.sessionId,
    ip: data.ip,
    dataSource: "web" as const,
    requestId: data.requestId,
  };
  try {
    await generateReply({
      runtime: deps.ai,
      store: conversationStore(scope, data.messageId),
      context,
      replyId,
      answering: data.messageId,
      versionOf: data.regenerate?.versionOf ?? null,
    });
  } catch (error) {
    // The model's own failures were already retried within the AI core's policy, logged, and told
    // to the client; retrying the job would only repeat them. A session that is gone has nothing to answer.
    if (error instanceof FlowError) {
      await giveUpReply(deps, scope, data, error.message);
      return { replyId };
    }
    // The queue retries anything else until its attempts run out; on the last one the person is told.
    if (isLastAttempt(job)) await giveUpReply(deps, scope, data, "The reply could not be completed.");
    throw error;
  }
  // After the reply is stored, outside its try: a title never fails the reply, and a retried job finds
  // the session already titled (titleAfterReply replaces only a name still at its default).
  await titleAfterReply(deps.ai, scope, context);
  return { replyId };
}

/** Whether the queue will not run this job again if it throws (the worker fetches jobs with their metadata). */
function isLastAttempt(job: Job<unknown>): boolean {
  const { retryCount, retryLimit } = job as Job<unknown> & { retryLimit?: number };
  return retryLimit !== undefined && retryCount >= retryLimit;
}

/**
 * Marks the person's message as owed a reply that failed (Retry then asks again) and sends the
 * updated message down the session stream, so an open chat shows it without a reload.
 */
async function giveUpReply(
  deps: SessionWorkDeps,
  scope: UserScope,
  data: { sessionId: string; messageId: string },
  reason: string,
): Promise<void> {
  try {
    const message = await scope.run(async (tx) => {
      if (!(await markReplyFailed(tx, data.messageId, reason))) return null;
      const row = await findMessage(tx, data.messageId);
      return row ? toMessageDto(row) : null;
    });
    if (message) await announce(deps.ai.streams, data.sessionId, { kind: "message", message });
  } catch (error) {
    // The job's own outcome stands; the message stays pending, which a reload shows as waiting.
    console.error(`[jobs] could not mark the reply to ${data.messageId} as failed:`, error);
  }
}
