// Where the repository's database files live: the Prisma schema, the migrations and the embedded data.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (where pnpm-workspace.yaml is), found from this file so commands work from any directory. */
export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, "pnpm-workspace.yaml"))) return directory;
    if (path.dirname(directory) === directory) throw new Error(`no pnpm-workspace.yaml above ${start}`);
  }
}

export const PRISMA_DIR = path.join(REPO_ROOT, "prisma");
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
export const SEED_DATA_DIR = path.join(PRISMA_DIR, "seed", "data");

/** Embedded-mode state (PGlite data directory, uploads): the configured one (LOCKSTEP_DATA_DIR) or `<repo>/.data`. */
export function dataDir(configured?: string): string {
  return path.resolve(configured ?? path.join(REPO_ROOT, ".data"));
}

/** The embedded database's data directory, under `dataDir(configured)`. */
export function embeddedDataDir(configured?: string): string {
  return path.join(dataDir(configured), "pglite");
}
