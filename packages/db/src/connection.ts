// Opens the database for either runtime: PostgreSQL when a URL is given, embedded PGlite otherwise.
// Both are reached through node-postgres and @prisma/adapter-pg, so everything above this file is
// written once.
import type { PGlite } from "@electric-sql/pglite";
import type { TDatabaseConfig } from "@lockstep/config";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { embeddedDataDir } from "./paths.ts";
import { openPglite, pglitePool } from "./pglite.ts";
import { randomUUID } from "node:crypto";
import { carryScopeWithBegin } from "./scoped.ts";
import { statementName } from "./statements.ts";

export type DatabaseRuntime = "postgres" | "pglite";

export interface Database {
  readonly runtime: DatabaseRuntime;
  readonly prisma: PrismaClient;
  /** The pool Prisma uses, for the SQL the ORM cannot express (pgvector, aggregates, DDL checks). */
  readonly pool: pg.Pool;
  /**
   * Connections for the AI interaction log's writes, which commit without waiting for the disk
   * (synchronous_commit off; docs/decisions/0001): the same pool on PGlite.
   */
  readonly logPool: pg.Pool;
  /** What the schema engine connects through (migrations, diffs, shadow databases). */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The PGlite instance in embedded mode (for data-directory dumps). */
  readonly pglite: PGlite | null;
  /** The PostgreSQL connection string (for components with pools of their own, such as the job queue); null on PGlite. */
  readonly connectionString: string | null;
  /** Where the data is, without credentials, for logs and the health check. */
  readonly location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded database is used. */
  url?: string | undefined;
  /** An already-open PGlite instance (tests, restores); owned by the caller unless `ownPglite`. */
  pglite?: PGlite;
  ownPglite?: boolean;
  /** Embedded data directory; defaults to `<data dir>/pglite`. Ignored when `url` or `pglite` is set. */
  pgliteDataDir?: string;
  /** Pool size for PostgreSQL. */
  poolMax?: number;
}

/** Opens the database the configuration names: DATABASE_URL, or the embedded one under its data directory. */
export function openDatabaseFromConfig(
  config: TDatabaseConfig,
  overrides: Omit<OpenDatabaseOptions, "url" | "pgliteDataDir"> = {},
): Promise<Database> {
  return openDatabase({
    poolMax: config.poolMax,
    ...overrides,
    url: config.url,
    pgliteDataDir: embeddedDataDir(config.dataDir),
  });
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolMax ?? 10);
  const ownsPglite = options.pglite ? (options.ownPglite ?? false) : true;
  const directory = options.pgliteDataDir ?? embeddedDataDir();
  const pglite = options.pglite ?? (await openPglite({ dataDir: directory }));
  return wrapPglite(pglite, ownsPglite, options.pglite ? "pglite (in memory)" : `pglite ${directory}`);
}

/** Prisma on a pool, with prepared statements and scope settings sent along with BEGIN. */
function prismaOn(pool: pg.Pool): PrismaClient {
  carryScopeWithBegin(pool);
  return new PrismaClient({ adapter: new PrismaPg(pool, { statementNameGenerator: statementName }) });
}

function openPostgres(url: string, poolMax: number): Database {
  // A request waits at most 10 s for a free connection (Prisma's own default wait), then fails as busy.
  const pool = new pg.Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 10_000 });
  const prisma = prismaOn(pool);
  const logPool = new pg.Pool({
    connectionString: url,
    max: Math.max(2, Math.ceil(poolMax / 4)),
    connectionTimeoutMillis: 10_000,
    options: "-c synchronous_commit=off",
  });
  // An idle connection the server ended (restart, pg_terminate_backend) is dropped by the pool and
  // replaced on the next write; unheard, the pool's "error" event would end the process.
  logPool.on("error", () => {});
  const adapterFactory = migrationAdapterFactory(pool, async () => {
    // A throwaway database on the same server, dropped when the engine is done with it.
    const name = `lockstep_shadow_${randomUUID().replaceAll("-", "")}`;
    await pool.query(`CREATE DATABASE "${name}"`);
    const shadowUrl = new URL(url);
    shadowUrl.pathname = `/${name}`;
    const shadowPool = new pg.Pool({ connectionString: shadowUrl.toString(), max: 2 });
    // Dropping the database ends any connection the engine left open; that is expected, not an error.
    shadowPool.on("error", () => {});
    return {
      pool: shadowPool,
      async dispose() {
        await shadowPool.end();
        await pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  });
  return {
    runtime: "postgres",
    prisma,
    pool,
    logPool,
    adapterFactory,
    pglite: null,
    connectionString: url,
    location: redactUrl(url),
    async close() {
      await prisma.$disconnect();
      await Promise.all([pool.end(), logPool.end()]);
    },
  };
}

function wrapPglite(pglite: PGlite, ownsPglite: boolean, location: string): Database {
  const pool = pglitePool(pglite);
  const prisma = prismaOn(pool);
  // PGlite has one database per instance, so a shadow database is a fresh in-memory instance.
  const adapterFactory = migrationAdapterFactory(pool, async () => {
    const shadow = await openPglite();
    const shadowPool = pglitePool(shadow);
    return {
      pool: shadowPool,
      async dispose() {
        await shadowPool.end();
        await shadow.close();
      },
    };
  });
  return {
    runtime: "pglite",
    prisma,
    pool,
    logPool: pool,
    adapterFactory,
    pglite,
    connectionString: null,
    location,
    async close() {
      await prisma.$disconnect();
      await pool.end();
      if (ownsPglite && !pglite.closed) await pglite.close();
    },
  };
}

interface ShadowDatabase {
  pool: pg.Pool;
  dispose(): Promise<void>;
}

/** The adapter factory the schema engine connects through, with the fixes it needs (below). */
function migrationAdapterFactory(
  pool: pg.Pool,
  openShadow: () => Promise<ShadowDatabase>,
): SqlMigrationAwareDriverAdapterFactory {
  const main = new PrismaPg(withCharAsText(pool));
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => runScriptsWhole(await main.connect()),
    async connectToShadowDb() {
      const shadow = await openShadow();
      const adapter = runScriptsWhole(await new PrismaPg(withCharAsText(shadow.pool)).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await shadow.dispose();
      };
      return adapter;
    },
  };
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const CHAR_COLUMN_MARK = "\u0000char:";

/**
 * The engine reads catalog columns of PostgreSQL's one-byte "char" type (constraint and trigger
 * kinds) once CHECK constraints exist, and @prisma/adapter-pg has no mapping for that type. The
 * pool reports such a column as text with a marked name; the adapter wrapper (`withCharColumns`)
 * removes the mark and types the column as Character, which is what the engine asks for.
 */
function withCharAsText(pool: pg.Pool): pg.Pool {
  const markCharFields = (result: unknown) => {
    for (const field of (result as pg.QueryResult | undefined)?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        field.name = CHAR_COLUMN_MARK + field.name;
      }
    }
    return result;
  };
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object) as unknown;
        if (property === "query" && typeof value === "function") {
          return (...args: unknown[]) => {
            const result = (value as (...a: unknown[]) => unknown).apply(object, args);
            return result instanceof Promise ? result.then(markCharFields) : result;
          };
        }
        if (property === "connect" && object instanceof pg.Pool) {
          return async () => wrap(await object.connect());
        }
        return typeof value === "function" ? value.bind(object) : value;
      },
    });
  return wrap(pool);
}

function withCharColumns<T extends Pick<SqlDriverAdapter, "queryRaw">>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    result.columnNames.forEach((name, index) => {
      if (name.startsWith(CHAR_COLUMN_MARK)) {
        result.columnNames[index] = name.slice(CHAR_COLUMN_MARK.length);
        result.columnTypes[index] = ColumnTypeEnum.Character;
      }
    });
    return result;
  };
  return queryable;
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it on ";", which cuts PL/pgSQL function
 * bodies apart. PostgreSQL's simple-query protocol takes the whole script at once (and runs it as
 * one implicit transaction), so send it that way.
 */
function runScriptsWhole(adapter: SqlDriverAdapter): SqlDriverAdapter {
  withCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => withCharColumns(await startTransaction(isolationLevel));
  const driver = (adapter as unknown as { underlyingDriver(): pg.Pool | pg.PoolClient }).underlyingDriver();
  const reportError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
  adapter.executeScript = async (script: string) => {
    try {
      await driver.query(script);
    } catch (error) {
      reportError(error);
    }
  };
  return adapter;
}

/** A connection string with its password replaced, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgresql://(unparseable url)";
  }
}
