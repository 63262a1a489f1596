// The operators' view of calls grouped by prompt hash: the busiest prompts first, in keyset pages.
import { toEpochMs, type TAdminInteractionGroup, PROMPT_PREVIEW_MAX } from "@lockstep/contracts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { ScopedTx } from "../../scoped.ts";
import { type AiInteractionFilters, filterSql } from "./filters.ts";

/** Keyset position of the groups list: (calls desc, prompt_hash asc) of the last group of a page. */
export interface AiInteractionGroupKey {
  calls: number;
  promptHash: string;
}

interface GroupRow {
  prompt_hash: string;
  calls: number;
  errors: number;
  avg_latency: number | null;
  p95_latency: number | null;
  first_seen: Date;
  last_seen: Date;
  sample_id: string;
  prompt_preview: string | null;
}

/**
 * Calls grouped by prompt_hash (rows without one are left out), busiest first. Two steps: the page
 * of groups is chosen by counting alone (cut after grouping, with HAVING on the keyset, since a
 * group's size is only known once it is counted), then only the page's groups are measured
 * (errors, latency, first and last seen) and given their newest call, through the prompt-hash index.
 */
export async function listAiInteractionGroups(
  tx: ScopedTx,
  q: AiInteractionFilters & { after?: AiInteractionGroupKey | null | undefined; limit: number },
): Promise<{ items: TAdminInteractionGroup[]; next: AiInteractionGroupKey | null }> {
  const where = Prisma.join([...filterSql(q), Prisma.sql`i.prompt_hash IS NOT NULL`], " AND ");
  const having = q.after
    ? Prisma.sql`HAVING count(*) < ${q.after.calls} OR (count(*) = ${q.after.calls} AND i.prompt_hash > ${q.after.promptHash})`
    : Prisma.empty;
  const keys = await tx.$queryRaw<{ prompt_hash: string; calls: number }[]>`
    SELECT i.prompt_hash, count(*)::int AS calls
      FROM ai_interactions i
     WHERE ${where}
     GROUP BY i.prompt_hash
     ${having}
     ORDER BY calls DESC, i.prompt_hash ASC
     LIMIT ${q.limit + 1}`;
  const page = keys.slice(0, q.limit);
  if (page.length === 0) return { items: [], next: null };
  const hashes = page.map((key) => key.prompt_hash);
  const rows = await tx.$queryRaw<GroupRow[]>`
    WITH m AS (
      SELECT i.prompt_hash, count(*)::int AS calls,
             count(*) FILTER (WHERE i.status IN ('ERROR', 'TIMEOUT', 'ABORTED'))::int AS errors,
             avg(i.latency_ms)::float8 AS avg_latency,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY i.latency_ms) AS p95_latency,
             min(i.created_at) AS first_seen, max(i.created_at) AS last_seen
        FROM ai_interactions i
       WHERE ${where} AND i.prompt_hash = ANY(${hashes}::text[])
       GROUP BY i.prompt_hash
    )
    SELECT m.*, s.id AS sample_id, left(s.prompt_text, ${PROMPT_PREVIEW_MAX}) AS prompt_preview
      FROM m
      CROSS JOIN LATERAL (
        SELECT i.id, i.prompt_text FROM ai_interactions i
         WHERE ${where} AND i.prompt_hash = m.prompt_hash
         ORDER BY i.created_at DESC, i.id DESC
         LIMIT 1) s`;
  const byHash = new Map(rows.map((row) => [row.prompt_hash, row]));
  const items: TAdminInteractionGroup[] = [];
  for (const key of page) {
    const row = byHash.get(key.prompt_hash);
    // A group whose calls were all deleted between the two reads is left out of this page.
    if (!row) continue;
    items.push({
      promptHash: row.prompt_hash,
      calls: row.calls,
      errors: row.errors,
      avgLatencyMs: row.avg_latency,
      p95LatencyMs: row.p95_latency,
      firstSeen: toEpochMs(row.first_seen),
      lastSeen: toEpochMs(row.last_seen),
      sampleId: row.sample_id,
      promptPreview: row.prompt_preview,
    });
  }
  const last = page.at(-1);
  return { items, next: keys.length > q.limit && last ? { calls: last.calls, promptHash: last.prompt_hash } : null };
}
