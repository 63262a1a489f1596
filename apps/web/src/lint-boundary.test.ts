// @vitest-environment node
// Proves the lint rule that keeps server code out of the browser apps actually fires, so a
// config edit cannot silently switch the boundary off.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
// The snippets are not files of any tsconfig, so the type-aware rules (and the type information
// they need) are left out; the boundary rule needs none.
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: {
      "@typescript-eslint/no-floating-promises": "off",
      "@typescript-eslint/no-misused-promises": "off",
      "@typescript-eslint/await-thenable": "off",
    },
  },
});

async function boundaryErrors(code: string, filePath = "apps/web/src/example.ts") {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error("ESLint returned no result");
  return result.messages.filter(
    (message) => message.ruleId === "@typescript-eslint/no-restricted-imports" || message.fatal,
  );
}

describe("client import boundary", () => {
  it("rejects a value import of the API", async () => {
    const errors = await boundaryErrors('import { appRouter } from "@lockstep/api";\nexport const r = appRouter;\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.severity).toBe(2);
    expect(errors[0]?.message).toMatch(/browser/);
  });

  it("allows a type import of the API", async () => {
    expect(
      await boundaryErrors('import type { AppRouter } from "@lockstep/api";\nexport type R = AppRouter;\n'),
    ).toEqual([]);
  });

  it("rejects the database package, even as a type", async () => {
    const errors = await boundaryErrors('import type { Database } from "@lockstep/db";\nexport type D = Database;\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.severity).toBe(2);
  });

  it("rejects Prisma and pg, even as types", async () => {
    const code =
      'import type { Prisma } from "@prisma/client";\nimport type { Pool } from "pg";\nexport type X = [Prisma.JsonValue, Pool];\n';
    expect(await boundaryErrors(code)).toHaveLength(2);
  });

  it("applies to the admin app too", async () => {
    const errors = await boundaryErrors(
      'import { createCaller } from "@lockstep/api";\nexport const c = createCaller;\n',
      "apps/admin/src/example.tsx",
    );
    expect(errors).toHaveLength(1);
  });

  it("leaves the server free to import the API", async () => {
    const errors = await boundaryErrors(
      'import { appRouter } from "@lockstep/api";\nexport const r = appRouter;\n',
      "apps/server/src/example.ts",
    );
    expect(errors).toEqual([]);
  });
});
