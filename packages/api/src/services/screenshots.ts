// Screenshot sessions (docs/decisions/0007): checking that a session may take an upload, taking
// the image (validated by content, re-encoded, stored once per person and content), reading it in
// the background (OCR pool, logged as operation ocr), handing the result out for checking, and
// turning the confirmed lines into messages before the analysis runs. Failures move the session to
// ERROR with a reason the person can act on, and keep nothing half-written.
import { randomUUID } from "node:crypto";
import {
  type AiRuntime,
  announce,
  crossCheck,
  ImageError,
  type ImageRefusal,
  type NormalisedImage,
  normaliseScreenshot,
  readScreenshot,
} from "@lockstep/ai";
import {
  canTransition,
  MessageAuthor,
  SCREENSHOT_UPLOAD_STATUSES,
  SessionStatus,
  type TSessionConfirmOcrInput,
  type TSessionDto,
  type TSessionOcrResult,
  type TSessionStatus,
  type TSessionStatusDb,
  ZOcrResultSchema,
} from "@lockstep/contracts";
import {
  attachScreenshot,
  type Database,
  deleteUploadByKey,
  detachScreenshot,
  findSession,
  findSessionScreenshot,
  findUploadBySha,
  insertConfirmedMessages,
  insertUploadIfAbsent,
  isScreenshotInUse,
  type ScopedTx,
  type SessionScreenshotRow,
  statusMove,
  storeOcrResult,
  takeOcrResult,
  toSessionDto,
  updateSession,
} from "@lockstep/db";
import type { RequestMeta, SessionUser } from "../context.ts";
import { AppError } from "../errors.ts";
import { adminScope, type UserScope, userScope } from "../scopes.ts";
import type { BlobStorage } from "../storage/types.ts";
import { enqueueOcr } from "../jobs/session-work-queue.ts";
import { backgroundTasks, callContext, requireAi, runAnalysis } from "./ai-flows.ts";
import { titleScreenshot } from "./session-titles.ts";
import { mayMakeSideCall, reserveModelCall } from "./usage.ts";

export const NO_TEXT_REASON = "No text was found in the screenshot. Upload a screenshot of the conversation.";
export const OCR_FAILED_REASON = "The screenshot could not be read. Try uploading it again.";

const notFound = () => new AppError("NOT_FOUND", "No such session.");
const wire = (status: string) => SessionStatus.toWire(status as TSessionStatusDb);

/** The app code each refusal of the image is sent with (400, 413 or 415). */
const REFUSAL_CODE: Record<ImageRefusal, "BAD_INPUT" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA"> = {
  too_large: "PAYLOAD_TOO_LARGE",
  not_an_image: "BAD_INPUT",
  unsupported_type: "UNSUPPORTED_MEDIA",
  unreadable: "BAD_INPUT",
  too_small: "BAD_INPUT",
  too_big_dimensions: "BAD_INPUT",
  blank: "BAD_INPUT",
};

async function loadOwn(tx: ScopedTx, sessionId: string): Promise<SessionScreenshotRow> {
  const row = await findSessionScreenshot(tx, sessionId);
  if (!row || row.deleted_at) throw notFound();
  return row;
}

function assertUploadable(row: SessionScreenshotRow): TSessionStatus {
  if (row.type !== "SCREENSHOT")
    throw new AppError("BAD_INPUT", "This is a text session; only screenshot sessions take a screenshot.");
  const status = wire(row.status);
  if (!(SCREENSHOT_UPLOAD_STATUSES as readonly TSessionStatus[]).includes(status)) {
    throw new AppError(
      "CONFLICT",
      `The session is ${status}; a screenshot can be uploaded only while it is ${SCREENSHOT_UPLOAD_STATUSES.join(", ")}.`,
      { status },
    );
  }
  return status;
}

/** Refuses early (before the body is read) an upload to a missing, foreign, text or busy session. */
export async function checkScreenshotUpload(
  scope: UserScope,
  ai: AiRuntime | undefined,
  sessionId: string,
): Promise<void> {
  if (!ai?.ocr) throw new AppError("UPSTREAM_UNAVAILABLE", "Screenshots cannot be read on this server just now.");
  const row = await scope.run((tx) => loadOwn(tx, sessionId));
  assertUploadable(row);
}

/**
 * Records a refused upload: the session moves to ERROR with `reason` (or keeps ERROR with the new
 * reason), from any status an upload is legal in, and the live stream says so.
 */
export async function failScreenshotUpload(
  scope: UserScope,
  ai: AiRuntime | undefined,
  sessionId: string,
  reason: string,
): Promise<TSessionDto | null> {
  const row = await scope.run(async (tx) => {
    const current = await findSessionScreenshot(tx, sessionId);
    if (!current || current.deleted_at || current.type !== "SCREENSHOT") return null;
    const status = wire(current.status);
    if (
      status !== "error" &&
      status !== "uploading" &&
      !(SCREENSHOT_UPLOAD_STATUSES as readonly TSessionStatus[]).includes(status)
    )
      return null;
    return updateSession(tx, sessionId, statusMove("ERROR", reason), { expectStatus: current.status });
  });
  if (!row) return null;
  if (ai) await announce(ai.streams, sessionId, { kind: "status", status: "error", errorReason: reason });
  return toSessionDto(row);
}

/** Moves through the contract's transitions to UPLOADING, refusing any move it does not allow. */
async function moveToUploading(tx: ScopedTx, sessionId: string, from: TSessionStatus): Promise<void> {
  const path: TSessionStatus[] = from === "pending_user_input" ? ["previewing_screenshot", "uploading"] : ["uploading"];
  let current = from;
  for (const next of path) {
    if (!canTransition(current, next))
      throw new AppError("ILLEGAL_TRANSITION", `A session cannot move from ${current} to ${next}.`, {
        from: current,
        to: next,
      });
    const moved = await updateSession(tx, sessionId, statusMove(SessionStatus.toDb(next), null), {
      expectStatus: SessionStatus.toDb(current),
    });
    if (!moved) throw new AppError("CONFLICT", "The session changed meanwhile; reload it and try again.");
    current = next;
  }
}

export interface UploadDeps {
  ai: AiRuntime | undefined;
  storage: BlobStorage;
}

export function screenshotKey(userId: string, image: Pick<NormalisedImage, "sha256" | "extension">): string {
  return `screenshots/${userId.replace(/[^\w-]/g, "_")}/${image.sha256}.${image.extension}`;
}

/**
 * Takes an uploaded file for a session: validated and re-encoded (refused: the session goes to
 * ERROR, nothing is stored), stored once per person and content, attached to the session, which
 * is then ANALYSIS_IN_PROGRESS while OCR runs in the background.
 */
export async function uploadScreenshot(
  scope: UserScope,
  deps: UploadDeps,
  meta: RequestMeta,
  sessionId: string,
  file: Buffer,
): Promise<TSessionDto> {
  const ai = deps.ai;
  if (!ai?.ocr) throw new AppError("UPSTREAM_UNAVAILABLE", "Screenshots cannot be read on this server just now.");
  const before = await scope.run((tx) => loadOwn(tx, sessionId));
  const from = assertUploadable(before);

  let image: NormalisedImage;
  try {
    image = await normaliseScreenshot(file);
  } catch (error) {
    if (!(error instanceof ImageError)) throw error;
    await failScreenshotUpload(scope, ai, sessionId, error.message);
    throw new AppError(REFUSAL_CODE[error.reason], error.message, { reason: error.reason });
  }

  await scope.run(async (tx) => {
    // Reading it is a model call the person started: counted here, and refused past a limit before
    // the session moves (the refusal rolls the move back, so the session stays as it was).
    await reserveModelCall(tx, scope);
    await moveToUploading(tx, sessionId, from);
  });
  const key = screenshotKey(scope.userId, image);
  let wrote = false;
  try {
    const known = await scope.run((tx) => findUploadBySha(tx, scope.userId, image.sha256));
    const storedKey = known?.key ?? key;
    // The same picture again: its bytes are already stored (unless the store lost them).
    if (!known || !(await deps.storage.exists(storedKey))) {
      await deps.storage.put(storedKey, image.data, image.mime);
      wrote = !known;
    }
    await scope.run(async (tx) => {
      await insertUploadIfAbsent(tx, {
        userId: scope.userId,
        key: storedKey,
        mime: image.mime,
        bytes: image.data.length,
        width: image.width,
        height: image.height,
        sha256: image.sha256,
      });
      if (!(await attachScreenshot(tx, sessionId, storedKey, "UPLOADING"))) {
        throw new AppError("CONFLICT", "The session changed meanwhile; reload it and try again.");
      }
    });
    await announce(ai.streams, sessionId, { kind: "status", status: "analysis_in_progress", errorReason: null });
    const file = {
      data: image.data,
      key: storedKey,
      mime: image.mime,
      bytes: image.data.length,
      width: image.width,
      height: image.height,
      sha256: image.sha256,
    };
    if (ai.jobs) {
      // Read by a worker (OCR is heavy; web processes stay responsive), from the stored copy.
      await enqueueOcr(ai.jobs, {
        userId: scope.userId,
        sessionId,
        requestId: meta.requestId,
        ip: meta.ip,
        file: {
          key: file.key,
          mime: file.mime,
          bytes: file.bytes,
          width: file.width,
          height: file.height,
          sha256: file.sha256,
        },
      });
    } else backgroundTasks.run(() => readInBackground(scope, deps, meta, sessionId, file));
  } catch (error) {
    if (wrote) await deps.storage.delete(key).catch(() => undefined);
    await failScreenshotUpload(scope, ai, sessionId, "The screenshot could not be stored. Try again.");
    throw error;
  }
  const row = await scope.run((tx) => findSession(tx, sessionId));
  if (!row) throw notFound();
  return toSessionDto(row);
}

/** The OCR job of an upload: reads the stored copy, then as readInBackground. */
export async function readStoredScreenshot(
  scope: UserScope,
  deps: UploadDeps,
  meta: RequestMeta,
  sessionId: string,
  stored: Omit<Parameters<typeof readScreenshot>[0]["file"], "data">,
): Promise<void> {
  const data = await deps.storage.get(stored.key);
  // A missing file reads as a failed read: the session moves to error with its reason.
  await readInBackground(scope, deps, meta, sessionId, { ...stored, data: data ?? Buffer.alloc(0) });
}

/** OCR after the upload answered: VERIFYING_OCR with the result, or ERROR with nothing kept. */
async function readInBackground(
  scope: UserScope,
  deps: UploadDeps,
  meta: RequestMeta,
  sessionId: string,
  file: Parameters<typeof readScreenshot>[0]["file"],
): Promise<void> {
  const ai = requireAi(deps.ai);
  let reason = OCR_FAILED_REASON;
  try {
    if (!ai.ocr) throw new Error("no OCR engine");
    const context = callContext(scope, meta, sessionId);
    // With a vision model configured it reads the picture at the same time; where the two
    // disagree the line is flagged. Its failure (logged) leaves the OCR reading as it is.
    // The vision reading is a call of its own, made only while the person's limits allow it.
    const vision = ai.vision && (await mayMakeSideCall(scope)) ? ai.vision : null;
    const [reading, turns] = await Promise.all([
      readScreenshot({ engine: ai.ocr, log: ai.log, context, file }),
      vision ? vision.read({ file, log: ai.log, context }).catch(() => null) : Promise.resolve(null),
    ]);
    if (reading.lines.length) {
      const lines = ZOcrResultSchema.parse(turns ? crossCheck(reading.lines, turns) : reading.lines);
      if (await scope.run((tx) => storeOcrResult(tx, sessionId, lines))) {
        await announce(ai.streams, sessionId, { kind: "status", status: "verifying_ocr", errorReason: null });
      }
      return;
    }
    reason = NO_TEXT_REASON;
  } catch {
    // The interaction log has the error; the person gets the reason below.
  }
  await scope.run(async (tx) => {
    const moved = await updateSession(tx, sessionId, statusMove("ERROR", reason), {
      expectStatus: "ANALYSIS_IN_PROGRESS",
    });
    if (!moved) return;
    await detachScreenshot(tx, sessionId);
    if (await isScreenshotInUse(tx, file.key, sessionId)) return;
    await deleteUploadByKey(tx, scope.userId, file.key);
    // The file goes before the transaction commits, so nobody sees the session in error while its
    // image is still stored. Should the commit then fail, the uploads row survives and the next
    // upload of the same image puts the file back under that row's key.
    await deps.storage.delete(file.key).catch(() => undefined);
  });
  await announce(ai.streams, sessionId, { kind: "status", status: "error", errorReason: reason });
}

/** The OCR result while the person checks it (VERIFYING_OCR only). */
export async function getOcrResult(scope: UserScope, sessionId: string): Promise<TSessionOcrResult> {
  const row = await scope.run((tx) => loadOwn(tx, sessionId));
  const status = wire(row.status);
  if (status !== "verifying_ocr" || row.ocr_result === null) {
    throw new AppError(
      "CONFLICT",
      `The session is ${status}; what OCR read is available only while it is verifying_ocr.`,
      { status },
    );
  }
  const lines = ZOcrResultSchema.parse(row.ocr_result);
  return {
    sessionId: row.id,
    status,
    lines,
    ...(row.width ? { imageWidth: row.width } : {}),
    ...(row.height ? { imageHeight: row.height } : {}),
  };
}

/**
 * The person's corrected lines become the session's messages, in their order, and the OCR result
 * is cleared, in one transaction that only one confirmation can win; then the analysis runs.
 */
export async function confirmOcr(
  ai: AiRuntime | undefined,
  scope: UserScope,
  meta: RequestMeta,
  input: TSessionConfirmOcrInput,
) {
  const runtime = requireAi(ai);
  await scope.run(async (tx) => {
    const row = await loadOwn(tx, input.id);
    if (row.type !== "SCREENSHOT")
      throw new AppError("BAD_INPUT", "This is a text session; it has nothing read from a screenshot.");
    if (!(await takeOcrResult(tx, input.id))) {
      const status = wire(row.status);
      throw new AppError(
        "CONFLICT",
        status === "verifying_ocr"
          ? "What was read has already been confirmed."
          : `The session is ${status}; lines can be confirmed only while it is verifying_ocr.`,
        { status },
      );
    }
    await insertConfirmedMessages(
      tx,
      scope.userId,
      input.id,
      input.lines.map((line) => ({
        id: randomUUID(),
        text: line.text,
        author: MessageAuthor.toDb(line.author) as "USER" | "CONTACT",
      })),
    );
    const read = ZOcrResultSchema.safeParse(row.ocr_result);
    await titleScreenshot(tx, input.id, read.success ? read.data : [], input.lines);
    // The analysis that follows is a model call: refused past a limit with the confirmation undone,
    // so the person can confirm again once the limit resets.
    await reserveModelCall(tx, scope);
  });
  return runAnalysis(runtime, scope, meta, input.id, runtime.sentimentOf, { reserved: true });
}

/** The stored image, for its owner or an operator (the operator's view is audited); else NOT_FOUND. */
export async function readScreenshotFile(
  db: Database,
  user: SessionUser,
  meta: RequestMeta,
  storage: BlobStorage,
  sessionId: string,
): Promise<{ data: Buffer; mime: string }> {
  const row =
    user.role === "admin"
      ? await adminScope(db, user, meta).read(
          { action: "admin.sessions.screenshot", entityType: "session", entityId: sessionId },
          (tx) => findSessionScreenshot(tx, sessionId),
        )
      : await userScope(db, user).run((tx) => findSessionScreenshot(tx, sessionId));
  if (!row?.screenshot_key || (row.deleted_at && user.role !== "admin"))
    throw new AppError("NOT_FOUND", "No screenshot for this session.");
  const data = await storage.get(row.screenshot_key);
  if (!data) throw new AppError("NOT_FOUND", "No screenshot for this session.");
  return { data, mime: row.mime ?? "application/octet-stream" };
}
