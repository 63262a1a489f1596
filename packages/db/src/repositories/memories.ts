// Memories (memory_events, docs/architecture.md): what a character remembers about a person, with the session
// and message each came from. People list and delete theirs; extraction reads a session's
// conversation and stores new ones; the prompt builder reads them back for later sessions.
import { MemoryKind, type TMemoryDto, type TMemoryKind, toEpochMs } from "@lockstep/contracts";
import { Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";

const memoryDtoSelect = {
  id: true,
  characterId: true,
  sessionId: true,
  messageId: true,
  kind: true,
  content: true,
  importance: true,
  createdAt: true,
} satisfies Prisma.MemoryEventSelect;
type MemoryDtoRow = Prisma.MemoryEventGetPayload<{ select: typeof memoryDtoSelect }>;

export function toMemoryDto(row: MemoryDtoRow): TMemoryDto {
  return { ...row, kind: MemoryKind.toWire(row.kind), createdAt: toEpochMs(row.createdAt) };
}

export interface MemoryListQuery {
  userId: string;
  characterId: string;
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** One keyset page of what a character remembers about the person, newest first. */
export async function listMemories(tx: ScopedTx, q: MemoryListQuery): Promise<TMemoryDto[]> {
  const rows = await tx.memoryEvent.findMany({
    where: {
      userId: q.userId,
      characterId: q.characterId,
      ...(q.after
        ? { OR: [{ createdAt: { lt: q.after.createdAt } }, { createdAt: q.after.createdAt, id: { lt: q.after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit,
    select: memoryDtoSelect,
  });
  return rows.map(toMemoryDto);
}

/** Forgets one memory; false when it is not the person's (row-level security hides it) or gone. */
export async function deleteMemory(tx: ScopedTx, id: string): Promise<boolean> {
  const deleted = await tx.$executeRaw`DELETE FROM memory_events WHERE id = ${id}::uuid`;
  return deleted > 0;
}

/**
 * What the prompt of a later session with the same character carries: the most important memories
 * first, then the newest, as plain sentences. Bounded, so a long history cannot crowd out the
 * conversation itself.
 */
export async function memoriesForPrompt(
  tx: ScopedTx,
  userId: string,
  characterId: string,
  limit: number,
): Promise<string[]> {
  const rows = await tx.memoryEvent.findMany({
    where: { userId, characterId },
    orderBy: [{ importance: "desc" }, { createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { content: true },
  });
  return rows.map((row) => row.content);
}

export interface MemorySourceMessage {
  id: string;
  author: "USER" | "CONTACT";
  text: string;
}

export interface MemoryExtractionInput {
  characterName: string | null;
  /** The session's messages from the person and their contact (not the coach's), oldest first. */
  conversation: MemorySourceMessage[];
  /** Everything already remembered about the person by this character. */
  remembered: string[];
}

/** What extraction reads before its model call, in one short transaction. */
export async function memoryExtractionInput(
  tx: ScopedTx,
  q: { userId: string; characterId: string; sessionId: string; messageLimit: number },
): Promise<MemoryExtractionInput> {
  const character = await tx.character.findUnique({ where: { id: q.characterId }, select: { name: true } });
  // The latest messages, put back in order: a very long session is judged by its recent part.
  const latest = await tx.message.findMany({
    where: { sessionId: q.sessionId, userId: q.userId, author: { in: ["USER", "CONTACT"] } },
    orderBy: [{ timestamp: "desc" }, { id: "desc" }],
    take: q.messageLimit,
    select: { id: true, author: true, text: true },
  });
  const remembered = await tx.memoryEvent.findMany({
    where: { userId: q.userId, characterId: q.characterId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { content: true },
  });
  return {
    characterName: character?.name ?? null,
    conversation: latest
      .reverse()
      .map((row) => ({ id: row.id, author: row.author === "CONTACT" ? "CONTACT" : "USER", text: row.text })),
    remembered: remembered.map((row) => row.content),
  };
}

/**
 * Serialises memory writes for one (person, character) until the transaction ends, so two sessions
 * ending at once cannot both store the same new memory.
 */
export async function lockMemories(tx: ScopedTx, userId: string, characterId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('lockstep.memories'), hashtext(${`${userId}:${characterId}`}))`;
}

/** Contents already remembered about the person by this character, as stored. */
export async function rememberedContents(tx: ScopedTx, userId: string, characterId: string): Promise<string[]> {
  const rows = await tx.memoryEvent.findMany({ where: { userId, characterId }, select: { content: true } });
  return rows.map((row) => row.content);
}

export interface NewMemory {
  userId: string;
  characterId: string;
  sessionId: string | null;
  messageId: string | null;
  kind: TMemoryKind;
  content: string;
}

/** Inserts the memories in order and returns them. */
export async function insertMemories(tx: ScopedTx, memories: NewMemory[]): Promise<TMemoryDto[]> {
  const stored: TMemoryDto[] = [];
  for (const memory of memories) {
    const row = await tx.memoryEvent.create({
      data: { ...memory, kind: MemoryKind.toDb(memory.kind) },
      select: memoryDtoSelect,
    });
    stored.push(toMemoryDto(row));
  }
  return stored;
}
