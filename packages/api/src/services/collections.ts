// Collection use cases: a person's named bookmark lists of messages.
import type { TCollectionDto } from "@lockstep/contracts";
import {
  addToCollection,
  createCollection,
  deleteCollection,
  findCollection,
  findMessage,
  listCollectionMessages,
  listCollections,
  removeFromCollection,
  renameCollection,
  type ScopedTx,
  toCollectionDto,
  toMessageDto,
} from "@lockstep/db";
import { AppError } from "../errors.ts";
import type { UserScope } from "../scopes.ts";
import { cursorCodec, pageFrom, ZTimeIdKeySchema } from "./cursors.ts";

const collectionMessagesCursor = cursorCodec("collection.messages", ZTimeIdKeySchema);

const noCollection = () => new AppError("NOT_FOUND", "No such collection.");
const nameTaken = () => new AppError("CONFLICT", "You already have a collection with that name.", { field: "name" });

export async function createNamedCollection(scope: UserScope, name: string): Promise<TCollectionDto> {
  const row = await scope.run((tx) => createCollection(tx, scope.userId, name));
  if (!row) throw nameTaken();
  return toCollectionDto(row);
}

export async function renameNamedCollection(scope: UserScope, id: string, name: string): Promise<TCollectionDto> {
  const result = await scope.run((tx) => renameCollection(tx, id, name));
  if (result === "taken") throw nameTaken();
  if (!result) throw noCollection();
  return toCollectionDto(result);
}

export async function deleteNamedCollection(scope: UserScope, id: string): Promise<{ id: string; deleted: true }> {
  const deleted = await scope.run((tx) => deleteCollection(tx, id));
  if (!deleted) throw noCollection();
  return { id, deleted: true };
}

export async function listNamedCollections(scope: UserScope): Promise<TCollectionDto[]> {
  return (await scope.run((tx) => listCollections(tx))).map(toCollectionDto);
}

async function messageDto(tx: ScopedTx, messageId: string) {
  const row = await findMessage(tx, messageId);
  if (!row) throw new AppError("NOT_FOUND", "No such message.");
  return toMessageDto(row);
}

async function requireBoth(tx: ScopedTx, collectionId: string, messageId: string) {
  if (!(await findCollection(tx, collectionId))) throw noCollection();
  if (!(await findMessage(tx, messageId))) throw new AppError("NOT_FOUND", "No such message.");
}

export async function addMessageToCollection(scope: UserScope, collectionId: string, messageId: string) {
  return scope.run(async (tx) => {
    await requireBoth(tx, collectionId, messageId);
    await addToCollection(tx, collectionId, messageId);
    return messageDto(tx, messageId);
  });
}

export async function removeMessageFromCollection(scope: UserScope, collectionId: string, messageId: string) {
  return scope.run(async (tx) => {
    await requireBoth(tx, collectionId, messageId);
    await removeFromCollection(tx, collectionId, messageId);
    return messageDto(tx, messageId);
  });
}

export async function collectionMessagesPage(
  scope: UserScope,
  input: { collectionId: string; cursor?: string | null | undefined; limit: number },
) {
  const key = collectionMessagesCursor.decode(input.cursor);
  const after = key ? { time: new Date(key.t), id: key.id } : undefined;
  const rows = await scope.run(async (tx) => {
    if (!(await findCollection(tx, input.collectionId))) throw noCollection();
    return listCollectionMessages(tx, input.collectionId, after, input.limit + 1);
  });
  return pageFrom(rows, input.limit, toMessageDto, collectionMessagesCursor, (row) => ({
    t: row.timestamp.getTime(),
    id: row.id,
  }));
}
