// Checks a live database against what the code expects of it (`pnpm db:verify`), reading the catalogs rather than trusting the migration history.
import { DATABASE_ENUMS } from "@lockstep/contracts";
import type pg from "pg";
import type { Database, DatabaseRuntime } from "./connection.ts";
import { migrationStatus } from "./migrations/index.ts";

export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail: string;
  rows?: unknown[];
}

export interface VerifyReport {
  ok: boolean;
  runtime: DatabaseRuntime;
  /** Where the data is, without credentials. */
  location: string;
  checks: VerifyCheck[];
  /** Rows per table of the public schema, `_prisma_migrations` left out. */
  counts: Record<string, number>;
}

/** An index the queries of the seeds rely on, described by what it covers rather than by its name. */
export interface ExpectedIndex {
  table: string;
  /** null for an expression (the words of a text, in a full-text index). */
  columns: readonly (string | null)[];
  method: "btree" | "hnsw" | "gin";
  unique?: boolean;
  /** Operator class of the first column, where the wrong one would make the index useless. */
  opclass?: string;
  /** The name the migrations give it, to point at in a failure. */
  name: string;
  source: string;
}

const btree = (table: string, columns: string[], name: string, source: string, unique = false): ExpectedIndex => ({
  table,
  columns,
  method: "btree",
  unique,
  name,
  source,
});

export const EXPECTED_INDEXES: readonly ExpectedIndex[] = [
  btree("sessions", ["user_id", "created_at"], "sessions_user_id_created_at_idx", "seed 003 4.1"),
  btree("sessions", ["user_id", "last_activity"], "sessions_user_id_last_activity_idx", "seed 003 4.1"),
  btree("sessions", ["user_id", "status"], "sessions_user_id_status_idx", "seed 003 4.1"),
  btree("sessions", ["deleted_at"], "sessions_deleted_at_idx", "seed 003 4.1"),
  btree("sessions", ["character_id"], "idx_sessions_character", "seed 001 1.5"),
  btree("sessions", ["engagement_id"], "idx_sessions_engagement", "seed 001 1.5"),
  btree("sessions", ["episode_template_id"], "idx_sessions_template", "seed 001 1.5"),
  btree("sessions", ["user_id", "character_id", "is_active"], "idx_sessions_user_character", "seed 001 1.5"),
  btree("messages", ["session_id", "timestamp"], "messages_session_id_timestamp_idx", "seed 003 4.2"),
  btree("messages", ["session_id", "author"], "messages_session_id_author_idx", "seed 003 4.2"),
  btree(
    "user_message_interactions",
    ["user_id", "message_id", "type"],
    "user_message_interactions_user_id_message_id_type_key",
    "seed 003 2",
    true,
  ),
  btree(
    "user_message_interactions",
    ["user_id", "created_at"],
    "user_message_interactions_user_id_created_at_idx",
    "seed 003 2",
  ),
  btree(
    "user_message_interactions",
    ["message_id", "type"],
    "user_message_interactions_message_id_type_idx",
    "seed 003 2",
  ),
  btree("knowledge_chunks", ["chunk_id"], "knowledge_chunks_chunk_id_key", "seed 003 2", true),
  btree("knowledge_chunks", ["phase", "goal"], "knowledge_chunks_phase_goal_idx", "seed 003 4.3"),
  btree("knowledge_chunks", ["is_active"], "knowledge_chunks_is_active_idx", "seed 003 4.3"),
  btree("knowledge_chunks", ["chunk_id"], "knowledge_chunks_chunk_id_idx", "seed 003 4.3"),
  {
    table: "knowledge_chunks",
    columns: ["embedding"],
    method: "hnsw",
    opclass: "vector_cosine_ops",
    name: "knowledge_chunks_embedding_hnsw_idx",
    source: "seed 003 7.3 (HNSW instead of IVFFlat)",
  },
  btree("engagements", ["user_id", "character_id"], "engagements_user_id_character_id_key", "seed 001 1.5", true),
  btree("engagements", ["character_id"], "idx_engagements_character", "seed 001 1.5"),
  btree("engagements", ["user_id", "last_interaction_at"], "idx_engagements_last_interaction", "seed 001 1.5"),
  btree("ai_interactions", ["created_at"], "ai_interactions_created_at_idx", "design 4"),
  btree("ai_interactions", ["user_id", "created_at"], "ai_interactions_user_id_created_at_idx", "design 4"),
  // Hand-written (the schema diff cannot declare its NULLS LAST): the admin list's slowest-first order.
  btree("ai_interactions", ["latency_ms", "id"], "ai_interactions_latency_id_idx", "issue admin tool"),
  // Conversation search: a person's newest matches first, walked backwards in time.
  btree("messages", ["user_id", "timestamp", "id"], "messages_user_recency_idx", "conversation search"),
  // Conversation search: the owner, then the words of the text (an expression, so no column name).
  {
    table: "messages",
    columns: ["user_id", "search_vector"],
    method: "gin",
    name: "messages_search_idx",
    source: "conversation search",
  },
  {
    table: "sessions",
    columns: ["user_id", null],
    method: "gin",
    name: "sessions_name_search_idx",
    source: "conversation search",
  },
  {
    table: "sessions",
    columns: ["name"],
    method: "gin",
    opclass: "gin_trgm_ops",
    name: "sessions_name_trgm_idx",
    source: "conversation search (partial names)",
  },
];

/** Triggers that keep engagement stats in the database (docs/decisions/0003); without them the counts silently stop. */
export const EXPECTED_TRIGGERS = [
  { table: "sessions", trigger: "session_end_trigger", function: "update_engagement_on_session_end" },
  { table: "messages", trigger: "message_count_trigger", function: "count_engagement_messages" },
] as const;

export async function verifyDatabase(db: Database): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  let counts: Record<string, number> = {};

  // The schema engine takes a connection of its own, and PGlite has only one, so this runs before
  // the snapshot below holds it.
  checks.push(await guarded("migrations", () => checkMigrations(db)));

  // One read-only snapshot, so the counts and the orphan checks describe the same moment even
  // while the application writes.
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    checks.push(
      await guarded("row-counts", async () => {
        counts = await tableRowCounts(client);
        const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
        return { ok: true, detail: `${Object.keys(counts).length} tables, ${total} rows` };
      }),
    );
    checks.push(await guarded("foreign-keys", () => checkForeignKeys(client)));
    checks.push(await guarded("renamed-tables", () => checkRenamedTables(client)));
    checks.push(await guarded("engagement-columns", () => checkEngagementColumns(client)));
    checks.push(await guarded("engagement-links", () => checkEngagementLinks(client)));
    checks.push(await guarded("character-columns", () => checkCharacterColumns(client)));
    checks.push(await guarded("indexes", () => checkIndexes(client)));
    checks.push(await guarded("triggers", () => checkTriggers(client)));
    checks.push(await guarded("vector-extension", () => checkVectorExtension(client)));
    checks.push(await guarded("enums", () => checkEnums(client)));
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    client.release();
  }

  return { ok: checks.every((check) => check.ok), runtime: db.runtime, location: db.location, checks, counts };
}

type CheckResult = Omit<VerifyCheck, "name">;
type Queryable = Pick<pg.PoolClient, "query">;

/** A check that throws is a failed check, so one broken catalog query does not hide the others. */
async function guarded(name: string, run: () => Promise<CheckResult>): Promise<VerifyCheck> {
  try {
    return { name, ...(await run()) };
  } catch (error) {
    return {
      name,
      ok: false,
      detail: `check could not run: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Exact row counts of every table in the public schema except Prisma's migration ledger. */
export async function tableRowCounts(queryable: Queryable): Promise<Record<string, number>> {
  const tables = await queryable.query<{ name: string }>(
    `SELECT c.relname::text AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> '_prisma_migrations'
      ORDER BY c.relname`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await queryable.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.${quoteIdent(name)}`);
    counts[name] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

async function checkMigrations(db: Database): Promise<CheckResult> {
  const status = await migrationStatus(db);
  const problems = Object.entries({
    pending: status.pending,
    edited: status.edited,
    failed: status.failed,
    unknown: status.unknown,
  })
    .filter(([, names]) => names.length > 0)
    .map(([label, names]) => `${label}: ${names.join(", ")}`);
  return {
    ok: status.current,
    detail: status.current
      ? `${status.applied.length} applied, none pending`
      : `${status.applied.length} applied; ${problems.join("; ")}`,
    rows: [status],
  };
}

interface ForeignKey {
  constraint: string;
  child_schema: string;
  child_table: string;
  child_columns: string[];
  parent_schema: string;
  parent_table: string;
  parent_columns: string[];
  match_type: string;
}

export interface OrphanRow {
  constraint: string;
  table: string;
  columns: string[];
  references: string;
  orphans: number;
  /** A few of the dangling keys, to start looking from. */
  examples: unknown[];
}

async function checkForeignKeys(client: Queryable): Promise<CheckResult> {
  // Every foreign key the database has, so a new table is covered without touching this file.
  // Constraints cloned onto partitions (conparentid <> 0) are checked through their parent.
  const keys = await client.query<ForeignKey>(
    `SELECT con.conname::text AS constraint,
            cn.nspname::text AS child_schema, c.relname::text AS child_table,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS child_columns,
            pn.nspname::text AS parent_schema, p.relname::text AS parent_table,
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS parent_columns,
            con.confmatchtype::text AS match_type
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
       JOIN pg_class p ON p.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
      WHERE con.contype = 'f' AND con.conparentid = 0
        AND cn.nspname NOT IN ('pg_catalog', 'information_schema') AND cn.nspname NOT LIKE 'pg\\_toast%'
      ORDER BY c.relname, con.conname`,
  );
  const rows: OrphanRow[] = [];
  for (const key of keys.rows) {
    const child = `${quoteIdent(key.child_schema)}.${quoteIdent(key.child_table)}`;
    const parent = `${quoteIdent(key.parent_schema)}.${quoteIdent(key.parent_table)}`;
    const childCols = key.child_columns.map((column) => `c.${quoteIdent(column)}`);
    const join = key.child_columns
      .map((column, i) => `p.${quoteIdent(key.parent_columns[i] ?? "")} = c.${quoteIdent(column)}`)
      .join(" AND ");
    // MATCH SIMPLE (the default) exempts a row once any key column is null; MATCH FULL only when all are.
    const checked =
      key.match_type === "f"
        ? `NOT (${childCols.map((column) => `${column} IS NULL`).join(" AND ")})`
        : childCols.map((column) => `${column} IS NOT NULL`).join(" AND ");
    const where = `${checked} AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE ${join})`;
    const count = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${child} c WHERE ${where}`);
    const orphans = Number(count.rows[0]?.n ?? 0);
    const examples = orphans
      ? (await client.query(`SELECT ${childCols.join(", ")} FROM ${child} c WHERE ${where} LIMIT 3`)).rows
      : [];
    rows.push({
      constraint: key.constraint,
      table: key.child_table,
      columns: key.child_columns,
      references: `${key.parent_table}(${key.parent_columns.join(", ")})`,
      orphans,
      examples,
    });
  }
  const broken = rows.filter((row) => row.orphans > 0);
  return {
    ok: broken.length === 0,
    detail: broken.length
      ? broken
          .map(
            (row) =>
              `${row.table}.${row.columns.join("+")} -> ${row.references}: ${row.orphans} orphaned row${row.orphans === 1 ? "" : "s"}`,
          )
          .join("; ")
      : `${rows.length} foreign keys, no orphaned rows`,
    rows: broken.length ? broken : rows,
  };
}

async function publicTables(client: Queryable, names: string[]): Promise<Set<string>> {
  const result = await client.query<{ table_name: string }>(
    `SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)`,
    [names],
  );
  return new Set(result.rows.map((row) => row.table_name));
}

async function publicColumns(client: Queryable, table: string, names: string[]): Promise<Set<string>> {
  const result = await client.query<{ column_name: string }>(
    `SELECT column_name::text FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 AND column_name = ANY($2)`,
    [table, names],
  );
  return new Set(result.rows.map((row) => row.column_name));
}

/** The episode/relationship rename happened and was not half-undone (docs/decisions/0003). */
async function checkRenamedTables(client: Queryable): Promise<CheckResult> {
  const found = await publicTables(client, ["sessions", "engagements", "episodes", "relationships"]);
  const problems = [
    ...["sessions", "engagements"].filter((name) => !found.has(name)).map((name) => `${name} is missing`),
    ...["episodes", "relationships"].filter((name) => found.has(name)).map((name) => `${name} still exists`),
  ];
  return {
    ok: problems.length === 0,
    detail: problems.length ? problems.join("; ") : "sessions and engagements exist; episodes and relationships do not",
  };
}

/** Stage progression is gone from engagements and the counter was renamed (docs/decisions/0003). */
async function checkEngagementColumns(client: Queryable): Promise<CheckResult> {
  const found = await publicColumns(client, "engagements", ["stage", "stage_progress", "total_sessions"]);
  const problems = [
    ...["stage", "stage_progress"].filter((name) => found.has(name)).map((name) => `engagements.${name} still exists`),
    ...(found.has("total_sessions") ? [] : ["engagements.total_sessions is missing"]),
  ];
  return {
    ok: problems.length === 0,
    detail: problems.length ? problems.join("; ") : "no stage or stage_progress; total_sessions present",
  };
}

/**
 * The orphan query of docs/decisions/0003, run as written rather than derived from the
 * constraints (the foreign-keys check only sees keys that still exist), plus the key's ON DELETE SET NULL:
 * deleting an engagement must keep its sessions and only unlink them.
 */
async function checkEngagementLinks(client: Queryable): Promise<CheckResult> {
  const orphans = await client.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM sessions s
       LEFT JOIN engagements e ON s.engagement_id = e.id
      WHERE s.engagement_id IS NOT NULL AND e.id IS NULL`,
  );
  const constraint = await client.query<{ name: string; on_delete: string }>(
    `SELECT con.conname::text AS name, con.confdeltype::text AS on_delete
       FROM pg_constraint con
       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
      WHERE con.contype = 'f' AND con.conrelid = 'public.sessions'::regclass
        AND con.confrelid = 'public.engagements'::regclass AND array_length(con.conkey, 1) = 1 AND a.attname = 'engagement_id'`,
  );
  const orphaned = Number(orphans.rows[0]?.n ?? 0);
  const key = constraint.rows[0];
  const problems = [
    ...(orphaned
      ? [`${orphaned} ${orphaned === 1 ? "session points" : "sessions point"} at a missing engagement`]
      : []),
    ...(!key
      ? ["sessions.engagement_id has no foreign key to engagements"]
      : key.on_delete !== "n"
        ? [`${key.name} is not ON DELETE SET NULL (confdeltype=${key.on_delete})`]
        : []),
  ];
  return {
    ok: problems.length === 0,
    detail: problems.length ? problems.join("; ") : `no orphaned engagement ids; ${key?.name} is ON DELETE SET NULL`,
  };
}

/** Characters no longer carry stage thresholds (docs/decisions/0003). */
async function checkCharacterColumns(client: Queryable): Promise<CheckResult> {
  const found = await publicColumns(client, "characters", ["relationship_stage_thresholds"]);
  return found.size
    ? { ok: false, detail: "characters.relationship_stage_thresholds still exists" }
    : { ok: true, detail: "no relationship_stage_thresholds" };
}

interface IndexRow {
  table: string;
  index: string;
  method: string;
  unique: boolean;
  valid: boolean;
  partial: boolean;
  /** Key columns in order; null for an expression. */
  columns: (string | null)[];
  opclasses: string[];
}

function describeIndex(expected: ExpectedIndex): string {
  const kind = `${expected.unique ? "unique " : ""}${expected.method}${expected.opclass ? ` ${expected.opclass}` : ""}`;
  return `${expected.table} (${expected.columns.map((column) => column ?? "expression").join(", ")}) ${kind} [${expected.name}]`;
}

/**
 * Whether an index serves what the expectation asks for. A b-tree serves any leading prefix of its
 * key, so a wider index counts, except for uniqueness, which holds only over exactly its columns.
 * Partial and invalid (half-built) indexes do not count: they do not cover every row.
 */
function satisfies(index: IndexRow, expected: ExpectedIndex): boolean {
  if (index.table !== expected.table || index.method !== expected.method || !index.valid || index.partial) return false;
  if (expected.unique && !index.unique) return false;
  const exact = expected.unique || expected.method !== "btree";
  if (exact && index.columns.length !== expected.columns.length) return false;
  if (index.columns.length < expected.columns.length) return false;
  if (!expected.columns.every((column, i) => index.columns[i] === column)) return false;
  return expected.opclass === undefined || index.opclasses[0] === expected.opclass;
}

async function checkIndexes(client: Queryable): Promise<CheckResult> {
  const result = await client.query<IndexRow>(
    `SELECT t.relname::text AS table, i.relname::text AS index, am.amname::text AS method,
            x.indisunique AS unique, x.indisvalid AS valid, x.indpred IS NOT NULL AS partial,
            ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum <> 0
                   WHERE k.ord <= x.indnkeyatts ORDER BY k.ord) AS columns,
            ARRAY(SELECT oc.opcname::text FROM unnest(x.indclass::oid[]) WITH ORDINALITY k(oid, ord)
                    JOIN pg_opclass oc ON oc.oid = k.oid ORDER BY k.ord) AS opclasses
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_am am ON am.oid = i.relam
      WHERE n.nspname = 'public'`,
  );
  const rows = EXPECTED_INDEXES.map((expected) => ({
    table: expected.table,
    columns: expected.columns,
    method: expected.method,
    unique: expected.unique ?? false,
    expectedName: expected.name,
    source: expected.source,
    foundIn: result.rows.filter((index) => satisfies(index, expected)).map((index) => index.index),
  }));
  const missing = EXPECTED_INDEXES.filter((_, i) => rows[i]?.foundIn.length === 0);
  return {
    ok: missing.length === 0,
    detail: missing.length
      ? `missing: ${missing.map(describeIndex).join("; ")}`
      : `${EXPECTED_INDEXES.length} expected indexes present`,
    rows,
  };
}

async function checkTriggers(client: Queryable): Promise<CheckResult> {
  const triggers = await client.query<{ trigger: string; table: string; function: string; enabled: string }>(
    `SELECT t.tgname::text AS trigger, c.relname::text AS table, p.proname::text AS function, t.tgenabled::text AS enabled
       FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE NOT t.tgisinternal AND n.nspname = 'public'`,
  );
  const functions = await client.query<{ name: string }>(
    `SELECT p.proname::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.proname = ANY($1)`,
    [EXPECTED_TRIGGERS.map((expected) => expected.function)],
  );
  const functionNames = new Set(functions.rows.map((row) => row.name));
  const problems: string[] = [];
  const rows = EXPECTED_TRIGGERS.map((expected) => {
    const found = triggers.rows.find((row) => row.trigger === expected.trigger && row.table === expected.table);
    if (!functionNames.has(expected.function)) problems.push(`function ${expected.function}() is missing`);
    if (!found) problems.push(`trigger ${expected.trigger} on ${expected.table} is missing`);
    else if (found.function !== expected.function)
      problems.push(`trigger ${expected.trigger} calls ${found.function}() instead of ${expected.function}()`);
    // 'O' and 'A' fire in normal operation; 'D' is disabled and 'R' fires only on replicas.
    else if (found.enabled !== "O" && found.enabled !== "A")
      problems.push(`trigger ${expected.trigger} on ${expected.table} is disabled (tgenabled=${found.enabled})`);
    return { ...expected, present: Boolean(found), enabled: found?.enabled ?? null };
  });
  return {
    ok: problems.length === 0,
    detail: problems.length
      ? problems.join("; ")
      : EXPECTED_TRIGGERS.map((expected) => `${expected.trigger} on ${expected.table} -> ${expected.function}()`).join(
          "; ",
        ),
    rows,
  };
}

async function checkVectorExtension(client: Queryable): Promise<CheckResult> {
  const result = await client.query<{ version: string }>(
    `SELECT extversion::text AS version FROM pg_extension WHERE extname = 'vector'`,
  );
  const version = result.rows[0]?.version;
  return version
    ? { ok: true, detail: `vector ${version}` }
    : { ok: false, detail: "the vector extension is not installed" };
}

async function checkEnums(client: Queryable): Promise<CheckResult> {
  const result = await client.query<{ name: string; labels: string[] }>(
    `SELECT t.typname::text AS name,
            COALESCE(array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FILTER (WHERE e.enumlabel IS NOT NULL), '{}') AS labels
       FROM pg_type t
       JOIN pg_namespace n ON n.oid = t.typnamespace
       LEFT JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = 'public' AND t.typtype = 'e'
      GROUP BY t.typname
      ORDER BY t.typname`,
  );
  const inDatabase = new Map(result.rows.map((row) => [row.name, row.labels]));
  const contracts = new Map<string, readonly string[]>(
    DATABASE_ENUMS.map((entry) => [entry.prismaName, entry.dbValues]),
  );
  const problems: string[] = [];
  const rows: { type: string; database: string[] | null; contract: readonly string[] | null }[] = [];
  for (const [name, dbValues] of contracts) {
    const labels = inDatabase.get(name);
    rows.push({ type: name, database: labels ?? null, contract: dbValues });
    if (!labels) {
      problems.push(`${name}: in contracts but not in the database`);
      continue;
    }
    if (labels.join("\u0000") === dbValues.join("\u0000")) continue;
    const extra = labels.filter((label) => !dbValues.includes(label));
    const missing = dbValues.filter((value) => !labels.includes(value));
    const parts = [
      ...(extra.length ? [`database has ${extra.join(", ")} not in contracts`] : []),
      ...(missing.length ? [`contracts have ${missing.join(", ")} not in the database`] : []),
    ];
    if (parts.length === 0)
      parts.push(`order differs: database ${labels.join(", ")}; contracts ${dbValues.join(", ")}`);
    problems.push(`${name}: ${parts.join("; ")}`);
  }
  for (const [name, labels] of inDatabase) {
    if (contracts.has(name)) continue;
    rows.push({ type: name, database: labels, contract: null });
    problems.push(`${name}: in the database but has no contract`);
  }
  return {
    ok: problems.length === 0,
    detail: problems.length ? problems.join("; ") : `${contracts.size} enum types match their contracts`,
    rows,
  };
}

export function formatVerifyReport(report: VerifyReport): string {
  const width = Math.max(...report.checks.map((check) => check.name.length), 5);
  const lines = [`database: ${report.location} (${report.runtime})`];
  for (const check of report.checks) {
    lines.push(`${check.ok ? "OK  " : "FAIL"}  ${check.name.padEnd(width)}  ${check.detail}`);
  }
  const tables = Object.entries(report.counts);
  if (tables.length) {
    const tableWidth = Math.max(...tables.map(([name]) => name.length));
    lines.push("", "rows:");
    for (const [name, count] of tables) lines.push(`  ${name.padEnd(tableWidth)}  ${count}`);
  }
  const failed = report.checks.filter((check) => !check.ok).length;
  lines.push(
    "",
    report.ok ? `all ${report.checks.length} checks passed` : `${failed} of ${report.checks.length} checks FAILED`,
  );
  return lines.join("\n");
}
