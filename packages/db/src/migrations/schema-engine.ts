// Loads Prisma's schema engine (compiled to WASM) and connects it through a driver adapter. The
// Prisma CLI would download a native engine binary, which these machines cannot; the WASM build is
// the same engine, so migrations stay in Prisma's own format and `_prisma_migrations` table.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import { SCHEMA_PATH } from "../paths.ts";

type EngineModule = typeof import("@prisma/schema-engine-wasm");

/** The slice of the WebAssembly global we use (Node has it; its types live in lib.dom). */
interface WasmApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let engineModule: Promise<EngineModule> | null = null;

/** Instantiates the WASM module once per process (it is built for bundlers, so we wire it by hand). */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = bindingsPath.replace(/schema_engine_bg\.js$/, "schema_engine_bg.wasm");
    const bindings = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as EngineModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const { instance } = await wasmApi.instantiate(await readFile(wasmPath), { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return bindings;
  })();
  return engineModule;
}

export async function readSchema(): Promise<string> {
  return readFile(SCHEMA_PATH, "utf8");
}

/** Runs `work` with a schema engine connected through `adapterFactory`, and frees it after. */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine, schema: string) => Promise<T>,
): Promise<T> {
  const module = await loadEngineModule();
  const schema = await readSchema();
  const logs: string[] = [];
  const engine = await module.SchemaEngine.new(
    { datamodels: [["schema.prisma", schema]] },
    (line: string) => logs.push(line),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await work(engine, schema);
  } catch (error) {
    throw describeEngineError(error, logs);
  } finally {
    engine.free();
  }
}

/** Engine errors arrive as opaque objects; turn them into an Error that says what happened. */
function describeEngineError(error: unknown, logs: string[]): Error {
  if (error instanceof Error) return error;
  const detail = typeof error === "object" && error !== null ? JSON.stringify(error, null, 2) : String(error);
  const tail = logs.slice(-5).join("\n");
  return new Error(`schema engine failed: ${detail}${tail ? `\n--- engine log ---\n${tail}` : ""}`);
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };
