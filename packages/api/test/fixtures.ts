// Rows for the routers' integration tests, inserted as the owner (bypassing RLS) to act on, and reads of what they left.
import { randomUUID } from "node:crypto";
import type { TestDatabase } from "@lockstep/db/testing";

/** Shared catalogue rows (characters, a provider) footprints point at. */
export interface Catalogue {
  characters: { id: string; name: string }[];
  providerId: string;
}

export async function insertCatalogue(db: TestDatabase, label: string): Promise<Catalogue> {
  const characters: { id: string; name: string }[] = [];
  for (const n of [1, 2]) {
    const name = `${label} coach ${n}`;
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO characters (slug, name, description, system_prompt, updated_at) VALUES ($1, $2, 'fixture', 'be kind', now()) RETURNING id`,
      [`${label}-coach-${n}`, name],
    );
    characters.push({ id: rows[0]!.id, name });
  }
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO providers (name, kind, updated_at) VALUES ($1, 'BUILTIN', now()) RETURNING id`,
    [`${label}-provider`],
  );
  return { characters, providerId: rows[0]!.id };
}

/** Tables a person's rows live in, keyed by the column naming the person. */
export const PERSONAL_TABLES = [
  "sessions",
  "messages",
  "user_message_interactions",
  "collections",
  "engagements",
  "memory_events",
  "uploads",
  "ai_interactions",
  "auth_sessions",
  "accounts",
  "usage_daily",
  "usage_counters",
  "usage_alerts",
  "usage_limits",
] as const;
export type PersonalTable = (typeof PERSONAL_TABLES)[number];

/**
 * Per character: an engagement, a session tied to it, two messages, a like, a collection, a memory,
 * an upload, an AI interaction with a client IP; plus an auth session, a credential account, and a
 * day of usage with its call counter, alert and personal limit.
 */
export async function insertFootprint(
  db: TestDatabase,
  userId: string,
  catalogue: Catalogue,
  lastActivity: Date[] = [],
) {
  const one = async (sql: string, params: unknown[]) => (await db.pool.query<{ id: string }>(sql, params)).rows[0]!.id;
  for (const [index, character] of catalogue.characters.entries()) {
    const engagementId = await one(
      `INSERT INTO engagements (user_id, character_id, updated_at) VALUES ($1, $2, now()) RETURNING id`,
      [userId, character.id],
    );
    const sessionId = await one(
      `INSERT INTO sessions (user_id, type, character_id, engagement_id, last_activity, updated_at)
       VALUES ($1, 'TEXT', $2, $3, $4, now()) RETURNING id`,
      [userId, character.id, engagementId, lastActivity[index] ?? new Date()],
    );
    const messageIds: string[] = [];
    for (const text of ["hello", "again"]) {
      messageIds.push(
        await one(
          `INSERT INTO messages (session_id, user_id, text, author, updated_at) VALUES ($1, $2, $3, 'USER', now()) RETURNING id`,
          [sessionId, userId, text],
        ),
      );
    }
    await one(
      `INSERT INTO user_message_interactions (user_id, message_id, type) VALUES ($1, $2, 'LIKED') RETURNING id`,
      [userId, messageIds[0]],
    );
    await one(`INSERT INTO collections (user_id, name, updated_at) VALUES ($1, $2, now()) RETURNING id`, [
      userId,
      `favourites ${index}`,
    ]);
    await one(
      `INSERT INTO memory_events (user_id, character_id, session_id, message_id, kind, content) VALUES ($1, $2, $3, $4, 'FACT', 'likes tea') RETURNING id`,
      [userId, character.id, sessionId, messageIds[0]],
    );
    await one(
      `INSERT INTO uploads (user_id, key, mime, bytes, width, height, sha256) VALUES ($1, $2, 'image/png', 10, 2, 2, $3) RETURNING id`,
      [userId, `uploads/${userId}/${index}.png`, randomUUID()],
    );
    const interactionId = await one(
      `INSERT INTO ai_interactions (provider_id, model_name, operation, request, user_id, session_id, ip_address, updated_at)
       VALUES ($1, 'fixture-model', 'REPLY', '{}'::jsonb, $2, $3, '198.51.100.7', now()) RETURNING id`,
      [catalogue.providerId, userId, sessionId],
    );
    await one(`INSERT INTO ai_responses (interaction_id, content) VALUES ($1, 'a reply') RETURNING id`, [
      interactionId,
    ]);
  }
  await one(
    `INSERT INTO auth_sessions (id, user_id, token, expires_at, updated_at) VALUES ($1, $2, $3, now() + interval '1 day', now()) RETURNING id`,
    [randomUUID(), userId, randomUUID()],
  );
  await one(
    `INSERT INTO accounts (id, user_id, account_id, provider_id, password, updated_at) VALUES ($1, $2, $2, 'credential', 'not-a-hash', now()) RETURNING id`,
    [randomUUID(), userId],
  );
  await db.pool.query(
    `INSERT INTO usage_daily (day, user_id, model_name, calls, input_tokens, output_tokens, cost, unpriced_calls)
     VALUES (current_date, $1, 'fixture-model', 2, 20, 10, 0, 0)`,
    [userId],
  );
  await db.pool.query(
    `INSERT INTO usage_counters (user_id, period, period_start, calls) VALUES ($1, 'DAILY', current_date, 2)`,
    [userId],
  );
  await one(
    `INSERT INTO usage_alerts (user_id, period, metric, period_start, level, used, amount)
     VALUES ($1, 'DAILY', 'CALLS', current_date, 'SOFT', 8, 10) RETURNING id`,
    [userId],
  );
  await one(
    `INSERT INTO usage_limits (user_id, period, metric, amount, updated_at) VALUES ($1, 'DAILY', 'CALLS', 10, now()) RETURNING id`,
    [userId],
  );
}

/** How many rows each personal table holds for `userId`, as the owner sees them. */
export async function countPersonalRows(db: TestDatabase, userId: string): Promise<Record<PersonalTable, number>> {
  const counts = {} as Record<PersonalTable, number>;
  for (const table of PERSONAL_TABLES) {
    const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [
      userId,
    ]);
    counts[table] = rows[0]!.n;
  }
  return counts;
}

/** Audit rows about one entity, oldest first. */
export async function auditRows(
  db: TestDatabase,
  where: { action?: string; entityId?: string | null; actorId?: string } = {},
) {
  const { rows } = await db.pool.query<{
    actor_id: string | null;
    action: string;
    entity_type: string;
    entity_id: string | null;
    before: unknown;
    after: unknown;
    ip_address: string | null;
    request_id: string | null;
  }>(
    `SELECT actor_id, action, entity_type, entity_id, before, after, host(ip_address) AS ip_address, request_id
       FROM audit_log
      WHERE ($1::text IS NULL OR action = $1) AND ($2::boolean OR entity_id IS NOT DISTINCT FROM $3) AND ($4::text IS NULL OR actor_id = $4)
      ORDER BY created_at, id`,
    [where.action ?? null, where.entityId === undefined, where.entityId ?? null, where.actorId ?? null],
  );
  return rows;
}
