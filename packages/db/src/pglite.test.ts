// The embedded database: its settings (a buffer cache sized for one person's data rather than a server's,
// because it lives in the process's WASM memory, which never shrinks), and its pool's clients, which
// take turns on PGlite's one session.
import { describe, expect, it } from "vitest";
import { openDatabase } from "./connection.ts";
import { EMBEDDED_SHARED_BUFFERS, openPglite } from "./pglite.ts";

describe("openPglite", () => {
  it("starts PostgreSQL with the embedded buffer cache and its usual settings", async () => {
    const pglite = await openPglite();
    try {
      const setting = async (name: string) =>
        (await pglite.query<{ value: string }>(`SELECT current_setting($1) AS value`, [name])).rows[0]?.value;
      expect(await setting("shared_buffers")).toBe(EMBEDDED_SHARED_BUFFERS);
      // The defaults PGlite starts with are kept alongside it.
      expect(await setting("search_path")).toBe("public");
      expect(await setting("max_parallel_workers_per_gather")).toBe("0");
    } finally {
      await pglite.close();
    }
  });
});

describe("the embedded database's pool", () => {
  it("answers the query sent as soon as one has failed, and those queued behind a failure", async () => {
    const db = await openDatabase({ pglite: await openPglite(), ownPglite: true });
    const codeOf = (error: unknown) => (error as { code?: string }).code;
    /** A failing query, awaited the way callers await one, then the next query at once. */
    async function failThenQuery(): Promise<[string | undefined, unknown]> {
      let failure: string | undefined;
      try {
        await db.pool.query("SELECT * FROM no_such_table");
      } catch (error) {
        failure = codeOf(error);
      }
      const next = await db.pool.query<{ ok: boolean }>("SELECT true AS ok");
      return [failure, next.rows[0]?.ok];
    }
    try {
      expect((await db.pool.query<{ n: number }>("SELECT $1::int AS n", [0])).rows[0]?.n).toBe(0);
      // The pool drops its client after a failed query, and the next query gets a new one at once.
      expect(await failThenQuery()).toEqual(["42P01", true]);
      expect(await failThenQuery()).toEqual(["42P01", true]);
      const failed = db.pool.query("SELECT * FROM no_such_table").then(() => null, codeOf);
      const queued = [1, 2, 3].map((n) => db.pool.query<{ n: number }>("SELECT $1::int AS n", [n]));
      expect(await failed).toBe("42P01");
      expect((await Promise.all(queued)).map((result) => result.rows[0]?.n)).toEqual([1, 2, 3]);
    } finally {
      await db.close();
    }
  });

  it("rolls back the transaction of a client dropped in the middle of it", async () => {
    const db = await openDatabase({ pglite: await openPglite(), ownPglite: true });
    try {
      await db.pool.query("CREATE TABLE dropped_midway (n int)");
      const client = await db.pool.connect();
      await client.query("BEGIN");
      await client.query("INSERT INTO dropped_midway VALUES (1)");
      // Released with an error, as when its ROLLBACK failed: the pool ends it and lends a new one.
      client.release(new Error("the connection broke"));
      const next = await db.pool.connect();
      try {
        // Outside any transaction: the dropped client's row is gone, and a statement has its own start time.
        expect((await next.query("SELECT count(*)::int AS n FROM dropped_midway")).rows[0]?.n).toBe(0);
        expect(
          (await next.query("SELECT now() = statement_timestamp() AS fresh")).rows[0]?.fresh,
          "a statement outside a transaction has its own start time",
        ).toBe(true);
      } finally {
        next.release();
      }
    } finally {
      await db.close();
    }
  });

  it("knows, on a new client, the statements an earlier one prepared", async () => {
    const db = await openDatabase({ pglite: await openPglite(), ownPglite: true });
    const named = (n: number) => ({ name: "lockstep_test_double", text: "SELECT $1::int * 2 AS n", values: [n] });
    try {
      expect((await db.pool.query<{ n: number }>(named(1))).rows[0]?.n).toBe(2);
      // The pool drops that client; the statement stays prepared in PGlite's one session.
      await db.pool.query("SELECT * FROM no_such_table").catch(() => null);
      expect((await db.pool.query<{ n: number }>(named(2))).rows[0]?.n).toBe(4);
    } finally {
      await db.close();
    }
  });
});
