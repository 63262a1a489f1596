// Screenshots (docs/decisions/0007): the uploads rows (one per person and image content, so the
// same picture is stored once), a session's screenshot and its OCR result until the person confirms
// it, and the confirmed lines as messages. Every function takes a scoped transaction (RLS applies).
import { type $Enums, Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";

export interface UploadRow {
  id: string;
  user_id: string;
  key: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  created_at: Date;
}

export interface NewUpload {
  userId: string;
  key: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
}

const UPLOAD_COLUMNS = Prisma.sql`u.id, u.user_id, u.key, u.mime, u.bytes, u.width, u.height, u.sha256, u.created_at`;

/** The person's upload of this content, made unless they uploaded the same image before. */
export async function insertUploadIfAbsent(
  tx: ScopedTx,
  upload: NewUpload,
): Promise<{ created: boolean; row: UploadRow }> {
  const inserted = await tx.$queryRaw<UploadRow[]>`
    INSERT INTO uploads AS u (user_id, key, mime, bytes, width, height, sha256)
    VALUES (${upload.userId}, ${upload.key}, ${upload.mime}, ${upload.bytes}, ${upload.width}, ${upload.height}, ${upload.sha256})
    ON CONFLICT (user_id, sha256) DO NOTHING
    RETURNING ${UPLOAD_COLUMNS}`;
  if (inserted[0]) return { created: true, row: inserted[0] };
  const existing = await tx.$queryRaw<UploadRow[]>`
    SELECT ${UPLOAD_COLUMNS} FROM uploads u WHERE u.user_id = ${upload.userId} AND u.sha256 = ${upload.sha256}`;
  if (!existing[0]) throw new Error("an upload that conflicted on (user_id, sha256) is not visible");
  return { created: false, row: existing[0] };
}

export async function findUploadBySha(tx: ScopedTx, userId: string, sha256: string): Promise<UploadRow | null> {
  const rows = await tx.$queryRaw<
    UploadRow[]
  >`SELECT ${UPLOAD_COLUMNS} FROM uploads u WHERE u.user_id = ${userId} AND u.sha256 = ${sha256}`;
  return rows[0] ?? null;
}

export async function countUploads(tx: ScopedTx, userId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM uploads WHERE user_id = ${userId}`;
  return Number(rows[0]?.count ?? 0);
}

/** A session's screenshot side: what the upload flow and the OCR procedures need to decide. */
export interface SessionScreenshotRow {
  id: string;
  user_id: string;
  type: $Enums.SessionType;
  status: $Enums.SessionStatus;
  screenshot_key: string | null;
  ocr_result: unknown;
  error_reason: string | null;
  deleted_at: Date | null;
  /** Of the stored image, from its uploads row (null when there is none). */
  mime: string | null;
  width: number | null;
  height: number | null;
}

/** The session with its screenshot's upload; under an admin scope any person's, else only one's own. */
export async function findSessionScreenshot(tx: ScopedTx, sessionId: string): Promise<SessionScreenshotRow | null> {
  const rows = await tx.$queryRaw<SessionScreenshotRow[]>`
    SELECT s.id, s.user_id, s.type, s.status::text AS status, s.screenshot_key, s.ocr_result, s.error_reason, s.deleted_at,
           u.mime, u.width, u.height
      FROM sessions s
      LEFT JOIN uploads u ON u.user_id = s.user_id AND u.key = s.screenshot_key
     WHERE s.id = ${sessionId}::uuid`;
  return rows[0] ?? null;
}

/**
 * Attaches a stored screenshot and moves the session on to ANALYSIS_IN_PROGRESS, only from
 * `expectStatus`; a previous OCR result and error reason go. False when the status had changed.
 */
export async function attachScreenshot(
  tx: ScopedTx,
  sessionId: string,
  key: string,
  expectStatus: string,
): Promise<boolean> {
  const updated = await tx.$executeRaw`
    UPDATE sessions SET screenshot_key = ${key}, ocr_result = NULL, error_reason = NULL,
           status = 'ANALYSIS_IN_PROGRESS'::"SessionStatus", last_activity = now(), updated_at = now()
     WHERE id = ${sessionId}::uuid AND deleted_at IS NULL AND status = ${expectStatus}::"SessionStatus"`;
  return updated > 0;
}

/** Keeps what OCR read and moves ANALYSIS_IN_PROGRESS to VERIFYING_OCR; false if the session moved on. */
export async function storeOcrResult(tx: ScopedTx, sessionId: string, lines: unknown): Promise<boolean> {
  const updated = await tx.$executeRaw`
    UPDATE sessions SET ocr_result = ${JSON.stringify(lines)}::jsonb, status = 'VERIFYING_OCR'::"SessionStatus",
           error_reason = NULL, updated_at = now()
     WHERE id = ${sessionId}::uuid AND status = 'ANALYSIS_IN_PROGRESS'::"SessionStatus"`;
  return updated > 0;
}

/** Drops the session's screenshot (a failed read keeps nothing half-written). */
export async function detachScreenshot(tx: ScopedTx, sessionId: string): Promise<void> {
  await tx.$executeRaw`UPDATE sessions SET screenshot_key = NULL, ocr_result = NULL, updated_at = now() WHERE id = ${sessionId}::uuid`;
}

/** Whether any session (of this person: RLS) other than `exceptSessionId` still shows the image. */
export async function isScreenshotInUse(tx: ScopedTx, key: string, exceptSessionId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ used: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM sessions WHERE screenshot_key = ${key} AND id <> ${exceptSessionId}::uuid) AS used`;
  return rows[0]?.used ?? false;
}

export async function deleteUploadByKey(tx: ScopedTx, userId: string, key: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM uploads WHERE user_id = ${userId} AND key = ${key}`;
}

/**
 * Claims the OCR result for confirmation: clears it, only while the session is VERIFYING_OCR and
 * still holds one. Exactly one of two concurrent confirmations gets true.
 */
export async function takeOcrResult(tx: ScopedTx, sessionId: string): Promise<boolean> {
  const updated = await tx.$executeRaw`
    UPDATE sessions SET ocr_result = NULL, updated_at = now(), last_activity = now()
     WHERE id = ${sessionId}::uuid AND deleted_at IS NULL AND status = 'VERIFYING_OCR'::"SessionStatus" AND ocr_result IS NOT NULL`;
  return updated > 0;
}

/**
 * The confirmed lines as messages, in order: a millisecond apart and ending now, so anything the
 * analysis adds afterwards sorts after them.
 */
export async function insertConfirmedMessages(
  tx: ScopedTx,
  userId: string,
  sessionId: string,
  lines: { id: string; text: string; author: Exclude<$Enums.MessageAuthor, "AI"> }[],
): Promise<void> {
  for (const [index, line] of lines.entries()) {
    const before = lines.length - 1 - index;
    await tx.$executeRaw`
      INSERT INTO messages (id, session_id, user_id, text, author, "timestamp", updated_at)
      VALUES (${line.id}::uuid, ${sessionId}::uuid, ${userId}, ${line.text}, ${line.author}::"MessageAuthor",
              now() - make_interval(secs => ${before} / 1000.0), now())`;
  }
}
