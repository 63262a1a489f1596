// Rows owned by one person in every user-owned table, inserted as the database owner, and a snapshot to prove nobody else changed them.
import { randomUUID } from "node:crypto";
import type { Database } from "@lockstep/db";
import { z } from "zod";
import { cursorCodec } from "../../src/services/cursors.ts";

/** The kinds of row an id-like field can point at. */
export const ROW_KINDS = [
  "user",
  "auth_session",
  "session",
  "message",
  "interaction",
  "collection",
  "engagement",
  "memory_event",
  "upload",
  "ai_interaction",
  "ai_response",
] as const;
export type RowKind = (typeof ROW_KINDS)[number];

export interface OwnedData {
  userId: string;
  email: string;
  /** A unique word inside every text the rows hold: finding it in another user's answer is a leak. */
  marker: string;
  ids: Record<RowKind, string[]>;
  /** created_at of every row, in epoch ms (they share one), for cursors built from sort keys. */
  createdAtMs: number;
}

/**
 * Inserts, for `userId`: a character and provider to hang rows on (shared catalogue rows), an
 * engagement, a live and a trashed session, user/contact/AI messages, reactions, a collection the AI
 * message is bookmarked in, memories, an upload, AI interactions with responses, and a second auth
 * session. All through the owner connection, so row-level security does not shape the fixture.
 */
export async function createOwnedData(db: Database, userId: string): Promise<OwnedData> {
  const marker = `secret${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const createdAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  const id = () => randomUUID();
  const characterId = id();
  const providerId = id();
  const engagementId = id();
  const sessions = [id(), id()];
  const messages = [id(), id(), id()];
  const interactions = [id(), id()];
  const collections = [id()];
  const memories = [id()];
  const uploads = [id()];
  const aiInteractions = [id()];
  const aiResponses = [id()];
  const authSessions = [id()];
  const [s0, s1] = sessions as [string, string];
  const [m0, m1, m2] = messages as [string, string, string];
  const [ai0] = aiInteractions as [string];
  const [c0] = collections as [string];
  const user = await db.pool.query<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [userId]);
  const email = user.rows[0]?.email ?? "";
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const q = (sql: string, params: unknown[]) => client.query(sql, params);
    await q(
      `INSERT INTO characters (id, slug, name, description, system_prompt, created_at, updated_at)
       VALUES ($1, $2, $3, $3, $3, $4, $4)`,
      [characterId, `harness-${characterId}`, `Character ${marker}`, createdAt],
    );
    await q(`INSERT INTO providers (id, name, kind, created_at, updated_at) VALUES ($1, $2, 'BUILTIN', $3, $3)`, [
      providerId,
      `harness-${providerId}`,
      createdAt,
    ]);
    await q(
      `INSERT INTO engagements (id, user_id, character_id, total_sessions, total_messages, engagement_notes, created_at, updated_at)
       VALUES ($1, $2, $3, 1, 3, $4, $5, $5)`,
      [engagementId, userId, characterId, `notes ${marker}`, createdAt],
    );
    await q(
      `INSERT INTO sessions (id, user_id, type, status, name, character_id, engagement_id, created_at, updated_at, last_activity, is_pinned)
       VALUES ($1, $3, 'TEXT', 'COMPLETE', $4, $5, $6, $7, $7, $7, true),
              ($2, $3, 'SCREENSHOT', 'VERIFYING_OCR', $8, NULL, NULL, $7, $7, $7, false)`,
      [s0, s1, userId, `Session ${marker}`, characterId, engagementId, createdAt, `Trashed ${marker}`],
    );
    await q(`UPDATE sessions SET deleted_at = $2, is_active = false, ocr_result = $3 WHERE id = $1`, [
      s1,
      createdAt,
      JSON.stringify({ lines: [{ id: "l1", text: `ocr ${marker}`, author: "contact" }] }),
    ]);
    await q(
      `INSERT INTO ai_interactions (id, provider_id, model_name, operation, prompt_text, prompt_hash, request, response, status,
                                    latency_ms, user_id, session_id, ip_address, data_source, created_at, updated_at)
       VALUES ($1, $2, 'harness-model', 'REPLY', $3, $4, $5, $6, 'SUCCESS', 12, $7, $8, '10.1.2.3', 'WEB', $9, $9)`,
      [
        ai0,
        providerId,
        `prompt ${marker}`,
        `hash-${marker}`,
        JSON.stringify({ marker }),
        JSON.stringify({ marker }),
        userId,
        s0,
        createdAt,
      ],
    );
    await q(`INSERT INTO ai_responses (id, interaction_id, content, created_at) VALUES ($1, $2, $3, $4)`, [
      aiResponses[0],
      ai0,
      `response ${marker}`,
      createdAt,
    ]);
    await q(`INSERT INTO collections (id, user_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`, [
      c0,
      userId,
      `Collection ${marker}`,
      createdAt,
    ]);
    await q(
      `INSERT INTO messages (id, session_id, user_id, text, author, timestamp, collection_ids, title, tag, analysis, ai_interaction_id, created_at, updated_at)
       VALUES ($1, $4, $5, $6, 'USER', $9, '{}', NULL, NULL, NULL, NULL, $9, $9),
              ($2, $4, $5, $7, 'CONTACT', $9, '{}', NULL, NULL, NULL, NULL, $9, $9),
              ($3, $4, $5, $8, 'AI', $9, ARRAY[$10]::uuid[], $11, 'tag', $11, $12, $9, $9)`,
      [
        m0,
        m1,
        m2,
        s0,
        userId,
        `user says ${marker}`,
        `contact says ${marker}`,
        `ai says ${marker}`,
        createdAt,
        c0,
        `analysis ${marker}`,
        ai0,
      ],
    );
    await q(
      `INSERT INTO user_message_interactions (id, user_id, message_id, type, created_at)
       VALUES ($1, $3, $4, 'LIKED', $5), ($2, $3, $4, 'PINNED', $5)`,
      [interactions[0], interactions[1], userId, m2, createdAt],
    );
    await q(
      `INSERT INTO memory_events (id, user_id, character_id, session_id, message_id, kind, content, importance, created_at)
       VALUES ($1, $2, $3, $4, $5, 'FACT', $6, 3, $7)`,
      [memories[0], userId, characterId, s0, m0, `memory ${marker}`, createdAt],
    );
    await q(
      `INSERT INTO uploads (id, user_id, key, mime, bytes, width, height, sha256, created_at)
       VALUES ($1, $2, $3, 'image/png', 1024, 10, 20, $4, $5)`,
      [uploads[0], userId, `uploads/${marker}.png`, marker.padEnd(64, "0"), createdAt],
    );
    await q(
      `INSERT INTO auth_sessions (id, user_id, token, expires_at, ip_address, user_agent, created_at, updated_at)
       VALUES ($1, $2, $3, now() + interval '1 day', '10.1.2.3', $4, $5, $5)`,
      [authSessions[0], userId, `token-${marker}`, `agent ${marker}`, createdAt],
    );
    await q("COMMIT", []);
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
  return {
    userId,
    email,
    marker,
    createdAtMs: createdAt.getTime(),
    ids: {
      user: [userId],
      auth_session: authSessions,
      session: sessions,
      message: messages,
      interaction: interactions,
      collection: collections,
      engagement: [engagementId],
      memory_event: memories,
      upload: uploads,
      ai_interaction: aiInteractions,
      ai_response: aiResponses as string[],
    },
  };
}

/** Every id of the fixture, whatever its kind. */
export function allIds(data: OwnedData): string[] {
  return ROW_KINDS.flatMap((kind) => data.ids[kind]);
}

/**
 * Everything `userId` owns, plus every row of anyone else that points at it (a message in their
 * session, a reaction to their message, a bookmark into their collection), as one JSON text.
 * Equal before and after a call means the call neither changed their rows nor attached to them.
 */
export async function snapshotOwnedRows(db: Database, userId: string): Promise<string> {
  const result = await db.pool.query<{ snapshot: string }>(
    `SELECT json_build_object(
       'users', (SELECT json_agg(t ORDER BY t.id) FROM users t WHERE t.id = $1),
       'auth_sessions', (SELECT json_agg(t ORDER BY t.id) FROM auth_sessions t WHERE t.user_id = $1),
       'accounts', (SELECT json_agg(t ORDER BY t.id) FROM accounts t WHERE t.user_id = $1),
       'sessions', (SELECT json_agg(t ORDER BY t.id) FROM sessions t WHERE t.user_id = $1),
       'messages', (SELECT json_agg(t ORDER BY t.id) FROM messages t WHERE t.user_id = $1),
       'interactions', (SELECT json_agg(t ORDER BY t.id) FROM user_message_interactions t WHERE t.user_id = $1),
       'collections', (SELECT json_agg(t ORDER BY t.id) FROM collections t WHERE t.user_id = $1),
       'engagements', (SELECT json_agg(t ORDER BY t.id) FROM engagements t WHERE t.user_id = $1),
       'memory_events', (SELECT json_agg(t ORDER BY t.id) FROM memory_events t WHERE t.user_id = $1),
       'uploads', (SELECT json_agg(t ORDER BY t.id) FROM uploads t WHERE t.user_id = $1),
       'ai_interactions', (SELECT json_agg(t ORDER BY t.id) FROM ai_interactions t WHERE t.user_id = $1),
       'ai_responses', (SELECT json_agg(r ORDER BY r.id) FROM ai_responses r JOIN ai_interactions i ON i.id = r.interaction_id WHERE i.user_id = $1),
       'foreign_messages', (SELECT json_agg(m.id ORDER BY m.id) FROM messages m JOIN sessions s ON s.id = m.session_id
                             WHERE s.user_id = $1 AND m.user_id <> $1),
       'foreign_bookmarks', (SELECT json_agg(m.id ORDER BY m.id) FROM messages m
                             WHERE m.user_id <> $1 AND m.collection_ids && ARRAY(SELECT c.id FROM collections c WHERE c.user_id = $1)),
       'foreign_interactions', (SELECT json_agg(x.id ORDER BY x.id) FROM user_message_interactions x JOIN messages m ON m.id = x.message_id
                             WHERE m.user_id = $1 AND x.user_id <> $1),
       'foreign_memories', (SELECT json_agg(e.id ORDER BY e.id) FROM memory_events e
                             LEFT JOIN sessions s ON s.id = e.session_id LEFT JOIN messages m ON m.id = e.message_id
                             WHERE e.user_id <> $1 AND (s.user_id = $1 OR m.user_id = $1)),
       'foreign_ai_interactions', (SELECT json_agg(i.id ORDER BY i.id) FROM ai_interactions i JOIN sessions s ON s.id = i.session_id
                             WHERE s.user_id = $1 AND i.user_id IS DISTINCT FROM $1),
       'foreign_sessions', (SELECT json_agg(s.id ORDER BY s.id) FROM sessions s JOIN engagements e ON e.id = s.engagement_id
                             WHERE e.user_id = $1 AND s.user_id <> $1)
     )::text AS snapshot`,
    [userId],
  );
  return result.rows[0]?.snapshot ?? "";
}

// ------------------------------------------------------------------ which ids fit which field

const KIND_BY_NAME: Record<string, RowKind[]> = {
  user: ["user"],
  owner: ["user"],
  actor: ["user"],
  author: ["user"],
  authsession: ["auth_session"],
  session: ["session"],
  chat: ["session"],
  conversation: ["session"],
  episode: ["session"],
  message: ["message"],
  suggestion: ["message"],
  reply: ["message"],
  interaction: ["interaction", "ai_interaction"],
  reaction: ["interaction"],
  feedback: ["interaction"],
  collection: ["collection"],
  bookmark: ["collection"],
  engagement: ["engagement"],
  memory: ["memory_event"],
  memoryevent: ["memory_event"],
  upload: ["upload"],
  screenshot: ["upload"],
  file: ["upload"],
  aiinteraction: ["ai_interaction"],
  airesponse: ["ai_response"],
  response: ["ai_response"],
};

/** The row kind a name points at ("sessionIds" -> session), or undefined when it names no kind. */
export function kindsForName(name: string): RowKind[] | undefined {
  const stem = name
    .replace(/(_ids?|Ids?)$/, "")
    .replace(/[_-]/g, "")
    .toLowerCase();
  // Router names are plural ("sessions", "memories"), field names singular.
  return KIND_BY_NAME[stem] ?? KIND_BY_NAME[stem.replace(/ies$/, "y")] ?? KIND_BY_NAME[stem.replace(/s$/, "")];
}

/** The kinds of row a procedure's router is about ("session.create" -> session, "admin.users.get" -> user), or none. */
export function kindsForProcedure(path: string): readonly RowKind[] {
  const routers = path.split(".").slice(0, -1).reverse();
  for (const name of routers) {
    const kinds = kindsForName(name);
    if (kinds) return kinds;
  }
  return [];
}

/**
 * The kinds worth trying in a field: the one its name says (`sessionId`: sessions), else every kind
 * (`id`, `cursor`, or a name the harness does not know: trying all costs little and misses nothing).
 */
export function kindsForField(key: string): readonly RowKind[] {
  if (key === "id" || key === "ids" || key === "cursor") return ROW_KINDS;
  return kindsForName(key) ?? ROW_KINDS;
}

/**
 * Cursors built from someone's row, as the server's codec would make them for the list `list`
 * (a procedure path; session.list when not given): the keyset shapes the lists use. The codec's
 * check is no secret, so these pass it and reach the list's own validation and RLS.
 */
export function cursorsFor(id: string, createdAtMs: number, list = "session.list"): string[] {
  const forge = cursorCodec(list, z.unknown());
  return [
    forge.encode({ chunkId: id }),
    forge.encode({ t: createdAtMs, id }),
    forge.encode({ p: null, t: createdAtMs, id }),
    forge.encode({ p: 1, t: createdAtMs, id }),
  ];
}
