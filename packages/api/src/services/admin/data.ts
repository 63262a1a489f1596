// Operators' data tools: the data settings (retention days, masking), the db:verify report on
// demand, and the audit log; each through the audited admin scope.
import {
  decodeCursor,
  encodeCursor,
  fromEpochMs,
  InvalidCursorError,
  type TAdminAuditListInput,
  type TAdminDataSettingsInput,
  type TAdminVerifyReport,
} from "@lockstep/contracts";
import { type AuditKey, getDataSettings, listAuditForAdmin, saveDataSettings, verifyDatabase } from "@lockstep/db";
import { AppError } from "../../errors.ts";
import type { AdminScope } from "../../scopes.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function readDataSettings(scope: AdminScope) {
  return scope.read({ action: "admin.data.settings", entityType: "data_settings", entityId: null }, getDataSettings);
}

/** Takes effect at the retention job's next run and on the next logged call (read fresh by both). */
export function updateDataSettings(scope: AdminScope, input: TAdminDataSettingsInput) {
  return scope.change(
    { action: "admin.data.updateSettings", entityType: "data_settings", entityId: null },
    async (tx) => {
      const change = await saveDataSettings(tx, input, scope.actorId);
      return { result: change.after, ...change };
    },
  );
}

/** The `pnpm db:verify` report: row counts, orphaned references, expected indexes, enum drift. */
export async function verifyReport(scope: AdminScope): Promise<TAdminVerifyReport> {
  const report = await scope.inspect(
    { action: "admin.data.verify", entityType: "database", entityId: null },
    verifyDatabase,
  );
  // Rows of a check are plain catalog values; JSON round-trip keeps dates and bigints wire-safe.
  return JSON.parse(
    JSON.stringify(report, (_key, value: unknown) => (typeof value === "bigint" ? Number(value) : value)),
  ) as TAdminVerifyReport;
}

function decodeAuditKey(cursor: string | null | undefined): AuditKey | null {
  if (!cursor) return null;
  try {
    const [createdAt, id, ...rest] = decodeCursor(cursor);
    if (
      typeof createdAt === "number" &&
      Number.isInteger(createdAt) &&
      createdAt >= 0 &&
      typeof id === "string" &&
      UUID.test(id) &&
      rest.length === 0
    ) {
      return { createdAt: new Date(createdAt), id };
    }
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw new AppError("BAD_INPUT", `cursor: ${error.message}`, { field: "cursor" });
  }
  throw new AppError("BAD_INPUT", "cursor: not a cursor of this list", { field: "cursor" });
}

/** Who did what, when, before and after; newest first. Reading the audit log is itself audited. */
export async function listAudit(scope: AdminScope, input: TAdminAuditListInput) {
  const after = decodeAuditKey(input.cursor);
  const page = await scope.read({ action: "admin.audit.list", entityType: "audit_log", entityId: null }, (tx) =>
    listAuditForAdmin(tx, {
      actorId: input.actorId,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      from: input.from === undefined ? undefined : fromEpochMs(input.from),
      to: input.to === undefined ? undefined : fromEpochMs(input.to),
      after,
      limit: input.limit,
    }),
  );
  return {
    items: page.items,
    nextCursor: page.next ? encodeCursor([page.next.createdAt.getTime(), page.next.id]) : null,
  };
}
