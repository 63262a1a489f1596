// The mail outbox: every e-mail the server sent (password reset links). Without an SMTP server this is
// where the message is delivered, so an operator can hand a person their link by another channel.
import type { TMailStatus } from "@lockstep/contracts";
import { useTRPC } from "@lockstep/ui/trpc";
import { useInfiniteQuery } from "@tanstack/react-query";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, Empty, Loading, LoadMore, PageHeader } from "../components/ui.tsx";
import { formatDateTime } from "../lib/format.ts";

const STATUS: Record<TMailStatus, { label: string; tone: "warn" | "ok" | "bad" }> = {
  logged: { label: "not sent (no SMTP)", tone: "warn" },
  sent: { label: "sent", tone: "ok" },
  failed: { label: "sending failed", tone: "bad" },
};

/** A URL inside a message, made a link an operator can copy or open. */
function withLinks(text: string) {
  return text.split(/(https?:\/\/\S+)/g).map((part, index) =>
    /^https?:\/\//.test(part) ? (
      <a key={index} href={part} className="break-all text-indigo-700 underline dark:text-indigo-300">
        {part}
      </a>
    ) : (
      part
    ),
  );
}

export function OutboxPage() {
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.admin.mail.list.infiniteQueryOptions(
      { limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Mail outbox"
        description="E-mail the server sent, newest first. Without SMTP_URL nothing leaves the server: each message is kept here and in the server log, so you can pass a reset link on yourself. Reading this page is audited."
      />
      <Card>
        {list.isPending ? (
          <Loading label="Loading mail…" />
        ) : list.isError ? (
          <ErrorNotice error={list.error} title="Cannot read the outbox" onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <Empty>No mail yet. A password reset someone asks for appears here.</Empty>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Mail">
            {rows.map((mail) => (
              <li key={mail.id} className="py-3 text-sm">
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <span className="font-medium">{mail.subject}</span>
                  <Badge tone={STATUS[mail.status].tone}>{STATUS[mail.status].label}</Badge>
                  <span className="text-xs text-slate-600 dark:text-slate-400">
                    to {mail.recipient} · {formatDateTime(mail.createdAt)}
                  </span>
                </div>
                {mail.error && <p className="mt-1 text-xs text-rose-700 dark:text-rose-300">{mail.error}</p>}
                {mail.body ? (
                  <pre className="mt-2 font-sans text-sm whitespace-pre-wrap text-slate-800 dark:text-slate-200">
                    {withLinks(mail.body)}
                  </pre>
                ) : (
                  <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                    Delivered by SMTP; the text is not kept.
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
        <LoadMore pages={list} />
      </Card>
    </>
  );
}
