// Character use cases: the public catalogue, a person's history with one character, and the
// operators' catalogue edits (audited, with slug clashes reported as conflicts naming the field).
import { randomUUID } from "node:crypto";
import type {
  TAdminCharacterCreateInput,
  TAdminCharacterUpdateInput,
  TAdminSetActiveInput,
  TAdminTemplateCreateInput,
  TAdminTemplateUpdateInput,
  TCharacterAdminDto,
  TCharacterDto,
  TCharacterSessionsInput,
  TEpisodeTemplateDto,
} from "@lockstep/contracts";
import {
  createCharacter,
  createEpisodeTemplate,
  findCatalogueCharacter,
  isUniqueViolation,
  listCatalogue,
  listCharacterSessions,
  listCharactersForAdmin,
  toSessionDto,
  updateCharacter,
  updateEpisodeTemplate,
} from "@lockstep/db";
import { AppError } from "../errors.ts";
import type { AdminScope, AnonymousScope, UserScope } from "../scopes.ts";
import { cursorCodec, pageFrom, ZTimeIdKeySchema } from "./cursors.ts";

const characterSessionsCursor = cursorCodec("character.sessions", ZTimeIdKeySchema);

// Even catalogue reads run as lockstep_app (with no user), never as the owner: the public surface
// gets exactly the grants the application has.
export function listCharacters(scope: AnonymousScope): Promise<TCharacterDto[]> {
  return scope.run((tx) => listCatalogue(tx));
}

export async function getCharacter(scope: AnonymousScope, slug: string): Promise<TCharacterDto> {
  const character = await scope.run((tx) => findCatalogueCharacter(tx, slug));
  if (!character) throw new AppError("NOT_FOUND", "No such character.", { slug });
  return character;
}

/**
 * The person's sessions with a character (docs/decisions/0003), newest first, ended ones included. A
 * character they never met, or one since deactivated, is simply an empty or finished history.
 */
export async function characterSessionsPage(scope: UserScope, input: TCharacterSessionsInput) {
  const key = characterSessionsCursor.decode(input.cursor);
  const after = key ? { createdAt: new Date(key.t), id: key.id } : undefined;
  const rows = await scope.run((tx) =>
    listCharacterSessions(tx, { userId: scope.userId, characterId: input.characterId, after, limit: input.limit + 1 }),
  );
  return pageFrom(rows, input.limit, toSessionDto, characterSessionsCursor, (row) => ({
    t: row.created_at.getTime(),
    id: row.id,
  }));
}

// ------------------------------------------------------------------ operators

const CHARACTER = "character";
const TEMPLATE = "episode_template";

const characterNotFound = (id: string) => new AppError("NOT_FOUND", `No character with id "${id}".`, { id });
const templateNotFound = (id: string) => new AppError("NOT_FOUND", `No episode template with id "${id}".`, { id });

/**
 * The only unique columns an operator can set are the slugs, so a unique violation is a slug clash.
 * The transaction (and its audit row) is already rolled back when this runs.
 */
async function slugClashAsConflict<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("CONFLICT", `slug: ${what} with that slug already exists.`, { field: "slug" });
    throw error;
  }
}

export function listCharactersAsAdmin(admin: AdminScope): Promise<TCharacterAdminDto[]> {
  return admin.read({ action: "admin.characters.list", entityType: CHARACTER, entityId: null }, (tx) =>
    listCharactersForAdmin(tx),
  );
}

export function createCharacterAsAdmin(
  admin: AdminScope,
  input: TAdminCharacterCreateInput,
): Promise<TCharacterAdminDto> {
  // The id is made here so the audit row can name the entity it created.
  const id = randomUUID();
  return slugClashAsConflict("A character", () =>
    admin.change({ action: "admin.characters.create", entityType: CHARACTER, entityId: id }, async (tx) => {
      const created = await createCharacter(tx, {
        id,
        slug: input.slug,
        name: input.name,
        description: input.description,
        avatar: input.avatar ?? null,
        systemPrompt: input.systemPrompt,
        isActive: input.isActive,
      });
      return { result: created, before: null, after: created };
    }),
  );
}

export function updateCharacterAsAdmin(
  admin: AdminScope,
  input: TAdminCharacterUpdateInput,
): Promise<TCharacterAdminDto> {
  const { id, ...changes } = input;
  return slugClashAsConflict("A character", () =>
    admin.change({ action: "admin.characters.update", entityType: CHARACTER, entityId: id }, async (tx) => {
      const change = await updateCharacter(tx, id, changes);
      if (!change) throw characterNotFound(id);
      return { result: change.after, ...change };
    }),
  );
}

/** Deactivating hides the character from the catalogue and from new starts; history stays readable. */
export function setCharacterActiveAsAdmin(admin: AdminScope, input: TAdminSetActiveInput): Promise<TCharacterAdminDto> {
  return admin.change(
    { action: "admin.characters.setActive", entityType: CHARACTER, entityId: input.id },
    async (tx) => {
      const change = await updateCharacter(tx, input.id, { isActive: input.isActive });
      if (!change) throw characterNotFound(input.id);
      return { result: change.after, ...change };
    },
  );
}

export function createTemplateAsAdmin(
  admin: AdminScope,
  input: TAdminTemplateCreateInput,
): Promise<TEpisodeTemplateDto> {
  const id = randomUUID();
  return slugClashAsConflict("This character already has a template", () =>
    admin.change({ action: "admin.templates.create", entityType: TEMPLATE, entityId: id }, async (tx) => {
      const created = await createEpisodeTemplate(tx, {
        id,
        characterId: input.characterId,
        slug: input.slug,
        title: input.title,
        situation: input.situation,
        openingLine: input.openingLine ?? null,
        sortOrder: input.sortOrder,
        isActive: input.isActive,
      });
      if (!created)
        throw new AppError("BAD_INPUT", "characterId: no character with that id.", { field: "characterId" });
      return { result: created, before: null, after: created };
    }),
  );
}

export function updateTemplateAsAdmin(
  admin: AdminScope,
  input: TAdminTemplateUpdateInput,
): Promise<TEpisodeTemplateDto> {
  const { id, ...changes } = input;
  return slugClashAsConflict("This character already has a template", () =>
    admin.change({ action: "admin.templates.update", entityType: TEMPLATE, entityId: id }, async (tx) => {
      const change = await updateEpisodeTemplate(tx, id, changes);
      if (!change) throw templateNotFound(id);
      return { result: change.after, ...change };
    }),
  );
}

export function setTemplateActiveAsAdmin(admin: AdminScope, input: TAdminSetActiveInput): Promise<TEpisodeTemplateDto> {
  return admin.change({ action: "admin.templates.setActive", entityType: TEMPLATE, entityId: input.id }, async (tx) => {
    const change = await updateEpisodeTemplate(tx, input.id, { isActive: input.isActive });
    if (!change) throw templateNotFound(input.id);
    return { result: change.after, ...change };
  });
}
