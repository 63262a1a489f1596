// The embedded database's settings: a buffer cache sized for one person's data rather than a server's,
// because it lives in the process's WASM memory, which never shrinks (bench:http measures the growth).
import { describe, expect, it } from "vitest";
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
