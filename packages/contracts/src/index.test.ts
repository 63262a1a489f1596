import { describe, expect, it } from "vitest";
import * as contracts from "./index.ts";

// Loaded at run time only: the package's own typings deliberately know nothing about Node.
interface NodeFs {
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: "utf8"): string;
}

describe("package entry", () => {
  it("stays browser-safe: modules import only zod and each other, and touch no Node globals", async () => {
    const fs = (await import("node:fs" as string)) as NodeFs;
    const testPath = expect.getState().testPath ?? "";
    const dir = testPath.slice(0, testPath.lastIndexOf("/") + 1);
    expect(dir).toMatch(/\/src\/$/);
    const modules = fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(modules).toContain("index.ts");
    for (const file of modules) {
      const source = fs.readFileSync(dir + file, "utf8");
      const specifiers = [...source.matchAll(/\bfrom\s+"([^"]+)"/g)].map((m) => m[1]);
      for (const specifier of specifiers) expect(specifier, file).toMatch(/^(zod|\.\/[\w-]+\.ts)$/);
      expect(source, file).not.toMatch(/\b(Buffer|process|require)\s*[.(]/);
    }
  });

  it("re-exports every module", () => {
    for (const name of [
      "DATABASE_ENUMS",
      "ZTimestampCodec",
      "parseKnowledgeFile",
      "APP_ERROR_TRPC_CODE",
      "encodeCursor",
      "ZSessionDtoSchema",
      "MESSAGE_TEXT_MAX",
      "canTransition",
    ]) {
      expect(contracts, name).toHaveProperty(name);
    }
  });
});
