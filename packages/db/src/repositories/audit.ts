// The audit log: writing an entry with its before and after, and reading entries back as DTOs.
import { toEpochMs, type TAuditLogDto } from "@lockstep/contracts";
import { Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";

export const auditLogDtoSelect = {
  id: true,
  actorId: true,
  action: true,
  entityType: true,
  entityId: true,
  before: true,
  after: true,
  ipAddress: true,
  requestId: true,
  createdAt: true,
} satisfies Prisma.AuditLogSelect;
export type AuditLogDtoRow = Prisma.AuditLogGetPayload<{ select: typeof auditLogDtoSelect }>;

export function toAuditLogDto(row: AuditLogDtoRow): TAuditLogDto {
  return {
    id: row.id,
    actorId: row.actorId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    // Prisma's JsonValue and zod's JSON type describe the same values under different names.
    before: row.before as TAuditLogDto["before"],
    after: row.after as TAuditLogDto["after"],
    ipAddress: row.ipAddress,
    requestId: row.requestId,
    createdAt: toEpochMs(row.createdAt),
  };
}

export interface NewAuditEntry {
  /** null for actions nobody signed in made (the admin:create console command). */
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ipAddress?: string | null | undefined;
  requestId?: string | null | undefined;
}

/** JSONB takes plain data: dates become ISO strings, and null or undefined an SQL NULL. */
function toJsonColumn(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  if (value === null || value === undefined) return Prisma.DbNull;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

export async function recordAudit(tx: ScopedTx, entry: NewAuditEntry): Promise<TAuditLogDto> {
  const row = await tx.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: toJsonColumn(entry.before),
      after: toJsonColumn(entry.after),
      ipAddress: entry.ipAddress ?? null,
      requestId: entry.requestId ?? null,
    },
    select: auditLogDtoSelect,
  });
  return toAuditLogDto(row);
}

/** Entries about one thing (or everything), newest first. */
export async function listAuditEntries(
  tx: ScopedTx,
  filter: { entityType?: string; entityId?: string; action?: string; limit?: number } = {},
): Promise<TAuditLogDto[]> {
  const rows = await tx.auditLog.findMany({
    where: { entityType: filter.entityType, entityId: filter.entityId, action: filter.action },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit ?? 100,
    select: auditLogDtoSelect,
  });
  return rows.map(toAuditLogDto);
}
