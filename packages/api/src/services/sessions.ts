// Session use cases: idempotent create (docs/decisions/0002), starting, continuing, switching and ending
// sessions with a character (docs/decisions/0003), keyset lists, renames, pins, the status state machine of
// contracts, soft delete, restore and purge. Procedures stay thin and call these.
import { randomUUID } from "node:crypto";
import {
  canTransition,
  SessionStatus,
  SessionType,
  type TSessionCreateInput,
  type TSessionDto,
  type TSessionListInput,
  type TSessionStartInput,
  type TSessionStartResult,
  type TSessionStatus,
} from "@lockstep/contracts";
import {
  attachEngagement,
  endOtherCharacterSessions,
  endSessionOnce,
  ensureEngagement,
  findEngagementById,
  findLiveCharacterSessions,
  findSession,
  findStartChoice,
  insertSessionIfAbsent,
  listSessions,
  lockPersonCharacter,
  purgeSession,
  resolveCharacterChoice,
  type SessionRow,
  sessionChanges,
  toSessionDto,
  updateSession,
} from "@lockstep/db";
import { z } from "zod";
import type { InnerContext, RequestMeta } from "../context.ts";
import { AppError } from "../errors.ts";
import type { UserScope } from "../scopes.ts";
import { cursorCodec, pageFrom, ZCursorIdSchema, ZCursorTimeSchema } from "./cursors.ts";
import { rememberSession } from "./memories.ts";

/** The list's sort key: pinned first (1 or 0, null when pins do not sort), then time, then id. */
const sessionsCursor = cursorCodec(
  "session.list",
  z.strictObject({ p: z.union([z.literal(0), z.literal(1), z.null()]), t: ZCursorTimeSchema, id: ZCursorIdSchema }),
);

const notFound = () => new AppError("NOT_FOUND", "No such session.");

/**
 * The same message whether the id is taken by a different session of yours or by someone else's:
 * a client-chosen id must never reveal that another person's row exists.
 */
const idTaken = () => new AppError("CONFLICT", "That id is already used by another session.");

export async function createSession(scope: UserScope, input: TSessionCreateInput): Promise<TSessionDto> {
  const id = input.id ?? randomUUID();
  return scope.run(async (tx) => {
    let characterId = input.characterId ?? null;
    let episodeTemplateId = input.episodeTemplateId ?? null;
    let engagementId: string | null = null;
    if (characterId || episodeTemplateId) {
      const choice = await resolveCharacterChoice(tx, characterId, episodeTemplateId);
      if (!choice.ok) {
        throw new AppError(
          "BAD_INPUT",
          `${choice.field} does not name an active ${choice.field === "characterId" ? "character" : "template of that character"}.`,
          {
            field: choice.field,
          },
        );
      }
      characterId = choice.choice.characterId;
      episodeTemplateId = choice.choice.episodeTemplateId;
      engagementId = await ensureEngagement(tx, scope.userId, characterId);
    }
    const wanted = { type: SessionType.toDb(input.type), name: input.name ?? null, characterId, episodeTemplateId };
    const result = await insertSessionIfAbsent(tx, { id, userId: scope.userId, engagementId, ...wanted });
    if (result.created) return toSessionDto(result.row);
    // A retry of the same create returns the session it made; anything else is a clash, and the
    // error rolls back the engagement this call may have made.
    if (result.row && sameCreate(result.row, wanted)) return toSessionDto(result.row);
    throw idTaken();
  });
}

function sameCreate(
  row: SessionRow,
  wanted: { type: string; name: string | null; characterId: string | null; episodeTemplateId: string | null },
): boolean {
  return (
    row.type === wanted.type &&
    row.name === wanted.name &&
    row.character_id === wanted.characterId &&
    row.episode_template_id === wanted.episodeTemplateId
  );
}

/**
 * Starts a session with a character (docs/decisions/0003). The person's engagement with the
 * character is made on first contact. Unless `fresh` is asked for, a live session for the same
 * character and template (no template matches no template) is continued rather than duplicated;
 * otherwise a new TEXT session starts and every other open session with the character ends (one
 * active session per person and character: a fresh start or another scenario ends the open one).
 * The sessions ended here leave their memories after the commit, as an End does.
 */
export async function startSession(
  scope: UserScope,
  input: TSessionStartInput,
  ai?: InnerContext["ai"],
  meta?: RequestMeta,
): Promise<TSessionStartResult> {
  const characterId = input.characterId;
  const episodeTemplateId = input.episodeTemplateId ?? null;
  const result = await scope.run(async (tx) => {
    const found = await findStartChoice(tx, characterId, episodeTemplateId);
    if (!found.ok) {
      throw found.field === "characterId"
        ? new AppError("NOT_FOUND", "No such character.", { field: "characterId" })
        : new AppError("NOT_FOUND", "No such episode template for this character.", { field: "episodeTemplateId" });
    }
    // Held until commit: a second start for the same person and character (another tab, a double
    // click) waits here, then sees this one's session and continues it instead of making another.
    await lockPersonCharacter(tx, scope.userId, characterId);
    const engagementId = await ensureEngagement(tx, scope.userId, characterId);
    const live = await findLiveCharacterSessions(tx, scope.userId, characterId);
    let session = input.fresh ? undefined : live.find((row) => row.episode_template_id === episodeTemplateId);
    const resumed = Boolean(session);
    if (session && session.engagement_id === null)
      session = (await attachEngagement(tx, session.id, engagementId)) ?? session;
    if (!session) {
      const inserted = await insertSessionIfAbsent(tx, {
        id: randomUUID(),
        userId: scope.userId,
        type: "TEXT",
        name: found.choice.template?.title ?? found.choice.character.name,
        characterId,
        episodeTemplateId,
        engagementId,
      });
      if (!inserted.created) throw new Error("a freshly generated session id was already taken");
      session = inserted.row;
    }
    const endedSessionIds = await endOtherCharacterSessions(tx, scope.userId, characterId, session.id);
    const engagement = await findEngagementById(tx, engagementId);
    if (!engagement) throw new Error("the engagement made in this transaction is not visible");
    return { session: toSessionDto(session), engagement, resumed, endedSessionIds };
  });
  if (ai && meta) {
    for (const id of result.endedSessionIds) await rememberSession(scope, ai, meta, { id, characterId });
  }
  return result;
}

/** The open session with a character, if any: what "New session" offers to continue. */
export async function findOpenSession(scope: UserScope, characterId: string): Promise<TSessionDto | null> {
  const live = await scope.run((tx) => findLiveCharacterSessions(tx, scope.userId, characterId));
  return live[0] ? toSessionDto(live[0]) : null;
}

/**
 * Ends a session: ended_at is set once (the database trigger then counts it on the engagement) and
 * the session stops being active; ending an ended session returns it unchanged. Memories are
 * extracted only after the ending committed, and only by the call that ended it, so a retry or a
 * double click never extracts twice.
 */
export async function endSession(
  scope: UserScope,
  id: string,
  ai: InnerContext["ai"],
  meta: RequestMeta,
  options: { viaTransition?: boolean } = {},
): Promise<TSessionDto> {
  if (options.viaTransition) {
    // As a status move (session.transition to complete) the machine's table still decides.
    const current = await getSession(scope, id);
    if (!canTransition(current.status, "complete")) {
      throw new AppError("ILLEGAL_TRANSITION", `A session cannot move from ${current.status} to complete.`, {
        from: current.status,
        to: "complete",
      });
    }
    // Ended before and reopened since: it is counted already, so only the status moves.
    if (current.endedAt !== null) return transitionSession(scope, id, "complete");
  }
  const result = await scope.run((tx) => endSessionOnce(tx, id));
  if (!result) throw notFound();
  const characterId = result.row.character_id;
  if (result.ended && characterId) await rememberSession(scope, ai, meta, { id: result.row.id, characterId });
  // Asked as a status move, the session ends up complete even from a step that ending leaves alone.
  if (options.viaTransition && result.row.status !== "COMPLETE") return transitionSession(scope, id, "complete");
  return toSessionDto(result.row);
}

export async function getSession(scope: UserScope, id: string): Promise<TSessionDto> {
  const row = await scope.sql((tx) => findSession(tx, id, { includeDeleted: true }));
  if (!row) throw notFound();
  return toSessionDto(row);
}

export async function listSessionsPage(scope: UserScope, input: TSessionListInput) {
  const key = sessionsCursor.decode(input.cursor);
  const after = key ? { isPinned: key.p === null ? null : key.p === 1, time: new Date(key.t), id: key.id } : undefined;
  const rows = await scope.read((tx) =>
    listSessions(tx, {
      userId: scope.userId,
      orderBy: input.orderBy,
      status: input.status ? SessionStatus.toDb(input.status) : undefined,
      type: input.type ? SessionType.toDb(input.type) : undefined,
      pinned: input.pinned,
      pinnedFirst: input.pinnedFirst,
      trash: input.trash,
      query: input.query || undefined,
      after,
      limit: input.limit + 1,
    }),
  );
  return pageFrom(rows, input.limit, toSessionDto, sessionsCursor, (row) => ({
    p: input.pinnedFirst ? (row.is_pinned ? 1 : 0) : null,
    t: (input.orderBy === "created_at" ? row.created_at : row.last_activity).getTime(),
    id: row.id,
  }));
}

export async function renameSession(scope: UserScope, id: string, name: string | null): Promise<TSessionDto> {
  const row = await scope.sql((tx) => updateSession(tx, id, sessionChanges.rename(name)));
  if (!row) throw notFound();
  return toSessionDto(row);
}

export async function setSessionPinned(scope: UserScope, id: string, pinned: boolean): Promise<TSessionDto> {
  const row = await scope.sql((tx) => updateSession(tx, id, sessionChanges.setPinned(pinned)));
  if (!row) throw notFound();
  return toSessionDto(row);
}

/** One move of the status state machine; the table of legal moves lives in contracts. */
export async function transitionSession(scope: UserScope, id: string, to: TSessionStatus): Promise<TSessionDto> {
  return scope.sql(async (tx) => {
    const current = await findSession(tx, id);
    if (!current) throw notFound();
    const from = SessionStatus.toWire(current.status as Parameters<typeof SessionStatus.toWire>[0]);
    if (!canTransition(from, to)) {
      throw new AppError("ILLEGAL_TRANSITION", `A session cannot move from ${from} to ${to}.`, { from, to });
    }
    const updated = await updateSession(tx, id, sessionChanges.status(SessionStatus.toDb(to)), {
      expectStatus: current.status,
    });
    if (!updated) throw new AppError("CONFLICT", "The session changed meanwhile; reload it and try again.");
    return toSessionDto(updated);
  });
}

/** Soft delete (docs/decisions/0007): hidden from lists, message queries and the AI's context. */
export async function deleteSession(scope: UserScope, id: string): Promise<TSessionDto> {
  const row = await scope.sql((tx) => updateSession(tx, id, sessionChanges.softDelete()));
  if (!row) throw notFound();
  return toSessionDto(row);
}

export async function restoreSession(scope: UserScope, id: string): Promise<TSessionDto> {
  const row = await scope.sql((tx) => updateSession(tx, id, sessionChanges.restore(), { onlyDeleted: true }));
  if (!row) throw new AppError("NOT_FOUND", "No such session in the trash.");
  return toSessionDto(row);
}

/** Permanent: only from the trash, so one click cannot destroy a live conversation. */
export async function purgeSessionForever(scope: UserScope, id: string): Promise<{ id: string; purged: true }> {
  const purged = await scope.sql((tx) => purgeSession(tx, id));
  if (!purged) throw new AppError("NOT_FOUND", "No such session in the trash.");
  return { id, purged: true };
}
