// The character catalogue (docs/decisions/0003): what people browse (active characters with their active
// templates), what a session starts from, and the operators' edits. Shared rows, no owner: people
// read them as lockstep_app, operators change them as lockstep_admin.
import type { TCharacterAdminDto, TCharacterDto, TEpisodeTemplateDto } from "@lockstep/contracts";
import { toEpochMs } from "@lockstep/contracts";
import { Prisma } from "../generated/prisma/client.ts";
import type { ScopedTx } from "../scoped.ts";

export const episodeTemplateDtoSelect = {
  id: true,
  characterId: true,
  slug: true,
  title: true,
  situation: true,
  openingLine: true,
  sortOrder: true,
  isActive: true,
} satisfies Prisma.EpisodeTemplateSelect;
type EpisodeTemplateDtoRow = Prisma.EpisodeTemplateGetPayload<{ select: typeof episodeTemplateDtoSelect }>;

// Templates in the order the catalogue shows them; the slug settles ties so the order is stable.
const TEMPLATE_ORDER = [
  { sortOrder: "asc" },
  { slug: "asc" },
] satisfies Prisma.EpisodeTemplateOrderByWithRelationInput[];

const characterBaseSelect = {
  id: true,
  slug: true,
  name: true,
  description: true,
  avatar: true,
  isActive: true,
} satisfies Prisma.CharacterSelect;

const catalogueSelect = {
  ...characterBaseSelect,
  episodeTemplates: { where: { isActive: true }, orderBy: TEMPLATE_ORDER, select: episodeTemplateDtoSelect },
} satisfies Prisma.CharacterSelect;
type CatalogueRow = Prisma.CharacterGetPayload<{ select: typeof catalogueSelect }>;

export const characterAdminSelect = {
  ...characterBaseSelect,
  systemPrompt: true,
  chatModel: true,
  createdAt: true,
  updatedAt: true,
  episodeTemplates: { orderBy: TEMPLATE_ORDER, select: episodeTemplateDtoSelect },
} satisfies Prisma.CharacterSelect;
type CharacterAdminRow = Prisma.CharacterGetPayload<{ select: typeof characterAdminSelect }>;

export function toEpisodeTemplateDto(row: EpisodeTemplateDtoRow): TEpisodeTemplateDto {
  return { ...row };
}

function toCharacterDto(row: CatalogueRow): TCharacterDto {
  const { episodeTemplates, ...character } = row;
  return { ...character, templates: episodeTemplates.map(toEpisodeTemplateDto) };
}

export function toCharacterAdminDto(row: CharacterAdminRow): TCharacterAdminDto {
  const { episodeTemplates, createdAt, updatedAt, ...character } = row;
  return {
    ...character,
    templates: episodeTemplates.map(toEpisodeTemplateDto),
    createdAt: toEpochMs(createdAt),
    updatedAt: toEpochMs(updatedAt),
  };
}

/** Active characters with their active templates, by name. */
export async function listCatalogue(tx: ScopedTx): Promise<TCharacterDto[]> {
  const rows = await tx.character.findMany({
    where: { isActive: true },
    orderBy: [{ name: "asc" }, { slug: "asc" }],
    select: catalogueSelect,
  });
  return rows.map(toCharacterDto);
}

/** One active character by slug; null for an unknown or deactivated one (the two look the same). */
export async function findCatalogueCharacter(tx: ScopedTx, slug: string): Promise<TCharacterDto | null> {
  const row = await tx.character.findFirst({ where: { slug, isActive: true }, select: catalogueSelect });
  return row ? toCharacterDto(row) : null;
}

export interface StartChoice {
  character: { id: string; name: string };
  template: { id: string; title: string } | null;
}

/**
 * What a session starts from: an active character and, if named, an active template of that very
 * character. Returns the field at fault otherwise, so the caller can say which id is wrong.
 */
export async function findStartChoice(
  tx: ScopedTx,
  characterId: string,
  episodeTemplateId: string | null,
): Promise<{ ok: true; choice: StartChoice } | { ok: false; field: "characterId" | "episodeTemplateId" }> {
  const character = await tx.character.findFirst({
    where: { id: characterId, isActive: true },
    select: { id: true, name: true },
  });
  if (!character) return { ok: false, field: "characterId" };
  if (!episodeTemplateId) return { ok: true, choice: { character, template: null } };
  const template = await tx.episodeTemplate.findFirst({
    where: { id: episodeTemplateId, characterId, isActive: true },
    select: { id: true, title: true },
  });
  if (!template) return { ok: false, field: "episodeTemplateId" };
  return { ok: true, choice: { character, template } };
}

// ------------------------------------------------------------------ operators

/** Every character, active or not, with every template, for the admin tool. */
export async function listCharactersForAdmin(tx: ScopedTx): Promise<TCharacterAdminDto[]> {
  const rows = await tx.character.findMany({
    orderBy: [{ name: "asc" }, { slug: "asc" }],
    select: characterAdminSelect,
  });
  return rows.map(toCharacterAdminDto);
}

export async function findCharacterForAdmin(tx: ScopedTx, id: string): Promise<TCharacterAdminDto | null> {
  const row = await tx.character.findUnique({ where: { id }, select: characterAdminSelect });
  return row ? toCharacterAdminDto(row) : null;
}

/**
 * Locks the row for the rest of the transaction, so the `before` an audit entry records is the
 * row the change was made to, even when two operators edit at once.
 */
async function lockRow(tx: ScopedTx, table: "characters" | "episode_templates", id: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM ${Prisma.raw(`"${table}"`)} WHERE id = ${id}::uuid FOR UPDATE`;
  return rows.length > 0;
}

export interface CatalogueChange<T> {
  before: T;
  after: T;
}

export interface NewCharacter {
  id: string;
  slug: string;
  name: string;
  description: string;
  avatar: string | null;
  systemPrompt: string;
  isActive: boolean;
}

export async function createCharacter(tx: ScopedTx, character: NewCharacter): Promise<TCharacterAdminDto> {
  const row = await tx.character.create({ data: character, select: characterAdminSelect });
  return toCharacterAdminDto(row);
}

export interface CharacterChanges {
  slug?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  avatar?: string | null | undefined;
  systemPrompt?: string | undefined;
  isActive?: boolean | undefined;
}

/** Applies the given fields (undefined ones are left alone); null for an unknown id. */
export async function updateCharacter(
  tx: ScopedTx,
  id: string,
  changes: CharacterChanges,
): Promise<CatalogueChange<TCharacterAdminDto> | null> {
  if (!(await lockRow(tx, "characters", id))) return null;
  const before = await findCharacterForAdmin(tx, id);
  if (!before) return null;
  const row = await tx.character.update({ where: { id }, data: changes, select: characterAdminSelect });
  return { before, after: toCharacterAdminDto(row) };
}

export interface NewEpisodeTemplate {
  id: string;
  characterId: string;
  slug: string;
  title: string;
  situation: string;
  openingLine: string | null;
  sortOrder: number;
  isActive: boolean;
}

/** null when the character does not exist (checked first, so the caller can name the field). */
export async function createEpisodeTemplate(
  tx: ScopedTx,
  template: NewEpisodeTemplate,
): Promise<TEpisodeTemplateDto | null> {
  if (!(await lockRow(tx, "characters", template.characterId))) return null;
  const row = await tx.episodeTemplate.create({ data: template, select: episodeTemplateDtoSelect });
  return toEpisodeTemplateDto(row);
}

export interface EpisodeTemplateChanges {
  slug?: string | undefined;
  title?: string | undefined;
  situation?: string | undefined;
  openingLine?: string | null | undefined;
  sortOrder?: number | undefined;
  isActive?: boolean | undefined;
}

export async function updateEpisodeTemplate(
  tx: ScopedTx,
  id: string,
  changes: EpisodeTemplateChanges,
): Promise<CatalogueChange<TEpisodeTemplateDto> | null> {
  if (!(await lockRow(tx, "episode_templates", id))) return null;
  const before = await tx.episodeTemplate.findUnique({ where: { id }, select: episodeTemplateDtoSelect });
  if (!before) return null;
  const row = await tx.episodeTemplate.update({ where: { id }, data: changes, select: episodeTemplateDtoSelect });
  return { before: toEpisodeTemplateDto(before), after: toEpisodeTemplateDto(row) };
}
