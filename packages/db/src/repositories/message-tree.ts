// The conversation as a tree: messages follow a parent, regenerated replies and edited messages are
// versions of one turn (sharing `version_of`), and the branch on screen is the set of messages not
// `hidden`, so reading it stays a plain keyset scan. Also: one reply at a time per session, and the
// stop flag a reply's worker polls.
import { Prisma } from "../generated/prisma/client.ts";
import type { Database } from "../connection.ts";
import type { SqlReader, SqlTx } from "../scoped.ts";

/**
 * Locks the session row for the rest of the transaction, so sends, edits and regenerations of one
 * session take turns (one reply at a time); false when the person has no such live session.
 */
export async function lockSession(tx: SqlTx, sessionId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM sessions WHERE id = ${sessionId}::uuid AND deleted_at IS NULL FOR UPDATE`;
  return rows.length > 0;
}

/** The person's message on screen whose reply is still being written, if any. */
export async function pendingReplyIn(tx: SqlReader, sessionId: string): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM messages
     WHERE session_id = ${sessionId}::uuid AND reply_status = 'PENDING' AND NOT hidden
     LIMIT 1`;
  return rows[0]?.id ?? null;
}

/** The last message of the branch on screen: what a new message follows. */
export async function lastVisibleMessageId(tx: SqlReader, sessionId: string): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM messages WHERE session_id = ${sessionId}::uuid AND NOT hidden
     ORDER BY "timestamp" DESC, id DESC LIMIT 1`;
  return rows[0]?.id ?? null;
}

export async function setParent(tx: SqlTx, messageId: string, parentId: string | null): Promise<void> {
  await tx.$executeRaw`UPDATE messages SET parent_id = ${parentId}::uuid WHERE id = ${messageId}::uuid`;
}

/**
 * Links a session's messages written before the tree existed into one line, each following the one
 * before it in time. Those messages all precede any written since (which are linked when written), so
 * the one before a legacy message in time is its parent. Returns how many were linked; 0 the second time.
 */
export async function linkLegacyMessages(tx: SqlTx | Database["prisma"], sessionId: string): Promise<number> {
  return tx.$executeRaw`
    UPDATE messages m SET parent_id = ordered.previous
      FROM (SELECT id, lag(id) OVER (ORDER BY "timestamp", id) AS previous
              FROM messages WHERE session_id = ${sessionId}::uuid) ordered
     WHERE m.id = ordered.id AND m.session_id = ${sessionId}::uuid
       AND m.parent_id IS NULL AND m.version_of IS NULL AND ordered.previous IS NOT NULL`;
}

/** Takes `messageId` and everything after it on the branch on screen off screen (kept, not deleted). */
export async function hideFrom(tx: SqlTx, sessionId: string, messageId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE messages SET hidden = true
     WHERE session_id = ${sessionId}::uuid AND NOT hidden
       AND ("timestamp", id) >= (SELECT "timestamp", id FROM messages WHERE id = ${messageId}::uuid)`;
}

/** Puts `messageId` back on screen with what followed it, following the version chosen at each turn. */
export async function showBranchFrom(tx: SqlTx, messageId: string): Promise<void> {
  await tx.$executeRaw`
    WITH RECURSIVE branch AS (
      SELECT id FROM messages WHERE id = ${messageId}::uuid
      UNION ALL
      SELECT child.id FROM messages child JOIN branch ON child.parent_id = branch.id WHERE child.selected
    )
    UPDATE messages SET hidden = false WHERE id IN (SELECT id FROM branch)`;
}

/** Makes `messageId` the chosen version of its turn (the others are remembered as not chosen). */
export async function chooseVersion(tx: SqlTx, messageId: string, group: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE messages SET selected = (id = ${messageId}::uuid)
     WHERE id = ${group}::uuid OR version_of = ${group}::uuid`;
}

/** The versions of a turn, oldest first (the first version's id is the group's). */
export async function versionIds(tx: SqlReader, group: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM messages WHERE id = ${group}::uuid OR version_of = ${group}::uuid ORDER BY "timestamp", id`;
  return rows.map((row) => row.id);
}

export interface TreeFacts {
  id: string;
  session_id: string;
  author: "USER" | "CONTACT" | "AI";
  parent_id: string | null;
  version_of: string | null;
  hidden: boolean;
  title: string | null;
  reply_status: "PENDING" | "FAILED" | null;
  timestamp: Date;
}

export async function treeFacts(tx: SqlReader, messageId: string): Promise<TreeFacts | null> {
  const rows = await tx.$queryRaw<TreeFacts[]>`
    SELECT id, session_id, author::text AS author, parent_id, version_of, hidden, title,
           reply_status::text AS reply_status, "timestamp"
      FROM messages WHERE id = ${messageId}::uuid`;
  return rows[0] ?? null;
}

/** The reply to `messageId` is being written: ask it to stop. False when no reply to it is running. */
export async function requestReplyStop(tx: SqlTx, messageId: string): Promise<boolean> {
  const changed = await tx.$executeRaw`
    UPDATE messages SET stop_requested_at = now() WHERE id = ${messageId}::uuid AND reply_status = 'PENDING'`;
  return changed > 0;
}

/** Whether the person asked the reply to `messageId` to stop (polled by whichever process runs it). */
export async function replyStopRequested(tx: SqlReader, messageId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ stop: boolean }[]>`
    SELECT stop_requested_at IS NOT NULL AS stop FROM messages WHERE id = ${messageId}::uuid`;
  return rows[0]?.stop ?? false;
}

/** A new reply is asked for `messageId`: a stop asked of an earlier one does not carry over. */
export async function clearReplyStop(tx: SqlTx, messageId: string): Promise<void> {
  await tx.$executeRaw`UPDATE messages SET stop_requested_at = NULL WHERE id = ${messageId}::uuid`;
}

/**
 * The SQL list of a row's versions (the turn's first message and every later version of it, oldest
 * first), for selectMessages. Four guarded lookups, each served by an index: under row-level
 * security PostgreSQL uses an index only for leakproof conditions and counts COALESCE as leaky, so
 * one `OR` over COALESCE (with a NOT EXISTS for the common case) read every message the person has
 * for each page: 260 ms instead of 5 for a page of a 100,000-message session.
 */
export const versionsColumn = Prisma.sql`
  ARRAY(SELECT x.id FROM (
          SELECT v.id, v."timestamp" FROM messages v WHERE m.version_of IS NULL AND v.id = m.id
          UNION ALL
          SELECT v.id, v."timestamp" FROM messages v WHERE m.version_of IS NULL AND v.version_of = m.id
          UNION ALL
          SELECT v.id, v."timestamp" FROM messages v WHERE v.id = m.version_of
          UNION ALL
          SELECT v.id, v."timestamp" FROM messages v WHERE v.version_of = m.version_of
        ) x ORDER BY x."timestamp", x.id)`;
