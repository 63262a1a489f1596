// Loads the seed data (demo users, characters with episode templates, the starter knowledge base)
// through zod schemas. Everything is validated before anything is written, and writing is
// idempotent: a row that already holds the seeded values is left untouched.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseKnowledgeFile, type TKnowledgeChunkRow } from "@lockstep/contracts";
import { z } from "zod";
import type { Database } from "../connection.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { SEED_DATA_DIR } from "../paths.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

export const DEMO_USER = { email: "demo@lockstep.local", password: "lockstep-demo", name: "Demo Person" } as const;
export const DEMO_ADMIN = { email: "admin@lockstep.local", password: "lockstep-admin", name: "Demo Admin" } as const;

const ZSlugSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase words joined by hyphens");

export const ZEpisodeTemplateSeedSchema = z.object({
  slug: ZSlugSchema,
  title: z.string().trim().min(1).max(120),
  situation: z.string().trim().min(1).max(2000),
  openingLine: z.string().trim().min(1).max(2000).optional(),
});

export const ZCharacterSeedSchema = z
  .object({
    slug: ZSlugSchema,
    name: z.string().trim().min(1).max(80),
    description: z.string().trim().min(1).max(1000),
    avatar: z.string().trim().min(1).max(16).optional(),
    systemPrompt: z.string().trim().min(1).max(8000),
    templates: z.array(ZEpisodeTemplateSeedSchema).min(1),
  })
  .superRefine((character, ctx) => {
    const seen = new Set<string>();
    character.templates.forEach((template, index) => {
      if (seen.has(template.slug)) {
        ctx.addIssue({
          code: "custom",
          path: ["templates", index, "slug"],
          message: `duplicate template slug "${template.slug}"`,
        });
      }
      seen.add(template.slug);
    });
  });

export type TCharacterSeed = z.infer<typeof ZCharacterSeedSchema>;

export interface SeedData {
  characters: TCharacterSeed[];
  knowledgeChunks: TKnowledgeChunkRow[];
}

export interface SeedProblem {
  file: string;
  /** The chunk id or character slug the problem is in, when known. */
  item: string | null;
  path: string;
  message: string;
}

export class SeedValidationError extends Error {
  constructor(readonly problems: SeedProblem[]) {
    super(
      `seed data is invalid, nothing was written:\n${problems
        .map((p) => `  ${p.file}${p.item ? ` [${p.item}]` : ""} ${p.path || "(file)"}: ${p.message}`)
        .join("\n")}`,
    );
    this.name = "SeedValidationError";
  }
}

async function readJson(file: string, problems: SeedProblem[]): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    problems.push({ file, item: null, path: "", message: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/** Reads and validates every seed file; throws SeedValidationError listing every problem found. */
export async function loadSeedData(dataDirectory: string = SEED_DATA_DIR): Promise<SeedData> {
  const problems: SeedProblem[] = [];
  const charactersFile = path.join(dataDirectory, "characters.json");
  const knowledgeFile = path.join(dataDirectory, "knowledge", "starter.json");

  const characters: TCharacterSeed[] = [];
  const rawCharacters = await readJson(charactersFile, problems);
  if (rawCharacters !== undefined) {
    const parsed = z.array(z.unknown()).safeParse(rawCharacters);
    if (!parsed.success) {
      problems.push({ file: charactersFile, item: null, path: "", message: "expected an array of characters" });
    } else {
      const slugs = new Set<string>();
      parsed.data.forEach((raw, index) => {
        const result = ZCharacterSeedSchema.safeParse(raw);
        const slug =
          typeof (raw as { slug?: unknown })?.slug === "string" ? (raw as { slug: string }).slug : `#${index}`;
        if (!result.success) {
          for (const issue of result.error.issues) {
            problems.push({ file: charactersFile, item: slug, path: issue.path.join("."), message: issue.message });
          }
          return;
        }
        if (slugs.has(result.data.slug)) {
          problems.push({ file: charactersFile, item: slug, path: "slug", message: "duplicate character slug" });
        }
        slugs.add(result.data.slug);
        characters.push(result.data);
      });
    }
  }

  let knowledgeChunks: TKnowledgeChunkRow[] = [];
  const rawKnowledge = await readJson(knowledgeFile, problems);
  if (rawKnowledge !== undefined) {
    const parsed = parseKnowledgeFile(rawKnowledge);
    if (parsed.ok) knowledgeChunks = parsed.chunks;
    else {
      for (const error of parsed.errors) {
        problems.push({
          file: knowledgeFile,
          item: error.chunkId ?? `#${error.index}`,
          path: error.path,
          message: error.message,
        });
      }
    }
  }

  if (problems.length) throw new SeedValidationError(problems);
  return { characters, knowledgeChunks };
}

export interface SeedReport {
  created: number;
  updated: number;
  unchanged: number;
}

/** Writes the seed data in one transaction. Seeding twice leaves every row as it was. */
export async function seedDatabase(db: Database, data?: SeedData): Promise<SeedReport> {
  const seed = data ?? (await loadSeedData());
  const report: SeedReport = { created: 0, updated: 0, unchanged: 0 };
  const demoUsers = await Promise.all(
    [
      { ...DEMO_USER, role: "USER" as const },
      { ...DEMO_ADMIN, role: "ADMIN" as const },
    ].map(async (user) => ({ ...user, existingHash: await existingPasswordHash(db, user.email) })),
  );
  // Hashing is slow on purpose; do it before the transaction, and only when the password changed.
  const passwordHashes = await Promise.all(
    demoUsers.map(async (user) =>
      user.existingHash && (await verifyPassword(user.existingHash, user.password))
        ? user.existingHash
        : hashPassword(user.password),
    ),
  );

  await db.prisma.$transaction(
    async (tx) => {
      for (const [index, user] of demoUsers.entries()) {
        await upsertDemoUser(tx, user, passwordHashes[index] as string, report);
      }
      for (const character of seed.characters) await upsertCharacter(tx, character, report);
      for (const chunk of seed.knowledgeChunks) await upsertKnowledgeChunk(tx, chunk, report);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return report;
}

type Tx = Prisma.TransactionClient;

async function existingPasswordHash(db: Database, email: string): Promise<string | null> {
  const account = await db.prisma.account.findFirst({
    where: { providerId: "credential", user: { email } },
    select: { password: true },
  });
  return account?.password ?? null;
}

/** Counts a write as created, updated or unchanged, updating only fields that differ. */
function changedFields<T extends Record<string, unknown>>(existing: Record<string, unknown>, wanted: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (JSON.stringify(existing[key] ?? null) !== JSON.stringify(value ?? null))
      (changes as Record<string, unknown>)[key] = value;
  }
  return changes;
}

async function upsertDemoUser(
  tx: Tx,
  user: { email: string; name: string; role: "USER" | "ADMIN" },
  passwordHash: string,
  report: SeedReport,
): Promise<void> {
  const existing = await tx.user.findUnique({ where: { email: user.email } });
  if (!existing) {
    const id = `seed-${user.role.toLowerCase()}-${user.email.split("@")[0]}`;
    await tx.user.create({
      data: {
        id,
        email: user.email,
        name: user.name,
        role: user.role,
        emailVerified: true,
        accounts: {
          create: { id: `${id}-credential`, accountId: id, providerId: "credential", password: passwordHash },
        },
      },
    });
    report.created += 1;
    return;
  }
  const changes = changedFields(existing, { name: user.name, role: user.role });
  const account = await tx.account.findFirst({ where: { userId: existing.id, providerId: "credential" } });
  const passwordChanged = account?.password !== passwordHash;
  if (Object.keys(changes).length) await tx.user.update({ where: { id: existing.id }, data: changes });
  if (passwordChanged) {
    if (account) await tx.account.update({ where: { id: account.id }, data: { password: passwordHash } });
    else {
      await tx.account.create({
        data: {
          id: `${existing.id}-credential`,
          userId: existing.id,
          accountId: existing.id,
          providerId: "credential",
          password: passwordHash,
        },
      });
    }
  }
  if (Object.keys(changes).length || passwordChanged) report.updated += 1;
  else report.unchanged += 1;
}

async function upsertCharacter(tx: Tx, character: TCharacterSeed, report: SeedReport): Promise<void> {
  const wanted = {
    name: character.name,
    description: character.description,
    avatar: character.avatar ?? null,
    systemPrompt: character.systemPrompt,
  };
  const existing = await tx.character.findUnique({ where: { slug: character.slug } });
  const characterId = existing
    ? existing.id
    : (await tx.character.create({ data: { slug: character.slug, ...wanted }, select: { id: true } })).id;
  if (!existing) report.created += 1;
  else {
    const changes = changedFields(existing, wanted);
    if (Object.keys(changes).length) {
      await tx.character.update({ where: { id: existing.id }, data: changes });
      report.updated += 1;
    } else report.unchanged += 1;
  }

  for (const [sortOrder, template] of character.templates.entries()) {
    const wantedTemplate = {
      title: template.title,
      situation: template.situation,
      openingLine: template.openingLine ?? null,
      sortOrder,
    };
    const current = await tx.episodeTemplate.findUnique({
      where: { characterId_slug: { characterId, slug: template.slug } },
    });
    if (!current) {
      await tx.episodeTemplate.create({ data: { characterId, slug: template.slug, ...wantedTemplate } });
      report.created += 1;
      continue;
    }
    const changes = changedFields(current, wantedTemplate);
    if (Object.keys(changes).length) {
      await tx.episodeTemplate.update({ where: { id: current.id }, data: changes });
      report.updated += 1;
    } else report.unchanged += 1;
  }
}

async function upsertKnowledgeChunk(tx: Tx, chunk: TKnowledgeChunkRow, report: SeedReport): Promise<void> {
  const { chunkId, ...wanted } = chunk;
  const existing = await tx.knowledgeChunk.findUnique({ where: { chunkId } });
  if (!existing) {
    await tx.knowledgeChunk.create({ data: chunk });
    report.created += 1;
    return;
  }
  const changes = changedFields(existing, wanted);
  if (Object.keys(changes).length) {
    await tx.knowledgeChunk.update({ where: { id: existing.id }, data: changes });
    report.updated += 1;
  } else report.unchanged += 1;
}
