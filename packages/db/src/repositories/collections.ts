// Collections: a person's named bookmark lists. Membership lives on the message
// (messages.collection_ids, see docs/architecture.md), so a message can be in several and a list is one indexed
// array-containment query.
import { Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";
import { type MessageRow, selectMessages } from "./messages.ts";

export interface CollectionRow {
  id: string;
  name: string;
  created_at: Date;
  updated_at: Date;
  message_count: number;
}

const COLLECTION_COLUMNS = Prisma.sql`c.id, c.name, c.created_at, c.updated_at,
  (SELECT count(*)::int FROM messages m JOIN sessions s ON s.id = m.session_id AND s.deleted_at IS NULL
    WHERE m.collection_ids @> ARRAY[c.id]) AS message_count`;

/** Creates a collection; null when the person already has one with that name. */
export async function createCollection(tx: ScopedTx, userId: string, name: string): Promise<CollectionRow | null> {
  const rows = await tx.$queryRaw<CollectionRow[]>`
    INSERT INTO collections AS c (user_id, name, updated_at) VALUES (${userId}, ${name}, now())
    ON CONFLICT (user_id, name) DO NOTHING
    RETURNING ${COLLECTION_COLUMNS}`;
  return rows[0] ?? null;
}

export async function findCollection(tx: ScopedTx, id: string): Promise<CollectionRow | null> {
  const rows = await tx.$queryRaw<
    CollectionRow[]
  >`SELECT ${COLLECTION_COLUMNS} FROM collections c WHERE c.id = ${id}::uuid`;
  return rows[0] ?? null;
}

export async function listCollections(tx: ScopedTx): Promise<CollectionRow[]> {
  return tx.$queryRaw<CollectionRow[]>`SELECT ${COLLECTION_COLUMNS} FROM collections c ORDER BY c.name, c.id`;
}

/** Renames; "taken" when another of the person's collections has that name. */
export async function renameCollection(
  tx: ScopedTx,
  id: string,
  name: string,
): Promise<CollectionRow | "taken" | null> {
  const clash = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM collections WHERE name = ${name} AND id <> ${id}::uuid`;
  if (clash.length) return "taken";
  const rows = await tx.$queryRaw<CollectionRow[]>`
    UPDATE collections AS c SET name = ${name}, updated_at = now() WHERE c.id = ${id}::uuid RETURNING ${COLLECTION_COLUMNS}`;
  return rows[0] ?? null;
}

/** Deletes the collection and removes its id from every message that held it. */
export async function deleteCollection(tx: ScopedTx, id: string): Promise<boolean> {
  await tx.$executeRaw`UPDATE messages SET collection_ids = array_remove(collection_ids, ${id}::uuid)
    WHERE collection_ids @> ARRAY[${id}::uuid]`;
  const deleted = await tx.$executeRaw`DELETE FROM collections WHERE id = ${id}::uuid`;
  return deleted > 0;
}

export async function addToCollection(tx: ScopedTx, collectionId: string, messageId: string): Promise<void> {
  await tx.$executeRaw`UPDATE messages SET collection_ids = array_append(collection_ids, ${collectionId}::uuid)
    WHERE id = ${messageId}::uuid AND NOT (collection_ids @> ARRAY[${collectionId}::uuid])`;
}

export async function removeFromCollection(tx: ScopedTx, collectionId: string, messageId: string): Promise<void> {
  await tx.$executeRaw`UPDATE messages SET collection_ids = array_remove(collection_ids, ${collectionId}::uuid)
    WHERE id = ${messageId}::uuid`;
}

/** The collection's messages, most recent first, keyset-paginated on (timestamp, id). */
export async function listCollectionMessages(
  tx: ScopedTx,
  collectionId: string,
  after: { time: Date; id: string } | undefined,
  limit: number,
): Promise<MessageRow[]> {
  const conditions = [Prisma.sql`m.collection_ids @> ARRAY[${collectionId}::uuid]`];
  if (after) conditions.push(Prisma.sql`(m."timestamp", m.id) < (${after.time}, ${after.id}::uuid)`);
  return tx.$queryRaw<MessageRow[]>(
    selectMessages(Prisma.join(conditions, " AND "), Prisma.sql`m."timestamp" DESC, m.id DESC`, limit),
  );
}
