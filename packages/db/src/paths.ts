// Where the repository's database files live: the Prisma schema, the migrations and the embedded data.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file so commands work from any working directory. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export const PRISMA_DIR = path.join(REPO_ROOT, "prisma");
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
export const SEED_DATA_DIR = path.join(PRISMA_DIR, "seed", "data");

/** Embedded-mode state (PGlite data directory, uploads): `LOCKSTEP_DATA_DIR` or `<repo>/.data`. */
export function dataDir(): string {
  return path.resolve(process.env.LOCKSTEP_DATA_DIR ?? path.join(REPO_ROOT, ".data"));
}
