// A person's sessions with a character and their engagement stats (docs/decisions/0003): starting, continuing,
// switching and ending sessions, the history with one character, and the engagement rows the
// database triggers keep (read as stored, never recounted here).
import type { TEngagementDto, TEngagementWithCharacterDto } from "@lockstep/contracts";
import { toEpochMs, toEpochMsOrNull } from "@lockstep/contracts";
import { Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";
import { findSession, type SessionRow } from "./sessions.ts";

// The same columns as sessions.ts's SESSION_COLUMNS (not exported there), so toSessionDto maps
// these rows too; the session router's tests fail on any drift, since outputs are validated.
const SESSION_COLUMNS = Prisma.sql`
  s.id, s.type, s.status, s.name, s.character_id, s.engagement_id, s.episode_template_id,
  (s.screenshot_key IS NOT NULL) AS has_screenshot, s.error_reason, s.created_at, s.updated_at,
  s.last_activity, s.ended_at, s.deleted_at, s.is_active, s.is_pinned`;

/**
 * Serialises starts for one (person, character) until the transaction ends, so two tabs starting
 * at once cannot both see "no active session" and both create one. Advisory locks cost nothing
 * when uncontended and need no row to exist yet (the engagement may not).
 */
export async function lockPersonCharacter(tx: ScopedTx, userId: string, characterId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('lockstep.session-start'), hashtext(${`${userId}:${characterId}`}))`;
}

/** Live (active, not ended, not deleted) sessions with a character, most recently used first. */
export async function findLiveCharacterSessions(
  tx: ScopedTx,
  userId: string,
  characterId: string,
): Promise<SessionRow[]> {
  return tx.$queryRaw<SessionRow[]>`
    SELECT ${SESSION_COLUMNS} FROM sessions s
     WHERE s.user_id = ${userId} AND s.character_id = ${characterId}::uuid
       AND s.is_active AND s.ended_at IS NULL AND s.deleted_at IS NULL
     ORDER BY s.last_activity DESC, s.id DESC`;
}

/** Makes every other active session with the character inactive; returns how many changed. */
/**
 * What ending changes: ended_at (the trigger counts it once), no longer active, and COMPLETE, which
 * means exactly this (contracts' SESSION_END_EXPLANATION). A session busy with a step of its own
 * (uploading, analysing) keeps that status; the step returns it to COMPLETE or leaves it for the person.
 */
const ENDING = Prisma.sql`ended_at = now(), is_active = false, updated_at = now(), last_activity = now(),
  status = CASE WHEN s.status IN ('PENDING_USER_INPUT', 'PREVIEWING_SCREENSHOT', 'VERIFYING_OCR', 'ERROR')
                THEN 'COMPLETE'::"SessionStatus" ELSE s.status END`;

/**
 * Ends every open session with the character but `keepId` (starting another one: one active session
 * per person and character). Returns the ids it ended, for the memories each one leaves.
 */
export async function endOtherCharacterSessions(
  tx: ScopedTx,
  userId: string,
  characterId: string,
  keepId: string,
): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE sessions AS s SET ${ENDING}
     WHERE s.user_id = ${userId} AND s.character_id = ${characterId}::uuid AND s.id <> ${keepId}::uuid
       AND s.ended_at IS NULL AND s.deleted_at IS NULL
     RETURNING s.id`;
  return rows.map((row) => row.id);
}

export async function deactivateOtherCharacterSessions(
  tx: ScopedTx,
  userId: string,
  characterId: string,
  keepId: string,
): Promise<number> {
  return tx.$executeRaw`
    UPDATE sessions SET is_active = false, updated_at = now()
     WHERE user_id = ${userId} AND character_id = ${characterId}::uuid AND is_active AND id <> ${keepId}::uuid`;
}

/**
 * Links a session to the engagement when it lost its link (the engagement was deleted, which sets
 * engagement_id to NULL); without it, ending the session would count on no engagement at all.
 */
export async function attachEngagement(
  tx: ScopedTx,
  sessionId: string,
  engagementId: string,
): Promise<SessionRow | null> {
  const rows = await tx.$queryRaw<SessionRow[]>`
    UPDATE sessions AS s SET engagement_id = ${engagementId}::uuid, updated_at = now()
     WHERE s.id = ${sessionId}::uuid AND s.engagement_id IS NULL
     RETURNING ${SESSION_COLUMNS}`;
  return rows[0] ?? null;
}

/**
 * Ends a live session once: ended_at is set a single time (the trigger counts the session on its
 * engagement at that moment), and the session stops being the active one. Ending an ended session
 * changes nothing. null when there is no such live session for this person.
 */
export async function endSessionOnce(tx: ScopedTx, id: string): Promise<{ ended: boolean; row: SessionRow } | null> {
  const rows = await tx.$queryRaw<SessionRow[]>`
    UPDATE sessions AS s SET ${ENDING}
     WHERE s.id = ${id}::uuid AND s.deleted_at IS NULL AND s.ended_at IS NULL
     RETURNING ${SESSION_COLUMNS}`;
  if (rows[0]) return { ended: true, row: rows[0] };
  const existing = await findSession(tx, id);
  return existing ? { ended: false, row: existing } : null;
}

export interface CharacterSessionsQuery {
  userId: string;
  characterId: string;
  /** The sort key of the last row already seen. */
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** The person's sessions with a character, newest first, ended ones included, deleted ones not. */
export async function listCharacterSessions(tx: ScopedTx, q: CharacterSessionsQuery): Promise<SessionRow[]> {
  const after = q.after
    ? Prisma.sql`AND (s.created_at, s.id) < (${q.after.createdAt}, ${q.after.id}::uuid)`
    : Prisma.empty;
  return tx.$queryRaw<SessionRow[]>`
    SELECT ${SESSION_COLUMNS} FROM sessions s
     WHERE s.user_id = ${q.userId} AND s.character_id = ${q.characterId}::uuid AND s.deleted_at IS NULL ${after}
     ORDER BY s.created_at DESC, s.id DESC
     LIMIT ${q.limit}`;
}

// ------------------------------------------------------------------ engagements

const engagementSelect = {
  id: true,
  userId: true,
  characterId: true,
  totalSessions: true,
  totalMessages: true,
  firstMetAt: true,
  lastInteractionAt: true,
  engagementNotes: true,
} satisfies Prisma.EngagementSelect;
type EngagementRow = Prisma.EngagementGetPayload<{ select: typeof engagementSelect }>;

const engagementWithCharacterSelect = {
  ...engagementSelect,
  character: { select: { id: true, slug: true, name: true, avatar: true, isActive: true } },
} satisfies Prisma.EngagementSelect;
type EngagementWithCharacterRow = Prisma.EngagementGetPayload<{ select: typeof engagementWithCharacterSelect }>;

export function toEngagementDto(row: EngagementRow): TEngagementDto {
  return {
    id: row.id,
    userId: row.userId,
    characterId: row.characterId,
    totalSessions: row.totalSessions,
    totalMessages: row.totalMessages,
    firstMetAt: toEpochMs(row.firstMetAt),
    lastInteractionAt: toEpochMsOrNull(row.lastInteractionAt),
    engagementNotes: row.engagementNotes,
  };
}

function toEngagementWithCharacterDto(row: EngagementWithCharacterRow): TEngagementWithCharacterDto {
  const { character, ...engagement } = row;
  return { ...toEngagementDto(engagement), character };
}

export async function findEngagementById(tx: ScopedTx, id: string): Promise<TEngagementDto | null> {
  const row = await tx.engagement.findUnique({ where: { id }, select: engagementSelect });
  return row ? toEngagementDto(row) : null;
}

export async function findEngagement(
  tx: ScopedTx,
  userId: string,
  characterId: string,
): Promise<TEngagementWithCharacterDto | null> {
  const row = await tx.engagement.findUnique({
    where: { userId_characterId: { userId, characterId } },
    select: engagementWithCharacterSelect,
  });
  return row ? toEngagementWithCharacterDto(row) : null;
}

/** Every engagement of the person (one per character they met), most recent contact first. */
export async function listEngagements(tx: ScopedTx, userId: string): Promise<TEngagementWithCharacterDto[]> {
  const rows = await tx.engagement.findMany({
    where: { userId },
    orderBy: [{ lastInteractionAt: { sort: "desc", nulls: "last" } }, { firstMetAt: "desc" }, { id: "asc" }],
    select: engagementWithCharacterSelect,
  });
  return rows.map(toEngagementWithCharacterDto);
}
