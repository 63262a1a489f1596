// Operators' data tools: the data settings (retention days, masking), the db:verify report on
// demand, and the audit log; each through the audited admin scope.
import {
  fromEpochMs,
  type TAdminAuditListInput,
  type TAdminDataSettingsInput,
  type TAdminVerifyReport,
} from "@lockstep/contracts";
import {
  type DataSettingsDefaults,
  getDataSettings,
  listAuditForAdmin,
  saveDataSettings,
  verifyDatabase,
} from "@lockstep/db";
import type { AdminScope } from "../../scopes.ts";
import { cursorCodec, ZTimeIdKeySchema } from "../cursors.ts";

const auditCursor = cursorCodec("admin.audit.list", ZTimeIdKeySchema);

export function readDataSettings(scope: AdminScope, defaults?: DataSettingsDefaults) {
  return scope.read({ action: "admin.data.settings", entityType: "data_settings", entityId: null }, (tx) =>
    getDataSettings(tx, defaults),
  );
}

/** Takes effect at the retention job's next run and on the next logged call (read fresh by both). */
export function updateDataSettings(scope: AdminScope, input: TAdminDataSettingsInput, defaults?: DataSettingsDefaults) {
  return scope.change(
    { action: "admin.data.updateSettings", entityType: "data_settings", entityId: null },
    async (tx) => {
      const change = await saveDataSettings(tx, input, scope.actorId, defaults);
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

/** Who did what, when, before and after; newest first. Reading the audit log is itself audited. */
export async function listAudit(scope: AdminScope, input: TAdminAuditListInput) {
  const key = auditCursor.decode(input.cursor);
  const after = key ? { createdAt: new Date(key.t), id: key.id } : null;
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
    nextCursor: page.next ? auditCursor.encode({ t: page.next.createdAt.getTime(), id: page.next.id }) : null,
  };
}
