// Users as the API returns them: one DTO select, a person's own profile and account deletion, and the operators' list, detail, role and disable changes.
import {
  Role,
  toEpochMs,
  toEpochMsOrNull,
  type TAdminUserDetail,
  type TAdminUserListItem,
  type TDeletedAccountCounts,
  type TRole,
  type TUserDto,
} from "@lockstep/contracts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx, SqlReader } from "../scoped.ts";

/** Only columns lockstep_app may read of its own row, so the same select works under RLS and as an operator. */
export const userDtoSelect = {
  id: true,
  email: true,
  name: true,
  image: true,
  role: true,
  disabledAt: true,
  createdAt: true,
} satisfies Prisma.UserSelect;
export type UserDtoRow = Prisma.UserGetPayload<{ select: typeof userDtoSelect }>;

export function toUserDto(row: UserDtoRow): TUserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    image: row.image,
    role: Role.toWire(row.role),
    disabled: row.disabledAt !== null,
    createdAt: toEpochMs(row.createdAt),
  };
}

/** The fields of userDtoSelect, in plain SQL so it runs in a lean scope (auth.me is on every page load). */
export async function findUserDto(tx: SqlReader, id: string): Promise<TUserDto | null> {
  const rows = await tx.$queryRaw<UserDtoRow[]>`
    SELECT id, email, name, image, role, disabled_at AS "disabledAt", created_at AS "createdAt"
      FROM users WHERE id = ${id}`;
  return rows[0] ? toUserDto(rows[0]) : null;
}

// ------------------------------------------------------------------ the person's own account (runs as them)

export interface ProfileChanges {
  name?: string | undefined;
  /** null removes the picture; undefined leaves it. */
  image?: string | null | undefined;
}

/** Changes name and/or image; null when the row is not there (or, under RLS, not this user's). */
export async function updateUserProfile(tx: ScopedTx, id: string, changes: ProfileChanges): Promise<TUserDto | null> {
  // updateMany, not update: a row RLS hides is "not found" here rather than a thrown P2025.
  const { count } = await tx.user.updateMany({ where: { id }, data: { name: changes.name, image: changes.image } });
  return count === 0 ? null : findUserDto(tx, id);
}

/** What deleting the account takes with it, counted in one query (under RLS the person sees exactly their own rows). */
export async function countAccountFootprint(tx: ScopedTx, userId: string): Promise<TDeletedAccountCounts | null> {
  const row = await tx.user.findUnique({
    where: { id: userId },
    select: {
      _count: {
        select: {
          sessions: true,
          messages: true,
          messageInteractions: true,
          collections: true,
          engagements: true,
          memoryEvents: true,
          uploads: true,
          aiInteractions: true,
        },
      },
    },
  });
  if (!row) return null;
  const c = row._count;
  return {
    sessions: c.sessions,
    messages: c.messages,
    feedback: c.messageInteractions,
    collections: c.collections,
    engagements: c.engagements,
    memories: c.memoryEvents,
    uploads: c.uploads,
    aiInteractionsAnonymised: c.aiInteractions,
  };
}

/**
 * Deletes the users row; the foreign keys' ON DELETE CASCADE take sessions, messages, feedback,
 * collections, engagements, memories, uploads, auth sessions and accounts with it, and ON DELETE
 * SET NULL detaches ai_interactions. Their client IP is personal data the log does not need, so it
 * is cleared first, while RLS still lets the person reach those rows through user_id.
 */
export async function deleteUserAccount(
  tx: ScopedTx,
  userId: string,
): Promise<{ deleted: boolean; anonymised: number }> {
  const anonymised = await tx.aiInteraction.updateMany({ where: { userId }, data: { ipAddress: null } });
  const { count } = await tx.user.deleteMany({ where: { id: userId } });
  return { deleted: count === 1, anonymised: anonymised.count };
}

// ------------------------------------------------------------------ operators (run as lockstep_admin)

/** Keyset position: the (created_at, id) of the last row of a page. */
export interface UserKey {
  createdAt: Date;
  id: string;
}

export interface AdminUserListQuery {
  /** Case-insensitive substring of email or name. */
  query?: string | undefined;
  role?: TRole | undefined;
  disabled?: boolean | undefined;
  after?: UserKey | null | undefined;
  limit: number;
}

/** LIKE treats % and _ as wildcards and \ as its escape; a search for "a_b" means those three characters. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * Newest first, keyset on (created_at desc, id desc): a page costs the same however deep it is,
 * and rows inserted meanwhile neither repeat nor vanish. Session stats for the whole page come from
 * one grouped query, not one per user.
 */
export async function listUsersForAdmin(
  tx: ScopedTx,
  q: AdminUserListQuery,
): Promise<{ items: TAdminUserListItem[]; next: UserKey | null }> {
  const filters: Prisma.UserWhereInput[] = [];
  if (q.query) {
    const pattern = escapeLike(q.query);
    filters.push({
      OR: [{ email: { contains: pattern, mode: "insensitive" } }, { name: { contains: pattern, mode: "insensitive" } }],
    });
  }
  if (q.role) filters.push({ role: Role.toDb(q.role) });
  if (q.disabled !== undefined) filters.push({ disabledAt: q.disabled ? { not: null } : null });
  if (q.after) {
    filters.push({
      OR: [{ createdAt: { lt: q.after.createdAt } }, { createdAt: q.after.createdAt, id: { lt: q.after.id } }],
    });
  }
  const rows = await tx.user.findMany({
    where: { AND: filters },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: userDtoSelect,
  });
  const page = rows.slice(0, q.limit);
  const stats = page.length
    ? await tx.session.groupBy({
        by: ["userId"],
        where: { userId: { in: page.map((row) => row.id) } },
        _count: { _all: true },
        _max: { lastActivity: true },
      })
    : [];
  const byUser = new Map(stats.map((s) => [s.userId, s]));
  const items = page.map((row) => {
    const s = byUser.get(row.id);
    return {
      ...toUserDto(row),
      sessionsCount: s?._count._all ?? 0,
      lastActivity: toEpochMsOrNull(s?._max.lastActivity),
    };
  });
  const last = page.at(-1);
  return { items, next: rows.length > q.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

export const adminEngagementSelect = {
  id: true,
  characterId: true,
  character: { select: { name: true } },
  totalSessions: true,
  totalMessages: true,
  lastInteractionAt: true,
} satisfies Prisma.EngagementSelect;

export async function getUserDetailForAdmin(tx: ScopedTx, id: string): Promise<TAdminUserDetail | null> {
  const row = await tx.user.findUnique({
    where: { id },
    select: {
      ...userDtoSelect,
      _count: { select: { sessions: true, messages: true, engagements: true } },
      engagements: {
        select: adminEngagementSelect,
        orderBy: [{ lastInteractionAt: { sort: "desc", nulls: "last" } }, { id: "asc" }],
      },
    },
  });
  if (!row) return null;
  const { _count, engagements, ...user } = row;
  const activity = await tx.session.aggregate({ where: { userId: id }, _max: { lastActivity: true } });
  return {
    user: toUserDto(user),
    counts: { sessions: _count.sessions, messages: _count.messages, engagements: _count.engagements },
    lastActivity: toEpochMsOrNull(activity._max.lastActivity),
    engagements: engagements.map((e) => ({
      id: e.id,
      characterId: e.characterId,
      characterName: e.character.name,
      totalSessions: e.totalSessions,
      totalMessages: e.totalMessages,
      lastInteractionAt: toEpochMsOrNull(e.lastInteractionAt),
    })),
  };
}

export interface UserChange {
  before: TUserDto;
  after: TUserDto;
}

/**
 * Locks the row for the rest of the transaction, so the "before" an audit row records is the state
 * this change replaced, not one a concurrent change already overwrote. lockstep_admin may lock it:
 * FOR UPDATE needs an UPDATE grant, and it holds one on role and disabled_at.
 */
async function lockUser(tx: ScopedTx, id: string): Promise<TUserDto | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${id} FOR UPDATE`;
  return locked.length ? findUserDto(tx, id) : null;
}

/** Sets the role; an unchanged role writes nothing (after equals before). null for an unknown id. */
export async function setUserRole(tx: ScopedTx, id: string, role: TRole): Promise<UserChange | null> {
  const before = await lockUser(tx, id);
  if (!before) return null;
  if (before.role === role) return { before, after: before };
  const row = await tx.user.update({ where: { id }, data: { role: Role.toDb(role) }, select: userDtoSelect });
  return { before, after: toUserDto(row) };
}

/** Disables (disabled_at = now) or re-enables; disabling twice keeps the first time. null for an unknown id. */
export async function setUserDisabled(tx: ScopedTx, id: string, disabled: boolean): Promise<UserChange | null> {
  const before = await lockUser(tx, id);
  if (!before) return null;
  if (before.disabled === disabled) return { before, after: before };
  const row = await tx.user.update({
    where: { id },
    data: { disabledAt: disabled ? new Date() : null },
    select: userDtoSelect,
  });
  return { before, after: toUserDto(row) };
}

/** Whether the account is missing or disabled; the auth layer asks before opening a session. */
export async function isAccountDisabled(tx: ScopedTx, id: string): Promise<boolean> {
  const row = await tx.user.findUnique({ where: { id }, select: { disabledAt: true } });
  return !row || row.disabledAt !== null;
}
