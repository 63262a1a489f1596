// session.search: a person's sessions by name and messages by text, best first, in keyset pages of
// message hits. Row-level security scopes every read; the owner condition also lets the index answer.
import {
  MessageAuthor,
  SessionStatus,
  SessionType,
  snippetParts,
  type TSessionSearchInput,
  type TSessionSearchResult,
  type TSnippet,
  toEpochMs,
} from "@lockstep/contracts";
import { searchMessages, searchSessionNames } from "@lockstep/db";
import { z } from "zod";
import type { UserScope } from "../scopes.ts";
import { cursorCodec, pageFrom, ZCursorIdSchema } from "./cursors.ts";

/** How many sessions matched by name come with the first page. */
const NAME_HITS = 5;

// r: the rank of a hit of the ranked window, null past it; t: its time (epoch ms, as stored).
const searchCursor = cursorCodec(
  "session.search",
  z.strictObject({ r: z.number().nonnegative().nullable(), t: z.number().int(), id: ZCursorIdSchema }),
);

export async function searchConversations(scope: UserScope, input: TSessionSearchInput): Promise<TSessionSearchResult> {
  const key = searchCursor.decode(input.cursor);
  const [names, hits] = await Promise.all([
    key
      ? Promise.resolve([])
      : scope.read((tx) => searchSessionNames(tx, { userId: scope.userId, query: input.query, limit: NAME_HITS })),
    scope.read((tx) =>
      searchMessages(tx, {
        userId: scope.userId,
        query: input.query,
        after: key ? { rank: key.r, timestamp: new Date(key.t), id: key.id } : undefined,
        limit: input.limit + 1,
      }),
    ),
  ]);
  const page = pageFrom(
    hits,
    input.limit,
    (row) => ({
      sessionId: row.session_id,
      sessionName: row.session_name,
      sessionType: SessionType.toWire(row.session_type),
      sessionStatus: SessionStatus.toWire(row.session_status),
      messageId: row.message_id,
      author: MessageAuthor.toWire(row.author),
      timestamp: toEpochMs(row.timestamp),
      snippet: snippetParts(row.marked),
      rank: Number(row.rank),
    }),
    searchCursor,
    (row) => ({ r: row.ranked ? Number(row.rank) : null, t: row.timestamp.getTime(), id: row.message_id }),
  );
  return {
    sessions: names.map((row) => ({
      sessionId: row.id,
      sessionName: row.name,
      sessionType: SessionType.toWire(row.type),
      sessionStatus: SessionStatus.toWire(row.status),
      name: row.marked ? snippetParts(row.marked) : markContained(row.name, input.query),
      lastActivity: toEpochMs(row.last_activity),
    })),
    messages: page.items,
    nextCursor: page.nextCursor,
  };
}

/** A name found by a part of a word (the trigram match): the part it contains is the highlight. */
function markContained(name: string, query: string): TSnippet {
  const at = name.toLowerCase().indexOf(query.trim().toLowerCase());
  if (at === -1 || !query.trim()) return [{ text: name, match: false }];
  const end = at + query.trim().length;
  return [
    { text: name.slice(0, at), match: false },
    { text: name.slice(at, end), match: true },
    { text: name.slice(end), match: false },
  ].filter((part) => part.text);
}
