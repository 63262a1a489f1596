// One session in the sidebar: its name and status, a link to it, and its actions (rename inline, pin,
// End, which alone makes a session complete, and Move to trash, which the sidebar offers to undo).
import { SESSION_END_EXPLANATION, SESSION_NAME_MAX, type TSessionDto } from "@lockstep/contracts";
import { Menu, type MenuItem } from "@lockstep/ui/menu";
import { StatusBadge } from "@lockstep/ui/status-badge";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { sessionTitle, SESSION_TYPE_LABELS } from "./session-list.ts";
import type { SessionActions } from "./use-session-actions.ts";

export function SessionRow({
  session,
  actions,
  onError,
  onTrashed,
}: {
  session: TSessionDto;
  actions: SessionActions;
  onError: (error: unknown) => void;
  /** The session went to the trash: the sidebar offers to undo it for a while. */
  onTrashed?: (session: TSessionDto) => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const navigate = useNavigate();
  const openSessionId = useParams({ strict: false }).sessionId;
  const title = sessionTitle(session);
  const report = { onError };

  const items: MenuItem[] = [
    { label: "Rename", onSelect: () => setRenaming(true) },
    {
      label: session.isPinned ? "Unpin" : "Pin",
      onSelect: () => actions.setPinned.mutate({ id: session.id, pinned: !session.isPinned }, report),
    },
    ...(session.endedAt === null
      ? [
          {
            label: "End session",
            hint: SESSION_END_EXPLANATION,
            onSelect: () => actions.end.mutate({ id: session.id }, report),
          },
        ]
      : []),
    {
      label: "Move to trash",
      danger: true,
      onSelect: () =>
        actions.remove.mutate(
          { id: session.id },
          {
            ...report,
            // The open session went to the trash: leave it rather than keep working in a deleted session.
            onSuccess: () => {
              onTrashed?.(session);
              if (openSessionId === session.id) void navigate({ to: "/" });
            },
          },
        ),
    },
  ];

  if (renaming) {
    return (
      <li className="px-2 py-1">
        <RenameForm
          initial={session.name ?? ""}
          onCancel={() => setRenaming(false)}
          onSave={(name) => {
            setRenaming(false);
            if (name !== (session.name ?? "")) actions.rename.mutate({ id: session.id, name: name || null }, report);
          }}
        />
      </li>
    );
  }

  return (
    <li
      className="group relative flex items-center gap-1 rounded-lg pr-1 hover:bg-slate-100 dark:hover:bg-slate-800"
      data-session-id={session.id}
    >
      <Link
        to="/sessions/$sessionId"
        params={{ sessionId: session.id }}
        className="flex min-w-0 flex-1 flex-col gap-1 rounded-lg px-3 py-2 focus-visible:outline-2 focus-visible:outline-indigo-600 aria-[current=page]:bg-indigo-50 dark:aria-[current=page]:bg-indigo-950"
      >
        <span className="flex min-w-0 items-center gap-1.5">
          {session.isPinned && (
            <svg
              viewBox="0 0 20 20"
              className="size-3.5 shrink-0 text-indigo-600 dark:text-indigo-400"
              fill="currentColor"
              role="img"
              aria-label="Pinned"
            >
              <path d="M12.5 2.5l5 5-2.6.9-3.3 3.3.4 3.8-1.5 1.5-3.2-3.2L3.5 17.6l-1.1-1.1 3.8-3.8L3 9.5 4.5 8l3.8.4 3.3-3.3z" />
            </svg>
          )}
          <span className="truncate text-sm font-medium text-slate-900 dark:text-slate-100">{title}</span>
        </span>
        <span className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
          <StatusBadge status={session.status} />
          <span>{SESSION_TYPE_LABELS[session.type]}</span>
          {session.endedAt !== null && <span>· Ended</span>}
        </span>
      </Link>
      <Menu label={`Actions for ${title}`} items={items} />
    </li>
  );
}

function RenameForm({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (name: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const input = useRef<HTMLInputElement>(null);
  // Enter, Escape and leaving the field can all end the edit; only the first one counts.
  const finished = useRef(false);
  useEffect(() => input.current?.select(), []);
  const finish = (save: boolean) => {
    if (finished.current) return;
    finished.current = true;
    if (save) onSave(value.trim());
    else onCancel();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    finish(true);
  };
  return (
    <form onSubmit={submit} className="flex gap-1">
      <label className="sr-only" htmlFor="rename-session">
        New name
      </label>
      <input
        ref={input}
        id="rename-session"
        value={value}
        maxLength={SESSION_NAME_MAX}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            finish(false);
          }
        }}
        onBlur={() => finish(true)}
        className="min-w-0 flex-1 rounded-md border border-indigo-400 bg-white px-2 py-1.5 text-sm dark:bg-slate-900"
      />
    </form>
  );
}
