// One message of the history, with Retry under a person's message whose reply failed. Memoised on the
// message object, so a new token, a new message or a reaction elsewhere renders no other row.
import type { TMessageDto } from "@lockstep/contracts";
import { memo, useState } from "react";
import { MessageActions, MessageEditor } from "./message-actions.tsx";
import { Markdown } from "./markdown.tsx";
import { ReplyFailed } from "./reply-failed.tsx";
import { SuggestionCard } from "./suggestion-card.tsx";

const AUTHOR_LABEL = { user: "You", contact: "Them", ai: "Coach" } as const;

export function Bubble({
  author,
  text,
  footer,
}: {
  author: TMessageDto["author"];
  text: string;
  footer?: React.ReactNode;
}) {
  const mine = author === "user";
  const tone =
    author === "user"
      ? "bg-indigo-600 text-white"
      : author === "contact"
        ? "bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100"
        : "border border-indigo-100 bg-indigo-50 text-slate-900 dark:border-indigo-900 dark:bg-indigo-950/60 dark:text-slate-100";
  return (
    <div className={`flex ${mine ? "justify-end" : "justify-start"}`}>
      <div className={`max-w-[85%] sm:max-w-[75%] ${mine ? "items-end" : "items-start"} flex flex-col`}>
        <span className="mb-0.5 px-1 text-xs text-slate-500 dark:text-slate-400">{AUTHOR_LABEL[author]}</span>
        {author === "ai" ? (
          // The coach writes markdown; what a person wrote is shown exactly as typed.
          <div className={`min-w-0 rounded-2xl px-3.5 py-2 text-[15px] leading-relaxed ${tone}`}>
            <Markdown text={text} />
          </div>
        ) : (
          <p className={`rounded-2xl px-3.5 py-2 text-[15px] leading-relaxed break-words whitespace-pre-wrap ${tone}`}>
            {text}
          </p>
        )}
        {footer}
      </div>
    </div>
  );
}

export const MessageRow = memo(function MessageRow({
  message,
  onUpdated,
}: {
  message: TMessageDto;
  onUpdated: (message: TMessageDto) => void;
}) {
  const [editing, setEditing] = useState(false);
  if (message.author === "ai" && message.title !== null) {
    return <SuggestionCard message={message} onUpdated={onUpdated} />;
  }
  if (editing) {
    return (
      <div data-message-id={message.id} data-author={message.author} data-editing className="flex justify-end">
        <MessageEditor message={message} onDone={() => setEditing(false)} />
      </div>
    );
  }
  return (
    <div data-message-id={message.id} data-author={message.author} data-stopped={message.stopped || undefined}>
      <Bubble
        author={message.author}
        text={message.text}
        footer={
          <>
            {message.builtIn ? (
              <span className="mt-0.5 px-1 text-[11px] text-slate-500 dark:text-slate-400">Built-in offline coach</span>
            ) : null}
            <MessageActions
              message={message}
              {...(message.author === "ai" ? {} : { onEdit: () => setEditing(true) })}
            />
            {message.replyStatus === "failed" ? <ReplyFailed message={message} onUpdated={onUpdated} /> : null}
          </>
        }
      />
    </div>
  );
});
