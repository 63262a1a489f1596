// The mail outbox: the server records each e-mail it sends (as the owner, like Better Auth's tables),
// and operators page through it newest first.
import { type TMailStatus, toEpochMs, toEpochMsOrNull, type TOutboxEntry } from "@lockstep/contracts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";

const STATUS_TO_DB = { logged: "LOGGED", sent: "SENT", failed: "FAILED" } as const satisfies Record<
  TMailStatus,
  string
>;
const STATUS_FROM_DB: Record<string, TMailStatus> = { LOGGED: "logged", SENT: "sent", FAILED: "failed" };

const outboxSelect = {
  id: true,
  recipient: true,
  subject: true,
  body: true,
  status: true,
  error: true,
  createdAt: true,
  sentAt: true,
} satisfies Prisma.MailOutboxSelect;
type OutboxRow = Prisma.MailOutboxGetPayload<{ select: typeof outboxSelect }>;

function toOutboxEntry(row: OutboxRow): TOutboxEntry {
  return {
    ...row,
    status: STATUS_FROM_DB[row.status] ?? "failed",
    createdAt: toEpochMs(row.createdAt),
    sentAt: toEpochMsOrNull(row.sentAt),
  };
}

export interface NewOutboxMail {
  recipient: string;
  subject: string;
  body: string | null;
  status: TMailStatus;
  error?: string | null;
}

/** Records one message; `prisma` is the owner's client (the application role has no grant on the outbox). */
export async function recordOutboxMail(prisma: PrismaClient, mail: NewOutboxMail): Promise<TOutboxEntry> {
  const row = await prisma.mailOutbox.create({
    data: {
      recipient: mail.recipient,
      subject: mail.subject,
      body: mail.body,
      status: STATUS_TO_DB[mail.status],
      error: mail.error ?? null,
      sentAt: mail.status === "sent" ? new Date() : null,
    },
    select: outboxSelect,
  });
  return toOutboxEntry(row);
}

export interface OutboxKey {
  createdAt: Date;
  id: string;
}

/** One page for operators (read through the admin scope), newest first. */
export async function listOutboxForAdmin(
  tx: ScopedTx,
  q: { after: OutboxKey | null; limit: number },
): Promise<{ items: TOutboxEntry[]; next: OutboxKey | null }> {
  const rows = await tx.mailOutbox.findMany({
    where: q.after
      ? { OR: [{ createdAt: { lt: q.after.createdAt } }, { createdAt: q.after.createdAt, id: { lt: q.after.id } }] }
      : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: outboxSelect,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toOutboxEntry),
    next: rows.length > q.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
