// The interaction export over real HTTP: only operators, audited with the filters, the same filters as admin.interactions.list, and files holding exactly the filtered rows (CSV and JSONL) across several keyset batches.
import type { TAppErrorBody } from "@lockstep/contracts";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_BATCH_SIZE, EXPORT_COLUMNS, EXPORT_PATH } from "./admin-export.ts";
import { Browser, freshEmail, freshIp, startServer, type TestServer } from "./testing/http.ts";

let db: TestDatabase;
let server: TestServer;
let admin: Browser;
let adminId: string;
let plain: Browser;

const BASE = Date.parse("2026-09-01T00:00:00.000Z");
/** More than two batches, so the keyset hand-over between batches is exercised. */
const N = 2 * EXPORT_BATCH_SIZE + 150;

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF inside quotes) into records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += ch;
  }
  if (field || record.length) throw new Error("the file does not end with CRLF");
  return records;
}

async function signedIn(role: "admin" | "user"): Promise<{ browser: Browser; id: string }> {
  const browser = new Browser(server.url, { ip: freshIp() });
  const email = freshEmail(role);
  expect((await browser.signUp(email)).status).toBe(200);
  const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
  if (role === "admin") await db.pool.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [rows[0]!.id]);
  return { browser, id: rows[0]!.id };
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({ db });
  const a = await signedIn("admin");
  admin = a.browser;
  adminId = a.id;
  plain = (await signedIn("user")).browser;
  await db.pool.query(
    `INSERT INTO providers (name, kind, updated_at) VALUES ('export-a', 'OPENAI_COMPATIBLE', now()), ('export-b', 'BUILTIN', now())`,
  );
  // Rows i: provider a when even, model mx every third, ERROR every fifth; one second apart, pairs tied.
  // Prompts hold what CSV must quote: commas, quotes, line breaks, and a would-be formula.
  await db.pool.query(
    `INSERT INTO ai_interactions (provider_id, model_name, operation, prompt_text, prompt_hash, request, status, latency_ms, error_message, created_at, updated_at)
     SELECT (SELECT id FROM providers WHERE name = CASE WHEN g % 2 = 0 THEN 'export-a' ELSE 'export-b' END),
            CASE WHEN g % 3 = 0 THEN 'mx' ELSE 'my' END, 'REPLY',
            CASE WHEN g % 7 = 0 THEN '=SUM(A1) "quoted", comma' || chr(13) || chr(10) || 'next line ' || g ELSE 'prompt ' || g END,
            'h' || (g % 10), '{}',
            (CASE WHEN g % 5 = 0 THEN 'ERROR' ELSE 'SUCCESS' END)::"AiInteractionStatus",
            100 + g, CASE WHEN g % 5 = 0 THEN 'failed, "badly"' END,
            $1::timestamptz + make_interval(secs => g / 2), now()
       FROM generate_series(0, $2 - 1) g`,
    [new Date(BASE), N],
  );
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

async function expectedIds(where: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT i.id FROM ai_interactions i JOIN providers p ON p.id = i.provider_id WHERE ${where} ORDER BY i.created_at DESC, i.id DESC`,
  );
  return rows.map((row) => row.id);
}

describe(`GET ${EXPORT_PATH}`, () => {
  it("answers 401 without a session and 403 to a plain user, writing no audit row", async () => {
    const anonymous = await new Browser(server.url).fetch(`${EXPORT_PATH}?format=csv`);
    expect(anonymous.status).toBe(401);
    expect((await plain.fetch(`${EXPORT_PATH}?format=csv`)).status).toBe(403);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.interactions.export'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it("exports every row, newest first, as CSV with RFC 4180 quoting across batches", async () => {
    const response = await admin.fetch(`${EXPORT_PATH}?format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=interactions-[\dT-]+Z\.csv$/);
    const records = parseCsv(await response.text());
    expect(records[0]).toEqual([...EXPORT_COLUMNS]);
    const rows = records.slice(1);
    expect(rows).toHaveLength(N);
    expect(rows.map((r) => r[0])).toEqual(await expectedIds("true"));
    const col = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);
    const tricky = rows.find((r) => r[col("promptPreview")]!.includes("quoted"))!;
    // The formula is defused with an apostrophe; quotes, comma and the line break survive quoting.
    expect(tricky[col("promptPreview")]).toMatch(/^'=SUM\(A1\) "quoted", comma\r\nnext line \d+$/);
    const failed = rows.find((r) => r[col("status")] === "error")!;
    expect(failed[col("errorMessage")]).toBe('failed, "badly"');
    expect(failed[col("latencyMs")]).toMatch(/^\d+$/);
  });

  it("applies the list's filters: the errors of one model, as JSONL", async () => {
    const response = await admin.fetch(`${EXPORT_PATH}?format=jsonl&model=mx&status=error&provider=export-a`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/\.jsonl$/);
    const lines = (await response.text()).split("\n");
    expect(lines.pop()).toBe("");
    const rows = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const expected = await expectedIds(`i.model_name = 'mx' AND i.status = 'ERROR' AND p.name = 'export-a'`);
    expect(expected.length).toBeGreaterThan(50);
    expect(rows.map((r) => r.id)).toEqual(expected);
    expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(rows.every((r) => r.modelName === "mx" && r.status === "error" && r.providerName === "export-a")).toBe(true);

    const from = BASE + 100_000;
    const to = BASE + 200_000;
    const ranged = await admin.fetch(`${EXPORT_PATH}?format=csv&from=${from}&to=${to}`);
    const ids = parseCsv(await ranged.text())
      .slice(1)
      .map((r) => r[0]);
    expect(ids).toEqual(
      await expectedIds(
        `i.created_at >= '${new Date(from).toISOString()}' AND i.created_at < '${new Date(to).toISOString()}'`,
      ),
    );
  });

  it("writes one audit row per export, with its format and filters", async () => {
    await admin.fetch(`${EXPORT_PATH}?format=jsonl&model=my&operation=reply`).then((r) => r.text());
    const { rows } = await db.pool.query<{ actor_id: string; after: unknown; entity_type: string }>(
      `SELECT actor_id, after, entity_type FROM audit_log WHERE action = 'admin.interactions.export' ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({
      actor_id: adminId,
      entity_type: "ai_interaction",
      after: { format: "jsonl", filters: { model: "my", operation: "reply" } },
    });
  });

  it("refuses bad filters with 400 naming the field, before any audit or output", async () => {
    const before = (
      await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.interactions.export'`)
    ).rows[0].n;
    for (const [query, field] of [
      ["format=xml", "format"],
      ["status=exploded", "status"],
      ["from=yesterday", "from"],
      ["from=2000&to=1000", "from"],
      ["sessionId=not-a-uuid", "sessionId"],
      ["model=a&model=b", "model"],
      ["colour=blue", "colour"],
    ] as const) {
      const response = await admin.fetch(`${EXPORT_PATH}?${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as TAppErrorBody;
      expect(body.error.data.appCode).toBe("BAD_INPUT");
      expect(Object.keys(body.error.data.fieldErrors ?? {}), query).toContain(field);
    }
    const after = (
      await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.interactions.export'`)
    ).rows[0].n;
    expect(after).toBe(before);
  });
});
