// Search over what was said, in PostgreSQL itself: full-text matches over one person's message text
// (ranked with ts_rank, a ts_headline snippet) and over session names, with trigrams catching part of
// a name. Conditions match the indexes of the conversation_search migration exactly.
import { Prisma } from "../generated/prisma/client.ts";
import type { $Enums } from "../generated/prisma/client.ts";
import type { SqlReader } from "../scoped.ts";

/** Marks around matched words in a headline (kept in step with the contracts' SNIPPET_START/STOP). */
const HEADLINE_OPTIONS =
  'StartSel=\u0002, StopSel=\u0003, MaxWords=28, MinWords=10, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "';

/**
 * The query as a tsquery. People type as they do in any search box (`websearch_to_tsquery`: phrases
 * in quotes, `or`, `-word`); the last word, while it is still being typed, also matches as a prefix
 * ("negoti" finds "negotiation"), which plain full-text search would not.
 */
export function searchTsQuery(query: string): Prisma.Sql {
  const trimmed = query.trim();
  const last = /(?:^|\s)([\p{L}\p{N}]+)$/u.exec(trimmed);
  const insidePhrase = (trimmed.match(/"/g)?.length ?? 0) % 2 === 1;
  const word = last?.[1];
  if (!word || insidePhrase || word.toLowerCase() === "or")
    return Prisma.sql`websearch_to_tsquery('english', ${trimmed})`;
  const before = trimmed.slice(0, trimmed.length - word.length).trim();
  // to_tsquery stems the prefix as it stems indexed words, so 'negotiat:*' becomes 'negoti':*.
  const prefix = Prisma.sql`to_tsquery('english', ${`${word}:*`})`;
  if (!before) return prefix;
  // "a or b": the words before `or` are one alternative, as websearch_to_tsquery would read them.
  const alternative = /(?:^|\s)or$/i.exec(before);
  if (alternative) {
    const rest = before.slice(0, alternative.index).trim();
    return rest ? Prisma.sql`(websearch_to_tsquery('english', ${rest}) || ${prefix})` : prefix;
  }
  return Prisma.sql`(websearch_to_tsquery('english', ${before}) && ${prefix})`;
}

export interface MessageHitRow {
  message_id: string;
  session_id: string;
  session_name: string | null;
  session_type: $Enums.SessionType;
  session_status: $Enums.SessionStatus;
  author: $Enums.MessageAuthor;
  timestamp: Date;
  rank: number;
  marked: string;
}

export interface MessageSearchQuery {
  userId: string;
  query: string;
  /** The sort key of the last hit already seen: rank, then id, both descending. */
  after?: { rank: number; id: string } | undefined;
  limit: number;
}

/**
 * One page of a person's messages matching the query, best first. The owner condition and the match
 * are answered together by messages_search_idx; the snippet is made only for the page's rows.
 */
export async function searchMessages(tx: SqlReader, q: MessageSearchQuery): Promise<MessageHitRow[]> {
  // The tsquery is written into each condition rather than taken from a CTE: only a condition on
  // a constant expression lets the planner use the index.
  const tsq = searchTsQuery(q.query);
  const after = q.after
    ? Prisma.sql`AND (ts_rank(m.search_vector, ${tsq}), m.id) < (${q.after.rank}::real, ${q.after.id}::uuid)`
    : Prisma.empty;
  return tx.$queryRaw<MessageHitRow[]>`
    WITH hits AS (
      SELECT m.id, m.session_id, m.author, m.timestamp, m.text, ts_rank(m.search_vector, ${tsq}) AS rank
        FROM messages m
        JOIN sessions s ON s.id = m.session_id AND s.deleted_at IS NULL
       WHERE m.user_id = ${q.userId} AND m.search_vector @@ ${tsq} ${after}
       ORDER BY rank DESC, m.id DESC
       LIMIT ${q.limit}
    )
    SELECT h.id AS message_id, h.session_id, s.name AS session_name, s.type AS session_type,
           s.status AS session_status, h.author, h.timestamp, h.rank,
           ts_headline('english', h.text, ${tsq}, ${HEADLINE_OPTIONS}) AS marked
      FROM hits h
      JOIN sessions s ON s.id = h.session_id
     ORDER BY h.rank DESC, h.id DESC`;
}

export interface SessionNameHitRow {
  id: string;
  name: string;
  type: $Enums.SessionType;
  status: $Enums.SessionStatus;
  last_activity: Date;
  /** The name with matched words marked, when the words matched (not only a part of the name). */
  marked: string | null;
}

/** A person's live sessions whose name matches the words, or contains the text (trigram index), best first. */
export async function searchSessionNames(
  tx: SqlReader,
  q: { userId: string; query: string; limit: number },
): Promise<SessionNameHitRow[]> {
  const like = `%${q.query.trim().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  const tsq = searchTsQuery(q.query);
  const words = Prisma.sql`to_tsvector('english', coalesce(s.name, '')) @@ ${tsq}`;
  return tx.$queryRaw<SessionNameHitRow[]>`
    SELECT s.id, s.name, s.type, s.status, s.last_activity,
           CASE WHEN ${words} THEN ts_headline('english', s.name, ${tsq}, ${HEADLINE_OPTIONS}) END AS marked
      FROM sessions s
     WHERE s.user_id = ${q.userId} AND s.deleted_at IS NULL AND s.name IS NOT NULL
       AND (${words} OR s.name ILIKE ${like})
     ORDER BY (${words}) DESC, similarity(s.name, ${q.query.trim()}) DESC, s.last_activity DESC, s.id DESC
     LIMIT ${q.limit}`;
}
