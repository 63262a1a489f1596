// Backs up and restores the database: pg_dump/pg_restore on PostgreSQL, a data-directory tarball on PGlite.
import { spawn } from "node:child_process";
import { constants, existsSync } from "node:fs";
import { access, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Database, DatabaseRuntime } from "./connection.ts";
import { redactUrl } from "./connection.ts";
import { embeddedDataDir } from "./paths.ts";
import { openPglite } from "./pglite.ts";

/** A failure with a message meant for the person at the terminal; the CLI prints it without a stack. */
export class BackupError extends Error {
  override name = "BackupError";
}

export interface BackupOptions {
  /** Replace the file if it exists; otherwise an existing backup is never overwritten. */
  force?: boolean;
  /** PostgreSQL only: the database to dump; defaults to the one `db`'s pool connects to. */
  url?: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  runtime: DatabaseRuntime;
  /** What was backed up, without credentials. */
  location: string;
}

export type RestoreTarget =
  | { url: string }
  | {
      /** The embedded data directory to replace (normally `embeddedDataDir()`). */
      pgliteDataDir: string;
      /** Restore even though `postmaster.pid` says a process has the directory open. */
      ignorePidFile?: boolean;
    };

export interface RestoreResult {
  file: string;
  bytes: number;
  runtime: DatabaseRuntime;
  location: string;
  /** PGlite: where the data directory that was replaced now is (kept, never deleted). */
  previousDataDir?: string;
}

/** The embedded data directory the application opens when DATABASE_URL is unset. */
export { embeddedDataDir };

/**
 * PGlite writes `postmaster.pid` while a process has the directory open and removes it on close,
 * so its presence means a running server (or one that crashed). Its PID is a placeholder, so it
 * cannot tell the two apart.
 */
export async function inspectEmbeddedDataDir(directory: string): Promise<"missing" | "in-use" | "idle"> {
  if (!existsSync(path.join(directory, "PG_VERSION"))) return "missing";
  return existsSync(path.join(directory, "postmaster.pid")) ? "in-use" : "idle";
}

export async function backupDatabase(db: Database, file: string, options: BackupOptions = {}): Promise<BackupResult> {
  const target = path.resolve(file);
  if (existsSync(target) && !options.force) {
    throw new BackupError(`${target} already exists; refusing to overwrite it (pass --force to replace it)`);
  }
  // Written aside and renamed into place, so a failed or interrupted backup never leaves a
  // truncated file where a good one is expected (or destroys the one being replaced).
  const partial = `${target}.partial-${process.pid}`;
  try {
    if (db.runtime === "postgres") {
      const url = options.url ?? (db.pool.options as { connectionString?: string }).connectionString;
      if (!url)
        throw new BackupError("cannot tell which PostgreSQL database to dump: the pool has no connection string");
      await runPostgresTool("pg_dump", ["--format=custom", "--no-password", `--file=${partial}`], url);
    } else {
      if (!db.pglite) throw new BackupError("embedded database without a PGlite instance");
      const dump = await db.pglite.dumpDataDir("gzip");
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    }
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
  const location = db.runtime === "postgres" && options.url ? redactUrl(options.url) : db.location;
  return { file: target, bytes: (await stat(target)).size, runtime: db.runtime, location };
}

/**
 * PostgreSQL: pg_restore with --clean --if-exists, so every object in the backup is dropped and
 * recreated with the backed-up rows; objects created after the backup are left alone. It runs as
 * one transaction, so a restore that fails part-way changes nothing.
 *
 * PGlite: the backup is loaded into a new directory next to the target, and only once that
 * database has started is the old directory renamed to `<dir>.before-restore-<time>` and the new
 * one put in its place. Nothing is deleted. No process may have the directory open.
 */
export async function restoreDatabase(
  target: RestoreTarget,
  file: string,
  now: Date = new Date(),
): Promise<RestoreResult> {
  const source = path.resolve(file);
  if (!existsSync(source)) throw new BackupError(`${source} does not exist`);
  const bytes = (await stat(source)).size;
  const format = await backupFormat(source);

  if ("url" in target) {
    if (format !== "pg_dump") {
      throw new BackupError(
        `${source} is not a pg_dump custom-format file` +
          (format === "pglite" ? " (it is an embedded-database backup: restore it with DATABASE_URL unset)" : ""),
      );
    }
    await runPostgresTool(
      "pg_restore",
      ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--no-password", source],
      target.url,
    );
    return { file: source, bytes, runtime: "postgres", location: redactUrl(target.url) };
  }

  if (format !== "pglite") {
    throw new BackupError(
      `${source} is not an embedded-database backup (gzip tarball)` +
        (format === "pg_dump" ? " (it is a pg_dump file: restore it with DATABASE_URL set)" : ""),
    );
  }
  const directory = path.resolve(target.pgliteDataDir);
  if ((await inspectEmbeddedDataDir(directory)) === "in-use" && !target.ignorePidFile) {
    throw new BackupError(
      `${directory} looks in use (postmaster.pid present): stop the server first. If no server is running ` +
        "(it crashed), pass --ignore-pid-file.",
    );
  }
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  const staging = `${directory}.restoring-${stamp}`;
  const previous = `${directory}.before-restore-${stamp}`;
  if (existsSync(staging) || existsSync(previous))
    throw new BackupError(`${staging} or ${previous} already exists; try again`);
  try {
    // PGlite loads a dump only into an empty directory, and starting it proves the dump is usable
    // before the current data is moved anywhere.
    const pglite = await openPglite({ dataDir: staging, loadDataDir: new Blob([await readFile(source)]) });
    try {
      await pglite.query("SELECT 1");
    } finally {
      await pglite.close();
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new BackupError(`could not load ${source} into a new data directory: ${reason}`);
  }
  const hadPrevious = existsSync(directory) && (await readdir(directory)).length > 0;
  if (hadPrevious) await rename(directory, previous);
  else await rm(directory, { recursive: true, force: true });
  try {
    await rename(staging, directory);
  } catch (error) {
    if (hadPrevious) await rename(previous, directory);
    throw error;
  }
  return {
    file: source,
    bytes,
    runtime: "pglite",
    location: `pglite ${directory}`,
    ...(hadPrevious ? { previousDataDir: previous } : {}),
  };
}

/** Tells the two backup kinds apart by their first bytes, so a mix-up fails before anything is touched. */
async function backupFormat(file: string): Promise<"pg_dump" | "pglite" | "unknown"> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(5);
    const { bytesRead } = await handle.read(head, 0, 5, 0);
    if (bytesRead === 5 && head.toString("latin1") === "PGDMP") return "pg_dump";
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "pglite";
    return "unknown";
  } finally {
    await handle.close();
  }
}

/** pg_dump or pg_restore from PATH, else the newest under /usr/lib/postgresql/<version>/bin (Debian). */
export async function findPostgresTool(name: "pg_dump" | "pg_restore"): Promise<string> {
  // PATH is the operating system's search path, not Lockstep configuration.
  // eslint-disable-next-line no-restricted-properties
  const candidates = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((directory) => path.join(directory, name));
  const versions = await readdir("/usr/lib/postgresql").catch(() => [] as string[]);
  versions
    .filter((version) => /^\d+(\.\d+)?$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .forEach((version) => candidates.push(path.join("/usr/lib/postgresql", version, "bin", name)));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next place
    }
  }
  throw new BackupError(
    `${name} not found on PATH or under /usr/lib/postgresql/*/bin: install the PostgreSQL client tools ` +
      "of the server's major version or newer (Debian: apt-get install postgresql-client)",
  );
}

/**
 * Runs a client tool against `url`. The password goes in PGPASSWORD rather than on the command
 * line, where any user could read it from the process list.
 */
async function runPostgresTool(name: "pg_dump" | "pg_restore", args: string[], url: string): Promise<void> {
  const binary = await findPostgresTool(name);
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  // The tool inherits this process's environment (PATH, locale, PG* settings) plus the password.
  // eslint-disable-next-line no-restricted-properties
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(binary, [...args, `--dbname=${parsed.toString()}`], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) {
    const message = Buffer.concat(output).toString("utf8").trim();
    throw new BackupError(`${name} failed (exit ${code}) on ${redactUrl(url)}${message ? `:\n${message}` : ""}`);
  }
}

/** "1.2 MiB" for the messages the commands print. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
