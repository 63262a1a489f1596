// `admin.data.*` and `admin.audit.*`: the data settings (retention days, masking), the db:verify report on demand, and the audit log; every call is audited.
import {
  ZAdminAuditListInputSchema,
  ZAdminAuditListPageSchema,
  ZAdminDataSettingsInputSchema,
  ZAdminDataSettingsSchema,
  ZAdminVerifyReportSchema,
} from "@lockstep/contracts";
import { z } from "zod";
import { listAudit, readDataSettings, updateDataSettings, verifyReport } from "../../services/admin/data.ts";
import { adminProcedure, router } from "../../trpc.ts";

export const adminDataRouter = router({
  settings: adminProcedure
    .input(z.void())
    .output(ZAdminDataSettingsSchema)
    .query(({ ctx }) => readDataSettings(ctx.adminDb, ctx.dataDefaults)),
  /** Takes effect at the retention job's next run and on the next logged call (read fresh by both). */
  updateSettings: adminProcedure
    .input(ZAdminDataSettingsInputSchema)
    .output(ZAdminDataSettingsSchema)
    .mutation(({ ctx, input }) => updateDataSettings(ctx.adminDb, input, ctx.dataDefaults)),
  /** The `pnpm db:verify` report: row counts, orphaned references, expected indexes, enum drift. */
  verify: adminProcedure
    .input(z.void())
    .output(ZAdminVerifyReportSchema)
    .query(({ ctx }) => verifyReport(ctx.adminDb)),
});

export const adminAuditRouter = router({
  /** Who did what, when, before and after; newest first. Reading the audit log is itself audited. */
  list: adminProcedure
    .input(ZAdminAuditListInputSchema)
    .output(ZAdminAuditListPageSchema)
    .query(({ ctx, input }) => listAudit(ctx.adminDb, input)),
});
