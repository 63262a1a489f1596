// The filters every read of the log shares (list, overview, prompt groups), as SQL conditions on ai_interactions aliased `i`.
import {
  AiInteractionStatus,
  AiOperation,
  DataSource,
  type TAiInteractionStatus,
  type TAiOperation,
  isUuid,
  type TDataSource,
} from "@lockstep/contracts";
import { Prisma } from "../../generated/prisma/client.ts";

export interface AiInteractionFilters {
  /** created_at >= from */
  from?: Date | undefined;
  /** created_at < to */
  to?: Date | undefined;
  /** Provider name. */
  provider?: string | undefined;
  model?: string | undefined;
  status?: TAiInteractionStatus | undefined;
  operation?: TAiOperation | undefined;
  userId?: string | undefined;
  sessionId?: string | undefined;
  dataSource?: TDataSource | undefined;
}

export function filterSql(f: AiInteractionFilters): Prisma.Sql[] {
  // Soft-deleted rows are out of the log's views; hard deletes are what admin.interactions.delete does.
  const where: Prisma.Sql[] = [Prisma.sql`i.deleted_at IS NULL`];
  if (f.from) where.push(Prisma.sql`i.created_at >= ${f.from}`);
  if (f.to) where.push(Prisma.sql`i.created_at < ${f.to}`);
  // By id, not by joined name, so the (provider_id, created_at) index applies.
  if (f.provider) where.push(Prisma.sql`i.provider_id = (SELECT id FROM providers WHERE name = ${f.provider})`);
  if (f.model) where.push(Prisma.sql`i.model_name = ${f.model}`);
  if (f.status) where.push(Prisma.sql`i.status = ${AiInteractionStatus.toDb(f.status)}::"AiInteractionStatus"`);
  if (f.operation) where.push(Prisma.sql`i.operation = ${AiOperation.toDb(f.operation)}::"AiOperation"`);
  if (f.userId) where.push(Prisma.sql`i.user_id = ${f.userId}`);
  if (f.sessionId)
    where.push(isUuid(f.sessionId) ? Prisma.sql`i.session_id = ${f.sessionId}::uuid` : Prisma.sql`false`);
  if (f.dataSource) where.push(Prisma.sql`i.data_source = ${DataSource.toDb(f.dataSource)}::"DataSource"`);
  return where;
}
