// The session's history as TanStack Query holds it (keyset pages, newest page first) and the few
// edits the page makes to it: new messages go to the end, updated ones replace their old copy.
import type { TMessageDto } from "@lockstep/contracts";
import type { InfiniteData } from "@tanstack/react-query";

export type MessagePage = { items: TMessageDto[]; nextCursor: string | null };
export type MessagePages = InfiniteData<MessagePage, unknown>;

/** Messages in chronological order: pages come newest first, each page in chronological order. */
export function flattenPages(data: MessagePages | undefined): TMessageDto[] {
  if (!data) return [];
  const out: TMessageDto[] = [];
  for (let page = data.pages.length - 1; page >= 0; page--) out.push(...data.pages[page]!.items);
  return out;
}

/**
 * Adds messages at the end (or replaces a message with the same id wherever it is), keeping every
 * other message object as it was so memoised rows do not render again.
 */
export function upsertMessages(
  data: MessagePages | undefined,
  messages: readonly TMessageDto[],
): MessagePages | undefined {
  if (!data || data.pages.length === 0) return data;
  let pages = data.pages;
  const fresh: TMessageDto[] = [];
  // A send's answer can arrive after the reply it asked for has streamed in (a slow response): its
  // "pending" is then already stale, and nothing would clear it again.
  const alreadyAnswered = new Set(
    flattenPages(data)
      .filter((item) => item.author === "ai" && item.parentId)
      .map((item) => item.parentId),
  );
  for (const incoming of messages) {
    const message =
      incoming.author !== "ai" && incoming.replyStatus === "pending" && alreadyAnswered.has(incoming.id)
        ? { ...incoming, replyStatus: null, replyError: null }
        : incoming;
    let replaced = false;
    pages = pages.map((page) => {
      const index = page.items.findIndex((item) => item.id === message.id);
      if (index === -1) return page;
      replaced = true;
      const items = page.items.slice();
      items[index] = message;
      return { ...page, items };
    });
    if (!replaced && !fresh.some((item) => item.id === message.id)) fresh.push(message);
  }
  // A coach reply that arrives answers its parent: the parent is owed nothing any more (the server
  // cleared it in the same transaction; only the reply is announced).
  const answered = new Set(
    messages.filter((message) => message.author === "ai" && message.parentId).map((message) => message.parentId),
  );
  if (answered.size > 0) {
    pages = pages.map((page) =>
      page.items.some((item) => answered.has(item.id) && item.replyStatus === "pending")
        ? {
            ...page,
            items: page.items.map((item) =>
              answered.has(item.id) && item.replyStatus === "pending"
                ? { ...item, replyStatus: null, replyError: null }
                : item,
            ),
          }
        : page,
    );
  }
  if (fresh.length > 0) {
    // In time order, not arrival order: a reply can stream in before the answer to the send
    // that asked for it (say, after a retry), yet it belongs after that message.
    const [newest, ...older] = pages;
    const items = [...newest!.items, ...fresh].sort((a, b) => a.timestamp - b.timestamp);
    pages = [{ ...newest!, items }, ...older];
  }
  return { ...data, pages };
}

/**
 * A message was replaced by a new version (regenerated, or edited and resent): it and everything after
 * it leave the branch on screen. Done here rather than by reloading, so a reply that streams in
 * meanwhile is not lost to a reload that started before it was stored.
 */
export function dropFrom(data: MessagePages | undefined, messageId: string): MessagePages | undefined {
  if (!data) return data;
  const from = flattenPages(data).find((message) => message.id === messageId);
  if (!from) return data;
  const keep = (message: TMessageDto) =>
    message.timestamp < from.timestamp || (message.timestamp === from.timestamp && message.id < from.id);
  return {
    ...data,
    pages: data.pages.map((page) => (page.items.every(keep) ? page : { ...page, items: page.items.filter(keep) })),
  };
}
