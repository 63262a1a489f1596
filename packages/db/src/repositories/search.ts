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

/**
 * How many of a person's newest matches are ranked against each other. Ranking every match of a
 * common word means reading hundreds of thousands of rows for twenty; the newest few hundred are
 * found in a few hundred index steps and are the ones a person is usually looking for.
 */
export const RANKED_WINDOW = 300;

/**
 * Where a page starts: after a hit of the ranked window (its rank, time and id), or after a hit of
 * the older matches beyond it (`rank` is then null and only time and id order them).
 */
export interface MessageSearchAfter {
  rank: number | null;
  timestamp: Date;
  id: string;
}

export interface MessageSearchQuery {
  userId: string;
  query: string;
  after?: MessageSearchAfter | undefined;
  limit: number;
}

export interface MessageHitPageRow extends MessageHitRow {
  /** True for a hit of the ranked window, false for an older match listed by time. */
  ranked: boolean;
}

/**
 * One page of a person's messages matching the query. Order, as a person reads it: the newest
 * RANKED_WINDOW matches best first (rank, then newest), then every older match newest first. Each
 * page's work is bounded by the window, whatever the word's frequency: the planner either walks
 * messages_user_recency_idx backwards with the match as a filter (common words) or takes the
 * matches from messages_search_idx and keeps the newest (rare words). Snippets are made only for
 * the page's rows.
 */
export async function searchMessages(tx: SqlReader, q: MessageSearchQuery): Promise<MessageHitPageRow[]> {
  return tx.$queryRaw<MessageHitPageRow[]>(messageSearchSql(q));
}

/** The statement searchMessages runs (exported so the benchmark prints the plan of what the app runs). */
export function messageSearchSql(q: MessageSearchQuery): Prisma.Sql {
  // The tsquery is written into each condition rather than taken from a CTE: only a condition on
  // a constant expression lets the planner use the index.
  const tsq = searchTsQuery(q.query);
  const live = Prisma.sql`JOIN sessions s ON s.id = m.session_id AND s.deleted_at IS NULL`;
  const cols = Prisma.sql`m.id, m.session_id, m.author, m.timestamp, m.text, m.search_vector`;
  let hits: Prisma.Sql;
  if (q.after && q.after.rank === null) {
    // Past the window: older matches newest first, straight from the cursor.
    hits = Prisma.sql`
      SELECT ${cols}, false AS ranked, 0::real AS sort_rank
        FROM messages m ${live}
       WHERE m.user_id = ${q.userId} AND m.search_vector @@ ${tsq}
         AND (m.timestamp, m.id) < (${q.after.timestamp}::timestamptz, ${q.after.id}::uuid)
       ORDER BY m.timestamp DESC, m.id DESC
       LIMIT ${q.limit}`;
  } else {
    const afterInWindow = q.after
      ? Prisma.sql`WHERE (w.rank, w.timestamp, w.id) < (${q.after.rank}::real, ${q.after.timestamp}::timestamptz, ${q.after.id}::uuid)`
      : Prisma.empty;
    hits = Prisma.sql`
      WITH recent AS MATERIALIZED (
        SELECT ${cols}
          FROM messages m ${live}
         WHERE m.user_id = ${q.userId} AND m.search_vector @@ ${tsq}
         ORDER BY m.timestamp DESC, m.id DESC
         LIMIT ${RANKED_WINDOW}
      ), window_page AS (
        SELECT w.* FROM (SELECT r.*, ts_rank(r.search_vector, ${tsq}) AS rank FROM recent r) w ${afterInWindow}
         ORDER BY w.rank DESC, w.timestamp DESC, w.id DESC
         LIMIT ${q.limit}
      ), edge AS (
        -- The oldest ranked hit, when the window is full: older matches follow the window.
        SELECT r.timestamp, r.id FROM recent r
         WHERE (SELECT count(*) FROM recent) = ${RANKED_WINDOW}
         ORDER BY r.timestamp, r.id LIMIT 1
      ), older AS (
        SELECT ${cols}
          FROM messages m ${live}
         WHERE m.user_id = ${q.userId} AND m.search_vector @@ ${tsq}
           AND (m.timestamp, m.id) < ((SELECT e.timestamp FROM edge e), (SELECT e.id FROM edge e))
         ORDER BY m.timestamp DESC, m.id DESC
         LIMIT ${q.limit}
      )
      SELECT id, session_id, author, timestamp, text, search_vector, true AS ranked, rank AS sort_rank FROM window_page
      UNION ALL
      SELECT o.*, false, 0::real FROM older o
       WHERE (SELECT count(*) FROM window_page) < ${q.limit}`;
  }
  return Prisma.sql`
    WITH hits AS (${hits}), page AS (
      SELECT * FROM hits ORDER BY ranked DESC, sort_rank DESC, timestamp DESC, id DESC LIMIT ${q.limit}
    )
    SELECT h.id AS message_id, h.session_id, s.name AS session_name, s.type AS session_type,
           s.status AS session_status, h.author, h.timestamp, h.ranked,
           ts_rank(h.search_vector, ${tsq}) AS rank,
           ts_headline('english', h.text, ${tsq}, ${HEADLINE_OPTIONS}) AS marked
      FROM page h
      JOIN sessions s ON s.id = h.session_id
     ORDER BY h.ranked DESC, h.sort_rank DESC, h.timestamp DESC, h.id DESC`;
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
