// Memory use cases: people see and remove what a character keeps about them, and a session's end
// hands its conversation to extraction once the ending has committed.
import { extractMemories, type ExtractMemoriesResult, type AiRuntime } from "@lockstep/ai";
import type { TMemoryDto, TMemoryListInput } from "@lockstep/contracts";
import { deleteMemory, listMemories } from "@lockstep/db";
import type { RequestMeta } from "../context.ts";
import { AppError } from "../errors.ts";
import { enqueueMemories } from "../jobs/session-work-queue.ts";
import { waitForSessionJob } from "./ai-flows.ts";
import type { UserScope } from "../scopes.ts";
import { cursorCodec, pageFrom, ZTimeIdKeySchema } from "./cursors.ts";
import { mayMakeSideCall } from "./usage.ts";

/** How long ending a session waits for its memories before answering. */
const MEMORIES_WAIT_MS = 30_000;

const memoryCursor = cursorCodec("memory.list", ZTimeIdKeySchema);

export async function listMyMemories(scope: UserScope, input: TMemoryListInput) {
  const key = memoryCursor.decode(input.cursor);
  const after = key ? { createdAt: new Date(key.t), id: key.id } : undefined;
  const rows = await scope.run((tx) =>
    listMemories(tx, { userId: scope.userId, characterId: input.characterId, after, limit: input.limit + 1 }),
  );
  return pageFrom(
    rows,
    input.limit,
    (row: TMemoryDto) => row,
    memoryCursor,
    (row) => ({ t: row.createdAt, id: row.id }),
  );
}

export async function forgetMemory(scope: UserScope, id: string): Promise<{ id: string; deleted: true }> {
  const deleted = await scope.run((tx) => deleteMemory(tx, id));
  if (!deleted) throw new AppError("NOT_FOUND", "No such memory.");
  return { id, deleted: true };
}

/**
 * Extraction for a session that just ended. Must be called after the ending committed: the model
 * call can take seconds and no transaction may stay open across it. Without an AI runtime in the
 * context (operator scripts, some tests) there is nothing to extract with, and that is not an error.
 */
export async function extractSessionMemories(
  scope: UserScope,
  ai: Pick<AiRuntime, "provider" | "log"> | undefined,
  meta: RequestMeta,
  session: { id: string; characterId: string },
): Promise<ExtractMemoriesResult | null> {
  if (!ai) return null;
  // Extraction is a model call the person's ending caused: counted, and skipped past a limit (the
  // session has ended either way; nothing is remembered from it).
  if (!(await mayMakeSideCall(scope))) return null;
  return extractMemories({
    provider: ai.provider,
    log: ai.log,
    run: (work) => scope.run(work),
    userId: scope.userId,
    characterId: session.characterId,
    sessionId: session.id,
    call: { ip: meta.ip, dataSource: "web", requestId: meta.requestId },
  });
}

/**
 * Has the character remember an ended session: a durable job when the server has a queue (one per
 * session, so a retried end asks once; the request waits a while for it), else right here.
 */
export async function rememberSession(
  scope: UserScope,
  ai: AiRuntime | undefined,
  meta: RequestMeta,
  session: { id: string; characterId: string },
): Promise<void> {
  if (ai?.jobs) {
    const id = await enqueueMemories(ai.jobs, {
      userId: scope.userId,
      sessionId: session.id,
      characterId: session.characterId,
      requestId: meta.requestId,
      ip: meta.ip,
    });
    // As before it was a job, ending answers once the memories are kept (the character page shows
    // them next); a slow model only delays the answer so long, and the job finishes regardless.
    if (id) await waitForSessionJob(ai.jobs, id, MEMORIES_WAIT_MS).catch(() => undefined);
    return;
  }
  await extractSessionMemories(scope, ai, meta, session);
}
