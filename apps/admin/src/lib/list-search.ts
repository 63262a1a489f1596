// Search parameters of the smaller lists (users, sessions): a search box and a few switches that survive a reload.
import {
  type TRole,
  type TSessionStatus,
  type TSessionType,
  ZRoleSchema,
  ZSessionStatusSchema,
  ZSessionTypeSchema,
} from "@lockstep/contracts";

export interface UserSearch {
  query?: string;
  role?: TRole;
  disabled?: boolean;
}

function oneOf<T extends string>(options: readonly T[], value: unknown): T | undefined {
  return typeof value === "string" && (options as readonly string[]).includes(value) ? (value as T) : undefined;
}

function flag(value: unknown): boolean | undefined {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim().slice(0, 200) : undefined;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function parseUserSearch(raw: Record<string, unknown>): UserSearch {
  return compact({ query: text(raw.query), role: oneOf(ZRoleSchema.options, raw.role), disabled: flag(raw.disabled) });
}

export interface SessionSearch {
  userId?: string;
  query?: string;
  status?: TSessionStatus;
  type?: TSessionType;
  includeDeleted?: boolean;
}

export function parseSessionSearch(raw: Record<string, unknown>): SessionSearch {
  return compact({
    userId: text(raw.userId),
    query: text(raw.query),
    status: oneOf(ZSessionStatusSchema.options, raw.status),
    type: oneOf(ZSessionTypeSchema.options, raw.type),
    includeDeleted: flag(raw.includeDeleted),
  });
}
