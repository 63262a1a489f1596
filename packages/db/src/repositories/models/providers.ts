// Providers and the model defaults: operators' reads and audited changes (keys only ever sealed),
// and the owner-side reads the AI runtime builds its provider from.
import { toEpochMs, type TModelDefaults, type TProvider } from "@lockstep/contracts";
import type { Database } from "../../connection.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import type { ScopedTx } from "../../scoped.ts";
import { type EmbeddingChoice, readReembeddingState } from "../knowledge-reembedding.ts";

const providerSelect = {
  id: true,
  name: true,
  kind: true,
  baseUrl: true,
  models: true,
  configured: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.ProviderSelect;
type ProviderRow = Prisma.ProviderGetPayload<{ select: typeof providerSelect }>;

function toProvider(row: ProviderRow, hasApiKey: boolean): TProvider {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === "BUILTIN" ? "builtin" : "openai_compatible",
    baseUrl: row.baseUrl,
    hasApiKey,
    models: row.models,
    configured: row.configured,
    createdAt: toEpochMs(row.createdAt),
    updatedAt: toEpochMs(row.updatedAt),
  };
}

/** Which providers have a key, without reading any key into the process. */
async function keyFlags(tx: ScopedTx, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM providers WHERE id::text = ANY(${ids}) AND api_key_ciphertext IS NOT NULL`;
  return new Set(rows.map((r) => r.id));
}

/** Every provider, configured ones first, then by name. */
export async function listProviders(tx: ScopedTx): Promise<TProvider[]> {
  const rows = await tx.provider.findMany({
    select: providerSelect,
    orderBy: [{ configured: "desc" }, { name: "asc" }],
  });
  const keys = await keyFlags(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toProvider(r, keys.has(r.id)));
}

export async function getProvider(tx: ScopedTx, id: string): Promise<TProvider | null> {
  const row = await tx.provider.findUnique({ where: { id }, select: providerSelect });
  if (!row) return null;
  return toProvider(row, (await keyFlags(tx, [id])).has(id));
}

export async function providerNameTaken(tx: ScopedTx, name: string, exceptId?: string): Promise<boolean> {
  const row = await tx.provider.findUnique({ where: { name }, select: { id: true } });
  return !!row && row.id !== exceptId;
}

export interface ProviderWrite {
  name: string;
  baseUrl: string;
  /** Already sealed; undefined keeps the stored one, null removes it. */
  apiKeyCiphertext?: string | null | undefined;
  models: string[];
}

export async function insertProvider(tx: ScopedTx, write: ProviderWrite): Promise<TProvider> {
  const row = await tx.provider.create({
    data: {
      name: write.name,
      kind: "OPENAI_COMPATIBLE",
      baseUrl: write.baseUrl,
      apiKeyCiphertext: write.apiKeyCiphertext ?? null,
      models: write.models,
      configured: true,
    },
    select: providerSelect,
  });
  return toProvider(row, !!write.apiKeyCiphertext);
}

export async function updateProviderRow(tx: ScopedTx, id: string, write: Partial<ProviderWrite>): Promise<TProvider> {
  const row = await tx.provider.update({
    where: { id },
    data: {
      ...(write.name !== undefined ? { name: write.name } : {}),
      ...(write.baseUrl !== undefined ? { baseUrl: write.baseUrl } : {}),
      ...(write.apiKeyCiphertext !== undefined ? { apiKeyCiphertext: write.apiKeyCiphertext } : {}),
      ...(write.models !== undefined ? { models: write.models } : {}),
      configured: true,
    },
    select: providerSelect,
  });
  return toProvider(row, (await keyFlags(tx, [id])).has(id));
}

/** Whether any logged call names the provider (such a provider cannot be deleted, only left unused). */
export async function providerHasCalls(tx: ScopedTx, id: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ found: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM ai_interactions WHERE provider_id = ${id}::uuid) AS found`;
  return rows[0]?.found ?? false;
}

export async function deleteProviderRow(tx: ScopedTx, id: string): Promise<void> {
  await tx.provider.delete({ where: { id }, select: { id: true } });
}

// ------------------------------------------------------------------ defaults

const settingsSelect = {
  chatProviderId: true,
  chatModel: true,
  embeddingProviderId: true,
  embeddingModel: true,
  visionProviderId: true,
  visionModel: true,
  updatedBy: true,
  updatedAt: true,
} satisfies Prisma.AiModelSettingsSelect;
type SettingsRow = Prisma.AiModelSettingsGetPayload<{ select: typeof settingsSelect }>;

function choice(providerId: string | null, model: string | null) {
  return providerId && model ? { providerId, model } : null;
}

function toDefaults(row: SettingsRow | null): TModelDefaults {
  if (!row) return { chat: null, embedding: null, vision: null, updatedAt: null, updatedBy: null };
  return {
    chat: choice(row.chatProviderId, row.chatModel),
    embedding: choice(row.embeddingProviderId, row.embeddingModel),
    vision: choice(row.visionProviderId, row.visionModel),
    updatedAt: toEpochMs(row.updatedAt),
    updatedBy: row.updatedBy,
  };
}

export async function getModelDefaults(tx: ScopedTx): Promise<TModelDefaults> {
  return toDefaults(await tx.aiModelSettings.findUnique({ where: { id: 1 }, select: settingsSelect }));
}

export async function saveModelDefaults(
  tx: ScopedTx,
  input: Pick<TModelDefaults, "chat" | "embedding" | "vision">,
  actorId: string | null,
): Promise<{ before: TModelDefaults; after: TModelDefaults }> {
  // Serialises concurrent saves, so each audit row's "before" is what that save replaced.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ai_model_settings'))`;
  const before = await getModelDefaults(tx);
  const data = {
    chatProviderId: input.chat?.providerId ?? null,
    chatModel: input.chat?.model ?? null,
    embeddingProviderId: input.embedding?.providerId ?? null,
    embeddingModel: input.embedding?.model ?? null,
    visionProviderId: input.vision?.providerId ?? null,
    visionModel: input.vision?.model ?? null,
    updatedBy: actorId,
  };
  const row = await tx.aiModelSettings.upsert({
    where: { id: 1 },
    create: { id: 1, ...data },
    update: data,
    select: settingsSelect,
  });
  return { before, after: toDefaults(row) };
}

/** Which defaults name a provider (it cannot be deleted while one does). */
export async function defaultsUsingProvider(tx: ScopedTx, id: string): Promise<string[]> {
  const d = await getModelDefaults(tx);
  return (["chat", "embedding", "vision"] as const).filter((k) => d[k]?.providerId === id);
}

// ------------------------------------------------------------------ runtime (owner)

export interface ProviderCredentials {
  id: string;
  name: string;
  baseUrl: string | null;
  apiKeyCiphertext: string | null;
}

/** What the AI runtime builds its providers from, read as the owner (it alone may read the sealed keys). */
export async function readModelRuntimeSettings(db: Database): Promise<{
  defaults: TModelDefaults;
  /** While the knowledge base is re-embedded, the embedding choice search still answers from. */
  servingEmbedding: EmbeddingChoice | null;
  providers: Map<string, ProviderCredentials>;
  /** Changes whenever a default or a configured provider changes (so a poll knows to rebuild). */
  version: string;
}> {
  const owner = db.prisma as unknown as ScopedTx;
  const defaults = await getModelDefaults(owner);
  const { serving } = await readReembeddingState(owner);
  const rows = await db.prisma.provider.findMany({
    where: { configured: true },
    select: { id: true, name: true, baseUrl: true, apiKeyCiphertext: true, updatedAt: true },
  });
  const providers = new Map(
    rows.map((r) => [r.id, { id: r.id, name: r.name, baseUrl: r.baseUrl, apiKeyCiphertext: r.apiKeyCiphertext }]),
  );
  const version = JSON.stringify([defaults.updatedAt, serving, rows.map((r) => [r.id, r.updatedAt.getTime()]).sort()]);
  return { defaults, servingEmbedding: serving, providers, version };
}

/** The sealed key of one provider, as the owner (for the admin test and model listing). */
export async function readProviderCredentials(db: Database, id: string): Promise<ProviderCredentials | null> {
  return db.prisma.provider.findUnique({
    where: { id },
    select: { id: true, name: true, baseUrl: true, apiKeyCiphertext: true },
  });
}

/**
 * On a database with no configured provider, records the environment's OpenAI-compatible one
 * (key sealed) and makes it the chat and embedding default; a no-op otherwise. Returns whether it wrote.
 */
export async function seedProviderFromEnvironment(
  db: Database,
  env: { name: string; baseUrl: string; apiKeyCiphertext: string | null; chatModel: string; embeddingModel: string },
): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ai_model_settings'))`;
    const configured = await tx.provider.count({ where: { configured: true } });
    if (configured > 0) return false;
    const models = [...new Set([env.chatModel, env.embeddingModel])];
    const row = await tx.provider.upsert({
      where: { name: env.name },
      create: {
        name: env.name,
        kind: "OPENAI_COMPATIBLE",
        baseUrl: env.baseUrl,
        apiKeyCiphertext: env.apiKeyCiphertext,
        models,
        configured: true,
      },
      update: {
        kind: "OPENAI_COMPATIBLE",
        baseUrl: env.baseUrl,
        apiKeyCiphertext: env.apiKeyCiphertext,
        models,
        configured: true,
      },
      select: { id: true },
    });
    await tx.aiModelSettings.upsert({
      where: { id: 1 },
      create: {
        id: 1,
        chatProviderId: row.id,
        chatModel: env.chatModel,
        embeddingProviderId: row.id,
        embeddingModel: env.embeddingModel,
        updatedBy: null,
      },
      update: {},
      select: { id: true },
    });
    return true;
  });
}

// ------------------------------------------------------------------ characters

export async function setCharacterChatModel(
  tx: ScopedTx,
  id: string,
  chatModel: string | null,
): Promise<{ before: string | null; after: string | null } | null> {
  const row = await tx.character.findUnique({ where: { id }, select: { chatModel: true } });
  if (!row) return null;
  await tx.character.update({ where: { id }, data: { chatModel }, select: { id: true } });
  return { before: row.chatModel, after: chatModel };
}

/** Character id -> chat model, for the characters that override it (read as the owner by the runtime). */
export async function readCharacterChatModels(db: Database): Promise<Map<string, string>> {
  const rows = await db.prisma.character.findMany({
    where: { chatModel: { not: null } },
    select: { id: true, chatModel: true },
  });
  return new Map(rows.flatMap((r) => (r.chatModel ? [[r.id, r.chatModel] as const] : [])));
}
