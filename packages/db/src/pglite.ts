// Embedded PostgreSQL: PGlite (Postgres in WASM) with pgvector, reached through node-postgres so the
// same Prisma adapter (@prisma/adapter-pg) and the same raw-SQL code serve both runtimes.
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { createPgConfig } from "@electric-sql/pglite/node-postgres";
import { vector } from "@electric-sql/pglite-pgvector";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";

export interface OpenPgliteOptions {
  /** A directory for a persistent database; omit for an in-memory one. */
  dataDir?: string;
  /** A data-directory dump (from `dumpDataDir`) to start from instead of running initdb. */
  loadDataDir?: Blob | File;
}

/** The embedded database's buffer cache (see openPglite). */
export const EMBEDDED_SHARED_BUFFERS = "32MB";

export async function openPglite(options: OpenPgliteOptions = {}): Promise<PGlite> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  return PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    // pg_trgm and btree_gin serve conversation search (see the conversation_search migration).
    extensions: { vector, pg_trgm, btree_gin },
    // The buffer cache. PostgreSQL's default, 128 MB, is sized for a server; here it lives in the
    // process's WASM memory, which never shrinks, so the process kept growing as more of the data was
    // read. An embedded database is small and the operating system caches its files behind this.
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
  });
}

/**
 * A node-postgres pool whose single connection is the PGlite instance. PGlite is one connection,
 * so the pool holds at most one client and queues the rest, which is what serialises access.
 */
export function pglitePool(db: PGlite): pg.Pool {
  /**
   * Each client gets a connection object of its own. node-postgres' PGlite config hands every client
   * the same one, and a client the pool drops after a failed query ends it with an "end" event
   * that arrives late: the next client, already using the same object, took it for its own end and
   * failed its query with "Connection terminated unexpectedly".
   */
  class PgliteClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, ...pgliteClientConfig(db) } as pg.ClientConfig);
    }

    /**
     * PGlite's one session outlives the client. A client dropped in the middle of a transaction
     * (the pool drops one whose ROLLBACK failed too) would leave the session in it, and the next
     * client's statements would run inside it; so it is rolled back here, as PostgreSQL does when a
     * connection closes. The pool lends no other client before this one has ended.
     */
    override end(): Promise<void>;
    override end(callback: (error: Error) => void): void;
    override end(callback?: (error: Error) => void): Promise<void> | void {
      const ended = this.rollBackLeftTransaction().then(() => super.end());
      if (!callback) return ended;
      ended.then(() => callback(undefined as unknown as Error), callback);
    }

    private async rollBackLeftTransaction(): Promise<void> {
      try {
        if (db.isInTransaction()) await db.exec("ROLLBACK");
      } catch {
        // A closed database or a failed ROLLBACK leaves nothing better to do: the client ends either way.
      }
    }
  }
  return new pg.Pool({ Client: PgliteClient, max: 1 });
}

/** The statements PGlite's one session has prepared, as node-postgres records them on a connection. */
interface PreparedStatements {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}

/** Per PGlite instance: every connection object on it speaks to the same session. */
const preparedByDatabase = new WeakMap<PGlite, PreparedStatements>();

/** node-postgres' client settings for PGlite, with a connection of the client's own carrying the fixes below. */
function pgliteClientConfig(db: PGlite): ReturnType<typeof createPgConfig> {
  const config = createPgConfig(db);
  const connection = config.connection as unknown as PreparedStatements & {
    parse: (query: { text?: unknown; types?: unknown }) => void;
    bind: (config: { values?: unknown[] }) => void;
    query: (text: unknown) => void;
  };
  // A statement one client prepared stays prepared in the session after that client is gone: the
  // next client must know it, or it prepares it again and PGlite answers "already exists".
  let prepared = preparedByDatabase.get(db);
  if (!prepared) {
    prepared = { parsedStatements: {}, submittedNamedStatements: {} };
    preparedByDatabase.set(db, prepared);
  }
  connection.parsedStatements = prepared.parsedStatements;
  connection.submittedNamedStatements = prepared.submittedNamedStatements;
  // node-postgres hands its type-parser object to `parse` as `types`; the real wire serializer
  // ignores it, PGlite's iterates it. Only an array of parameter type OIDs belongs there.
  const parse = connection.parse.bind(connection);
  connection.parse = (query) =>
    parse({ ...query, text: wellFormed(query.text), types: Array.isArray(query.types) ? query.types : undefined });
  // PGlite's bundled serializer miscounts the bytes of an unpaired surrogate, which corrupts the
  // message and breaks the connection for the queries after it; the real server only rejects the
  // text. Send well-formed strings (an unpaired surrogate becomes U+FFFD, as TextEncoder would).
  const bind = connection.bind.bind(connection);
  connection.bind = (config) =>
    bind({ ...config, values: config.values?.map((value) => (typeof value === "string" ? wellFormed(value) : value)) });
  const query = connection.query.bind(connection);
  connection.query = (text) => query(wellFormed(text));
  return config;
}

function wellFormed<T>(value: T): T {
  return typeof value === "string" ? ((value as unknown as { toWellFormed(): string }).toWellFormed() as T) : value;
}
