// Operators' account use cases: list, inspect, promote, demote, disable, re-enable and delete
// accounts, each through the audited admin scope.
import { type TAdminSetDisabledInput, type TAdminSetRoleInput, type TAdminUserListInput } from "@lockstep/contracts";
import {
  deleteUserForAdmin,
  getUserDetailForAdmin,
  listUsersForAdmin,
  setUserDisabled,
  setUserRole,
} from "@lockstep/db";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import type { AdminScope } from "../../scopes.ts";
import { cursorCodec, ZCursorTimeSchema } from "../cursors.ts";

const ENTITY = "user";

function userNotFound(id: string): AppError {
  return new AppError("NOT_FOUND", `No user with id "${id}".`, { id });
}

/** Newest accounts first; ids are whatever the auth layer made, so any non-empty string. */
const usersCursor = cursorCodec("admin.users.list", z.strictObject({ t: ZCursorTimeSchema, id: z.string().min(1) }));

export async function listUsers(scope: AdminScope, input: TAdminUserListInput) {
  const key = usersCursor.decode(input.cursor);
  const after = key ? { createdAt: new Date(key.t), id: key.id } : null;
  const page = await scope.read({ action: "admin.users.list", entityType: ENTITY, entityId: null }, (tx) =>
    listUsersForAdmin(tx, {
      query: input.query,
      role: input.role,
      disabled: input.disabled,
      after,
      limit: input.limit,
    }),
  );
  return {
    items: page.items,
    nextCursor: page.next ? usersCursor.encode({ t: page.next.createdAt.getTime(), id: page.next.id }) : null,
  };
}

export async function getUser(scope: AdminScope, id: string) {
  const detail = await scope.read({ action: "admin.users.get", entityType: ENTITY, entityId: id }, (tx) =>
    getUserDetailForAdmin(tx, id),
  );
  // Thrown after the read committed, so a look-up of an unknown id is audited too.
  if (!detail) throw userNotFound(id);
  return detail;
}

// Setting the value a user already has is not an error: it returns the user and still writes an
// audit row (before equals after), since an operator's attempt is worth a record either way.
export async function setRole(scope: AdminScope, input: TAdminSetRoleInput) {
  // An operator cannot demote themselves, so whoever makes a change can still undo it and the
  // last admin cannot lock everyone out.
  if (input.id === scope.actorId && input.role !== "admin") {
    throw new AppError("FORBIDDEN", "You cannot remove your own admin role; ask another admin to do it.");
  }
  return scope.change({ action: "admin.users.setRole", entityType: ENTITY, entityId: input.id }, async (tx) => {
    const change = await setUserRole(tx, input.id, input.role);
    if (!change) throw userNotFound(input.id);
    return { result: change.after, ...change };
  });
}

export async function setDisabled(scope: AdminScope, input: TAdminSetDisabledInput) {
  if (input.id === scope.actorId && input.disabled) {
    throw new AppError("FORBIDDEN", "You cannot disable your own account; ask another admin to do it.");
  }
  // The person's live auth sessions are left alone: lockstep_admin has no access to
  // auth_sessions, and none is needed, because resolveSessionUser refuses a disabled user on
  // every request and session creation refuses them at sign-in. Re-enabling therefore brings
  // back sessions that have not expired.
  return scope.change({ action: "admin.users.setDisabled", entityType: ENTITY, entityId: input.id }, async (tx) => {
    const change = await setUserDisabled(tx, input.id, input.disabled);
    if (!change) throw userNotFound(input.id);
    return { result: change.after, ...change };
  });
}

// The audit row keeps the account as it was (profile, counts, engagements) and what went with it;
// the person's sessions, messages and the rest go by cascade, their logged calls stay anonymised.
export async function deleteUser(scope: AdminScope, id: string) {
  if (id === scope.actorId) {
    throw new AppError("FORBIDDEN", "You cannot delete your own account here; ask another admin to do it.");
  }
  return scope.change({ action: "admin.users.delete", entityType: ENTITY, entityId: id }, async (tx) => {
    const removed = await deleteUserForAdmin(tx, id);
    if (!removed) throw userNotFound(id);
    return {
      result: { id, deleted: true as const, counts: removed.counts },
      before: { ...removed.before, footprint: removed.counts },
      after: null,
    };
  });
}
