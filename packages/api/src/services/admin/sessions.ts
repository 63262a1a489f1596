// Operators' session use cases: list any user's sessions (soft-deleted ones too), read one and its
// messages, restore and purge, each through the audited admin scope.
import {
  SessionStatus,
  SessionType,
  type TAdminSessionListInput,
  type TAdminSessionMessagesInput,
} from "@lockstep/contracts";
import {
  getSessionForAdmin,
  listSessionMessagesForAdmin,
  listSessionsForAdmin,
  purgeSessionForAdmin,
  restoreSessionForAdmin,
} from "@lockstep/db";
import { AppError } from "../../errors.ts";
import type { AdminScope } from "../../scopes.ts";
import { cursorCodec, ZTimeIdKeySchema } from "../cursors.ts";

const ENTITY = "session";

function sessionNotFound(id: string): AppError {
  return new AppError("NOT_FOUND", `No session with id "${id}".`, { id });
}

// Two codecs, so a sessions cursor is refused by the messages list and the other way round.
const sessionsCursor = cursorCodec("admin.sessions.list", ZTimeIdKeySchema);
const messagesCursor = cursorCodec("admin.sessions.messages", ZTimeIdKeySchema);

export async function listSessions(scope: AdminScope, input: TAdminSessionListInput) {
  const after = sessionsCursor.decode(input.cursor);
  const page = await scope.read({ action: "admin.sessions.list", entityType: ENTITY, entityId: null }, (tx) =>
    listSessionsForAdmin(tx, {
      userId: input.userId,
      query: input.query || undefined,
      status: input.status ? SessionStatus.toDb(input.status) : undefined,
      type: input.type ? SessionType.toDb(input.type) : undefined,
      includeDeleted: input.includeDeleted,
      after: after ? { createdAt: new Date(after.t), id: after.id } : null,
      limit: input.limit,
    }),
  );
  return {
    items: page.items,
    nextCursor: page.next ? sessionsCursor.encode({ t: page.next.createdAt.getTime(), id: page.next.id }) : null,
  };
}

export async function getSession(scope: AdminScope, id: string) {
  const session = await scope.read({ action: "admin.sessions.get", entityType: ENTITY, entityId: id }, (tx) =>
    getSessionForAdmin(tx, id),
  );
  // Thrown after the read committed, so a look-up of an unknown id is audited too.
  if (!session) throw sessionNotFound(id);
  return session;
}

/** Read-only: oldest first, as the conversation reads. */
export async function listSessionMessages(scope: AdminScope, input: TAdminSessionMessagesInput) {
  const key = messagesCursor.decode(input.cursor);
  const after = key ? { time: new Date(key.t), id: key.id } : null;
  const page = await scope.read(
    { action: "admin.sessions.messages", entityType: ENTITY, entityId: input.id },
    async (tx) => {
      if (!(await getSessionForAdmin(tx, input.id))) return null;
      return listSessionMessagesForAdmin(tx, { sessionId: input.id, after, limit: input.limit });
    },
  );
  if (!page) throw sessionNotFound(input.id);
  return {
    items: page.items,
    nextCursor: page.next ? messagesCursor.encode({ t: page.next.time.getTime(), id: page.next.id }) : null,
  };
}

// Restoring a live session is not an error: it returns the session and is still audited.
export async function restoreSession(scope: AdminScope, id: string) {
  return scope.change({ action: "admin.sessions.restore", entityType: ENTITY, entityId: id }, async (tx) => {
    const change = await restoreSessionForAdmin(tx, id);
    if (!change) throw sessionNotFound(id);
    return { result: change.after, ...change };
  });
}

// The audit row keeps the session as it was (not its messages' text, which goes for good).
export async function purgeSession(scope: AdminScope, id: string) {
  return scope.change({ action: "admin.sessions.purge", entityType: ENTITY, entityId: id }, async (tx) => {
    const removed = await purgeSessionForAdmin(tx, id);
    if (!removed) throw sessionNotFound(id);
    return {
      result: { id, messagesDeleted: removed.before.messageCount },
      before: removed.before,
      after: null,
    };
  });
}
