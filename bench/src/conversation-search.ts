// The search part of bench:conversations: message text made of words with a natural (Zipf-like)
// spread, so some words are in most messages and most words are rare, then session.search timed
// for words across that range (p50 and p95 over every call) and the plans of the statement the app runs printed.
import { type Database, messageSearchSql } from "@lockstep/db";
import { prng } from "./timing.ts";

const WORDS = 5000;
const WORDS_PER_MESSAGE = 9;

/** Pronounceable made-up words (real English would be stemmed the same way; these cannot collide with stop words). */
export const VOCABULARY: string[] = (() => {
  const random = prng(7);
  const onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "tr", "st", "pl"];
  const vowels = ["a", "e", "i", "o", "u", "ai", "ou"];
  const seen = new Set<string>();
  while (seen.size < WORDS) {
    let word = "";
    const syllables = 2 + Math.floor(random() * 2);
    for (let i = 0; i < syllables; i++) {
      word += onsets[Math.floor(random() * onsets.length)]! + vowels[Math.floor(random() * vowels.length)]!;
    }
    seen.add(`${word}n`);
  }
  return [...seen];
})();

/**
 * SQL for one message's text: WORDS_PER_MESSAGE words, word k chosen with probability about
 * 1/(k ln WORDS) (log-uniform rank). `row` makes the subquery run per row rather than once.
 */
export function messageTextSql(words: string, row: string): string {
  // k * 0 keeps the aggregate in the subquery; row * 0 makes it run again for every row.
  return `(SELECT string_agg((${words})[floor(exp(random() * ln(${WORDS})))::int + k * 0 + ${row} * 0], ' ')
             FROM generate_series(1, ${WORDS_PER_MESSAGE}) AS k)`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface Searcher {
  session: {
    search(input: { query: string; limit?: number }): Promise<{ messages: unknown[]; nextCursor: string | null }>;
  };
}

export async function searchBench(db: Database, userId: string, caller: Searcher, runs: number): Promise<void> {
  // Words by how many of the person's messages hold them: from common to rare, plus a partial word
  // and a two-word query, as people type them.
  const picks = [3, 20, 100, 400, 1500, 4000];
  const queries = [
    ...picks.map((rank) => VOCABULARY[rank - 1] as string),
    (VOCABULARY[49] as string).slice(0, 4),
    `${VOCABULARY[9]} ${VOCABULARY[199]}`,
  ];
  const counts = await db.pool.query<{ q: string; n: string }>(
    `SELECT q, (SELECT count(*) FROM messages WHERE user_id = $1 AND search_vector @@ websearch_to_tsquery('english', q))::text AS n
       FROM unnest($2::text[]) AS q`,
    [userId, queries.filter((query) => query.includes(" ") || query.length > 4)],
  );
  const times: number[] = [];
  const perQuery: string[] = [];
  for (const query of queries) {
    for (let i = 0; i < 2; i++) await caller.session.search({ query, limit: 20 });
    const mine: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await caller.session.search({ query, limit: 20 });
      mine.push(performance.now() - start);
    }
    times.push(...mine);
    const matching = counts.rows.find((row) => row.q === query)?.n ?? "prefix";
    perQuery.push(
      `  ${JSON.stringify(query).padEnd(24)} ${String(matching).padStart(8)} matching   p50 ${percentile(mine, 50).toFixed(2)} ms   p95 ${percentile(mine, 95).toFixed(2)} ms`,
    );
  }
  console.log("\nsession.search over one person's messages (first page of 20, best first, with snippets):");
  for (const line of perQuery) console.log(line);
  const p95 = percentile(times, 95);
  console.log(
    `session.search p95 ${p95.toFixed(2)} ms, p50 ${percentile(times, 50).toFixed(2)} ms over ${times.length} calls` +
      ` (target p95 < 50 ms on PostgreSQL): ${p95 < 50 ? "met" : "NOT met"}`,
  );

  // The plans of the first page's message query (the statement searchMessages runs) for a common, a
  // middling and a rare word, as the app runs it (its role, its user).
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT set_config('role', 'lockstep_app', true), set_config('app.user_id', $1, true)", [
      userId,
    ]);
    for (const word of [VOCABULARY[2] as string, VOCABULARY[99] as string, VOCABULARY[1499] as string]) {
      const statement = messageSearchSql({ userId, query: word, limit: 21 });
      const plan = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement.text}`,
        statement.values as unknown[],
      );
      console.log(`\nplan for ${JSON.stringify(word)}:`);
      for (const row of plan.rows) console.log(`  ${row["QUERY PLAN"]}`);
    }
    await client.query("ROLLBACK");
  } finally {
    client.release();
  }
}
