// Which extensions the migrations create, and what the refusal says to install.
import { describe, expect, it } from "vitest";
import { extensionsCreatedBy, MissingExtensionError } from "./extensions.ts";
import { readMigrationsList } from "./files.ts";

function listOf(...files: string[]) {
  return {
    baseDir: "/migrations",
    lockfile: { path: "migration_lock.toml", content: null },
    shadowDbInitScript: "",
    migrationDirectories: files.map((value, i) => ({
      path: `2026000000000${i}_m`,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value } },
    })),
  };
}

describe("extensionsCreatedBy", () => {
  it("finds pgvector and the search extensions in the real migrations", async () => {
    expect(extensionsCreatedBy(await readMigrationsList())).toEqual(["vector", "pg_trgm", "btree_gin"]);
  });

  it("reads quoted and bare names once each, and skips commented-out statements", () => {
    const list = listOf(
      'CREATE EXTENSION IF NOT EXISTS "vector";\n-- CREATE EXTENSION postgis;',
      "create extension pg_trgm;\nCREATE EXTENSION IF NOT EXISTS vector;",
    );
    expect(extensionsCreatedBy(list)).toEqual(["vector", "pg_trgm"]);
  });
});

describe("MissingExtensionError", () => {
  it("names pgvector's package for the server's major version, and the source build", () => {
    const error = new MissingExtensionError(["vector"], "15.20 (Debian 15.20-0+deb12u1)", 15, "db.example:5432/app");
    expect(error.message).toContain("db.example:5432/app");
    expect(error.message).toContain("postgresql-15-pgvector");
    expect(error.message).toContain("https://github.com/pgvector/pgvector#installation");
    expect(error.message).toContain("Nothing was applied or recorded.");
    expect(error.message).not.toContain("\n");
  });
});
