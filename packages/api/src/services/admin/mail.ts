// Operators read the mail outbox (reset links the server sent or, without SMTP, only kept); reading it is audited.
import type { TOutboxListInput, TOutboxListPage } from "@lockstep/contracts";
import { listOutboxForAdmin } from "@lockstep/db";
import type { AdminScope } from "../../scopes.ts";
import { cursorCodec, ZTimeIdKeySchema } from "../cursors.ts";

const outboxCursor = cursorCodec("admin.mail.list", ZTimeIdKeySchema);

/** Newest first. */
export async function listOutbox(scope: AdminScope, input: TOutboxListInput): Promise<TOutboxListPage> {
  const key = outboxCursor.decode(input.cursor);
  const page = await scope.read({ action: "admin.mail.list", entityType: "mail_outbox", entityId: null }, (tx) =>
    listOutboxForAdmin(tx, { after: key ? { createdAt: new Date(key.t), id: key.id } : null, limit: input.limit }),
  );
  return {
    items: page.items,
    nextCursor: page.next ? outboxCursor.encode({ t: page.next.createdAt.getTime(), id: page.next.id }) : null,
  };
}
