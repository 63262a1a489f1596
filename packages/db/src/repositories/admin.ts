// The operators' reads and changes beyond the log: any user's sessions and messages, restore and purge, user deletion, the data settings and the audit log list.
import {
  type TAdminAuditEntry,
  type TAdminDataSettings,
  type TAdminDataSettingsInput,
  type TAdminSession,
  type TAdminUserDetail,
  type TDeletedAccountCounts,
  type TMaskingSettings,
  type TMessageDto,
  isUuid,
  toEpochMs,
} from "@lockstep/contracts";
import type { Database } from "../connection.ts";
import { type $Enums, Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";
import { auditLogDtoSelect, toAuditLogDto } from "./audit.ts";
import { toMessageDto, toSessionDto } from "./conversation-dto.ts";
import { type MessageRow, selectMessages } from "./messages.ts";
import type { SessionRow } from "./sessions.ts";
import { AI_LOG_RETENTION_DAYS_DEFAULT } from "./ai-interactions/retention.ts";
import { countAccountFootprint, getUserDetailForAdmin } from "./users.ts";

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

// ------------------------------------------------------------------ sessions

const ADMIN_SESSION_COLUMNS = Prisma.sql`
  s.id, s.type, s.status, s.name, s.character_id, s.engagement_id, s.episode_template_id,
  (s.screenshot_key IS NOT NULL) AS has_screenshot, s.error_reason, s.created_at, s.updated_at,
  s.last_activity, s.ended_at, s.deleted_at, s.is_active, s.is_pinned,
  s.user_id, u.email AS user_email,
  (SELECT count(*) FROM messages m WHERE m.session_id = s.id)::int AS message_count`;

interface AdminSessionRow extends SessionRow {
  user_id: string;
  user_email: string;
  message_count: number;
}

function toAdminSession(row: AdminSessionRow): TAdminSession {
  return { ...toSessionDto(row), userId: row.user_id, userEmail: row.user_email, messageCount: row.message_count };
}

/** Keyset position of the sessions list: (created_at, id) of the last row of a page. */
export interface AdminSessionKey {
  createdAt: Date;
  id: string;
}

export interface AdminSessionListQuery {
  userId?: string | undefined;
  query?: string | undefined;
  status?: $Enums.SessionStatus | undefined;
  type?: $Enums.SessionType | undefined;
  includeDeleted: boolean;
  after?: AdminSessionKey | null | undefined;
  limit: number;
}

/** Any user's sessions, newest first, keyset on (created_at desc, id desc). */
export async function listSessionsForAdmin(
  tx: ScopedTx,
  q: AdminSessionListQuery,
): Promise<{ items: TAdminSession[]; next: AdminSessionKey | null }> {
  const where: Prisma.Sql[] = [Prisma.sql`true`];
  if (q.userId) where.push(Prisma.sql`s.user_id = ${q.userId}`);
  if (q.query) where.push(Prisma.sql`s.name ILIKE ${`%${escapeLike(q.query)}%`}`);
  if (q.status) where.push(Prisma.sql`s.status = ${q.status}::"SessionStatus"`);
  if (q.type) where.push(Prisma.sql`s.type = ${q.type}::"SessionType"`);
  if (!q.includeDeleted) where.push(Prisma.sql`s.deleted_at IS NULL`);
  if (q.after) where.push(Prisma.sql`(s.created_at, s.id) < (${q.after.createdAt}, ${q.after.id}::uuid)`);
  const rows = await tx.$queryRaw<AdminSessionRow[]>`
    SELECT ${ADMIN_SESSION_COLUMNS}
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE ${Prisma.join(where, " AND ")}
     ORDER BY s.created_at DESC, s.id DESC
     LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toAdminSession),
    next: rows.length > q.limit && last ? { createdAt: last.created_at, id: last.id } : null,
  };
}

/** One session of anyone, soft-deleted or not; null when absent. */
export async function getSessionForAdmin(tx: ScopedTx, id: string): Promise<TAdminSession | null> {
  if (!isUuid(id)) return null;
  const rows = await tx.$queryRaw<AdminSessionRow[]>`
    SELECT ${ADMIN_SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ${id}::uuid`;
  const row = rows[0];
  return row ? toAdminSession(row) : null;
}

/** Keyset position of a session's messages: (timestamp, id) of the last row of a page. */
export interface AdminMessageKey {
  time: Date;
  id: string;
}

/** A session's messages oldest first (deleted sessions included), keyset on (timestamp, id). */
export async function listSessionMessagesForAdmin(
  tx: ScopedTx,
  q: { sessionId: string; after?: AdminMessageKey | null | undefined; limit: number },
): Promise<{ items: TMessageDto[]; next: AdminMessageKey | null }> {
  const conditions = [Prisma.sql`m.session_id = ${q.sessionId}::uuid`];
  if (q.after) conditions.push(Prisma.sql`(m."timestamp", m.id) > (${q.after.time}, ${q.after.id}::uuid)`);
  const rows = await tx.$queryRaw<MessageRow[]>(
    selectMessages(Prisma.join(conditions, " AND "), Prisma.sql`m."timestamp" ASC, m.id ASC`, q.limit + 1, true),
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toMessageDto),
    next: rows.length > q.limit && last ? { time: last.timestamp, id: last.id } : null,
  };
}

/**
 * Brings a soft-deleted session back; a live one is returned as it is (before equals after).
 * The row is locked first, so the audited "before" is the state this change replaced.
 */
export async function restoreSessionForAdmin(
  tx: ScopedTx,
  id: string,
): Promise<{ before: TAdminSession; after: TAdminSession } | null> {
  if (!isUuid(id)) return null;
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM sessions WHERE id = ${id}::uuid FOR UPDATE`;
  if (!locked.length) return null;
  const before = await getSessionForAdmin(tx, id);
  if (!before) return null;
  if (before.deletedAt === null) return { before, after: before };
  await tx.$executeRaw`UPDATE sessions SET deleted_at = NULL, is_active = true, updated_at = now() WHERE id = ${id}::uuid`;
  const after = await getSessionForAdmin(tx, id);
  return after ? { before, after } : null;
}

/** Deletes a session for good (messages and their reactions by cascade); returns what it was. */
export async function purgeSessionForAdmin(tx: ScopedTx, id: string): Promise<{ before: TAdminSession } | null> {
  const before = await getSessionForAdmin(tx, id);
  if (!before) return null;
  const deleted = await tx.$executeRaw`DELETE FROM sessions WHERE id = ${id}::uuid`;
  return deleted === 1 ? { before } : null;
}

// ------------------------------------------------------------------ users

/**
 * Deletes an account as the person's own deletion does (their client IPs cleared from the log
 * first, then the cascades); returns the detail and counts as they were, for the audit row.
 */
export async function deleteUserForAdmin(
  tx: ScopedTx,
  id: string,
): Promise<{ before: TAdminUserDetail; counts: TDeletedAccountCounts } | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${id} FOR UPDATE`;
  if (!locked.length) return null;
  const before = await getUserDetailForAdmin(tx, id);
  const counts = await countAccountFootprint(tx, id);
  if (!before || !counts) return null;
  // As deleteUserAccount does, in SQL that touches only the column lockstep_admin may update.
  await tx.$executeRaw`UPDATE ai_interactions SET ip_address = NULL WHERE user_id = ${id}`;
  const { count } = await tx.user.deleteMany({ where: { id } });
  return count === 1 ? { before, counts } : null;
}

// ------------------------------------------------------------------ data settings

export const DEFAULT_MASKING_SETTINGS: TMaskingSettings = {
  enabled: true,
  email: true,
  phone: true,
  card: true,
  secret: true,
  dataUrl: true,
};

/** A stored masking object, read leniently: a category missing from it keeps its default (on). */
function maskingFrom(value: unknown): TMaskingSettings {
  const stored =
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const out = { ...DEFAULT_MASKING_SETTINGS };
  for (const key of Object.keys(out) as (keyof TMaskingSettings)[]) {
    if (typeof stored[key] === "boolean") out[key] = stored[key];
  }
  return out;
}

const dataSettingsSelect = {
  retentionDays: true,
  masking: true,
  updatedAt: true,
  updatedBy: true,
} satisfies Prisma.DataSettingsSelect;

/** What applies before operators save settings of their own: the configuration's (AI_LOG_RETENTION_DAYS). */
export interface DataSettingsDefaults {
  retentionDays: number;
}

const BUILT_IN_DATA_SETTINGS: DataSettingsDefaults = { retentionDays: AI_LOG_RETENTION_DAYS_DEFAULT };

function toDataSettings(
  row: Prisma.DataSettingsGetPayload<{ select: typeof dataSettingsSelect }> | null,
  defaults: DataSettingsDefaults,
): TAdminDataSettings {
  if (!row) {
    return {
      retentionDays: defaults.retentionDays,
      masking: { ...DEFAULT_MASKING_SETTINGS },
      source: "default",
      updatedAt: null,
      updatedBy: null,
    };
  }
  return {
    retentionDays: row.retentionDays,
    masking: maskingFrom(row.masking),
    source: "database",
    updatedAt: toEpochMs(row.updatedAt),
    updatedBy: row.updatedBy,
  };
}

/** The settings in force: the saved row, or the configured defaults before anyone saved one. */
export async function getDataSettings(
  tx: ScopedTx,
  defaults: DataSettingsDefaults = BUILT_IN_DATA_SETTINGS,
): Promise<TAdminDataSettings> {
  return toDataSettings(await tx.dataSettings.findUnique({ where: { id: 1 }, select: dataSettingsSelect }), defaults);
}

/** Reads the settings as the owner, outside any request: for the retention job and the log. */
export function readDataSettings(
  db: Database,
  defaults: DataSettingsDefaults = BUILT_IN_DATA_SETTINGS,
): Promise<TAdminDataSettings> {
  return getDataSettings(db.prisma as unknown as ScopedTx, defaults);
}

/** Saves the settings (the one row); returns them before and after, for the audit row. */
export async function saveDataSettings(
  tx: ScopedTx,
  input: TAdminDataSettingsInput,
  actorId: string,
  defaults: DataSettingsDefaults = BUILT_IN_DATA_SETTINGS,
): Promise<{ before: TAdminDataSettings; after: TAdminDataSettings }> {
  // Serialises concurrent saves, so each audit row's "before" is what that save replaced.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('data_settings'))`;
  const before = await getDataSettings(tx, defaults);
  const data = { retentionDays: input.retentionDays, masking: input.masking, updatedBy: actorId };
  const row = await tx.dataSettings.upsert({
    where: { id: 1 },
    create: { id: 1, ...data },
    update: data,
    select: dataSettingsSelect,
  });
  return { before, after: toDataSettings(row, defaults) };
}

// ------------------------------------------------------------------ audit log

/** Keyset position of the audit list: (created_at, id) of the last entry of a page. */
export interface AuditKey {
  createdAt: Date;
  id: string;
}

export interface AdminAuditListQuery {
  actorId?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  after?: AuditKey | null | undefined;
  limit: number;
}

/** Who did what, when, with before and after: newest first, keyset on (created_at desc, id desc). */
export async function listAuditForAdmin(
  tx: ScopedTx,
  q: AdminAuditListQuery,
): Promise<{ items: TAdminAuditEntry[]; next: AuditKey | null }> {
  const filters: Prisma.AuditLogWhereInput[] = [];
  if (q.actorId) filters.push({ actorId: q.actorId });
  if (q.action) filters.push({ action: q.action });
  if (q.entityType) filters.push({ entityType: q.entityType });
  if (q.entityId) filters.push({ entityId: q.entityId });
  if (q.from) filters.push({ createdAt: { gte: q.from } });
  if (q.to) filters.push({ createdAt: { lt: q.to } });
  if (q.after) {
    filters.push({
      OR: [{ createdAt: { lt: q.after.createdAt } }, { createdAt: q.after.createdAt, id: { lt: q.after.id } }],
    });
  }
  const rows = await tx.auditLog.findMany({
    where: { AND: filters },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: { ...auditLogDtoSelect, actor: { select: { email: true } } },
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ actor, ...row }) => ({ ...toAuditLogDto(row), actorEmail: actor?.email ?? null })),
    next: rows.length > q.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
