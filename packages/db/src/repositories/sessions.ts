// Sessions (docs/decisions/0007): idempotent creation with a client-made id (docs/decisions/0002), keyset-paginated
// lists, renames, pins, status moves, soft delete, restore and purge. Every function takes a
// scoped transaction, so row-level security decides whose rows it can see.
import { type $Enums, Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx, SqlReader, SqlTx } from "../scoped.ts";

/** Column list and row type shared by every query that returns a session. */
const SESSION_COLUMNS = Prisma.sql`
  s.id, s.type, s.status, s.name, s.character_id, s.engagement_id, s.episode_template_id,
  (s.screenshot_key IS NOT NULL) AS has_screenshot, s.error_reason, s.created_at, s.updated_at,
  s.last_activity, s.ended_at, s.deleted_at, s.is_active, s.is_pinned`;

export interface SessionRow {
  id: string;
  type: $Enums.SessionType;
  status: $Enums.SessionStatus;
  name: string | null;
  character_id: string | null;
  engagement_id: string | null;
  episode_template_id: string | null;
  has_screenshot: boolean;
  error_reason: string | null;
  created_at: Date;
  updated_at: Date;
  last_activity: Date;
  ended_at: Date | null;
  deleted_at: Date | null;
  is_active: boolean;
  is_pinned: boolean;
}

export interface NewSession {
  id: string;
  userId: string;
  type: $Enums.SessionType;
  name: string | null;
  characterId: string | null;
  episodeTemplateId: string | null;
  engagementId: string | null;
}

/**
 * Inserts the session unless its id exists. Returns the row and whether this call created it; when
 * the id exists, the row if this user can see it (RLS), or null when it is someone else's.
 */
export async function insertSessionIfAbsent(
  tx: SqlTx,
  session: NewSession,
): Promise<{ created: true; row: SessionRow } | { created: false; row: SessionRow | null }> {
  const inserted = await tx.$queryRaw<SessionRow[]>`
    INSERT INTO sessions AS s (id, user_id, type, name, character_id, episode_template_id, engagement_id, updated_at)
    VALUES (${session.id}::uuid, ${session.userId}, ${session.type}::"SessionType", ${session.name},
            ${session.characterId}::uuid, ${session.episodeTemplateId}::uuid, ${session.engagementId}::uuid, now())
    ON CONFLICT (id) DO NOTHING
    RETURNING ${SESSION_COLUMNS}`;
  if (inserted[0]) return { created: true, row: inserted[0] };
  return { created: false, row: await findSession(tx, session.id, { includeDeleted: true }) };
}

export async function findSession(
  tx: SqlReader,
  id: string,
  options: { includeDeleted?: boolean } = {},
): Promise<SessionRow | null> {
  const rows = await tx.$queryRaw<SessionRow[]>`
    SELECT ${SESSION_COLUMNS} FROM sessions s
     WHERE s.id = ${id}::uuid ${options.includeDeleted ? Prisma.empty : Prisma.sql`AND s.deleted_at IS NULL`}`;
  return rows[0] ?? null;
}

export interface SessionListQuery {
  userId: string;
  orderBy: "last_activity" | "created_at";
  status?: $Enums.SessionStatus | undefined;
  type?: $Enums.SessionType | undefined;
  pinned?: boolean | undefined;
  pinnedFirst: boolean;
  trash: boolean;
  query?: string | undefined;
  /** The sort key of the last row already seen: [isPinned?, time, id]. */
  after?: { isPinned: boolean | null; time: Date; id: string } | undefined;
  limit: number;
}

/**
 * One keyset page, newest first. The row comparison `(key, id) < (...)` lets PostgreSQL start the
 * index scan at the cursor, so a page deep in the list costs what the first page costs.
 */
export async function listSessions(tx: SqlReader, q: SessionListQuery): Promise<SessionRow[]> {
  const time = q.orderBy === "created_at" ? Prisma.sql`s.created_at` : Prisma.sql`s.last_activity`;
  const filters: Prisma.Sql[] = [
    Prisma.sql`s.user_id = ${q.userId}`,
    q.trash ? Prisma.sql`s.deleted_at IS NOT NULL` : Prisma.sql`s.deleted_at IS NULL`,
  ];
  if (q.status) filters.push(Prisma.sql`s.status = ${q.status}::"SessionStatus"`);
  if (q.type) filters.push(Prisma.sql`s.type = ${q.type}::"SessionType"`);
  if (q.pinned !== undefined) filters.push(Prisma.sql`s.is_pinned = ${q.pinned}`);
  if (q.query) filters.push(Prisma.sql`s.name ILIKE ${`%${escapeLike(q.query)}%`}`);
  if (q.after) {
    filters.push(
      q.pinnedFirst
        ? Prisma.sql`(s.is_pinned, ${time}, s.id) < (${q.after.isPinned ?? false}, ${q.after.time}, ${q.after.id}::uuid)`
        : Prisma.sql`(${time}, s.id) < (${q.after.time}, ${q.after.id}::uuid)`,
    );
  }
  const order = q.pinnedFirst
    ? Prisma.sql`s.is_pinned DESC, ${time} DESC, s.id DESC`
    : Prisma.sql`${time} DESC, s.id DESC`;
  return tx.$queryRaw<SessionRow[]>`
    SELECT ${SESSION_COLUMNS} FROM sessions s
     WHERE ${Prisma.join(filters, " AND ")}
     ORDER BY ${order}
     LIMIT ${q.limit}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Applies `changes` to a live session (or, with `includeDeleted`, any of the user's); null if none. */
export async function updateSession(
  tx: SqlTx,
  id: string,
  changes: Prisma.Sql,
  options: { includeDeleted?: boolean; onlyDeleted?: boolean; expectStatus?: $Enums.SessionStatus } = {},
): Promise<SessionRow | null> {
  const conditions = [Prisma.sql`s.id = ${id}::uuid`];
  if (options.onlyDeleted) conditions.push(Prisma.sql`s.deleted_at IS NOT NULL`);
  else if (!options.includeDeleted) conditions.push(Prisma.sql`s.deleted_at IS NULL`);
  if (options.expectStatus) conditions.push(Prisma.sql`s.status = ${options.expectStatus}::"SessionStatus"`);
  const rows = await tx.$queryRaw<SessionRow[]>`
    UPDATE sessions AS s SET ${changes}, updated_at = now()
     WHERE ${Prisma.join(conditions, " AND ")}
     RETURNING ${SESSION_COLUMNS}`;
  return rows[0] ?? null;
}

export const sessionChanges = {
  rename: (name: string | null) => Prisma.sql`name = ${name}`,
  setPinned: (pinned: boolean) => Prisma.sql`is_pinned = ${pinned}, last_activity = now()`,
  /** Moving to COMPLETE counts as activity (docs/decisions/0007). */
  status: (status: $Enums.SessionStatus) =>
    status === "COMPLETE"
      ? Prisma.sql`status = ${status}::"SessionStatus", last_activity = now()`
      : Prisma.sql`status = ${status}::"SessionStatus"`,
  softDelete: () => Prisma.sql`deleted_at = now(), is_active = false`,
  restore: () => Prisma.sql`deleted_at = NULL, is_active = true`,
};

/** Records activity on a live session (a message, a reaction). */
export async function touchSession(tx: SqlTx, id: string): Promise<void> {
  await tx.$executeRaw`UPDATE sessions SET last_activity = now() WHERE id = ${id}::uuid AND deleted_at IS NULL`;
}

/** Hard delete of a session in the trash; its messages and their reactions go by cascade. */
export async function purgeSession(tx: SqlTx, id: string): Promise<boolean> {
  const deleted = await tx.$executeRaw`DELETE FROM sessions WHERE id = ${id}::uuid AND deleted_at IS NOT NULL`;
  return deleted > 0;
}

export interface CharacterChoice {
  characterId: string;
  episodeTemplateId: string | null;
}

/**
 * Checks that the character (and template) exist, are active and belong together; infers the
 * character from the template. Returns null and the field at fault otherwise.
 */
export async function resolveCharacterChoice(
  tx: ScopedTx,
  characterId: string | null,
  episodeTemplateId: string | null,
): Promise<{ ok: true; choice: CharacterChoice } | { ok: false; field: "characterId" | "episodeTemplateId" }> {
  let character = characterId;
  if (episodeTemplateId) {
    const template = await tx.episodeTemplate.findFirst({
      where: { id: episodeTemplateId, isActive: true, character: { isActive: true } },
      select: { characterId: true },
    });
    if (!template || (character && template.characterId !== character))
      return { ok: false, field: "episodeTemplateId" };
    character = template.characterId;
  }
  if (!character) return { ok: false, field: "characterId" };
  const found = await tx.character.findFirst({ where: { id: character, isActive: true }, select: { id: true } });
  if (!found) return { ok: false, field: "characterId" };
  return { ok: true, choice: { characterId: character, episodeTemplateId } };
}

/** The person's engagement with a character, made on first contact (docs/decisions/0003). */
export async function ensureEngagement(tx: SqlTx, userId: string, characterId: string): Promise<string> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO engagements (user_id, character_id, updated_at) VALUES (${userId}, ${characterId}::uuid, now())
    ON CONFLICT (user_id, character_id) DO UPDATE SET updated_at = engagements.updated_at
    RETURNING id`;
  const id = rows[0]?.id;
  if (!id) throw new Error("engagement upsert returned no row");
  return id;
}
