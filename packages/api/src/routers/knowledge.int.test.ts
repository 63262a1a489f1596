// knowledge.search and admin.knowledge.* through createCaller against a real database: who may call what, ingestion reports and their audit rows, keyset listing, switching chunks off, the playground's filter report, and the logged embedding calls.
import { type AiRuntime, SessionStreams } from "@lockstep/ai";
import { hashedWordsProvider } from "@lockstep/ai/testing";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingLog } from "../../test/testing/fake-ai.ts";
import { callerFor, createPerson, errorOf, type TestPerson } from "../../test/testing/callers.ts";

function chunk(
  id: string,
  words: string,
  tags: { phase?: string; goal?: string; type?: string } = {},
  version = "1.0.0",
) {
  return {
    metadata: { chunk_id: id, version, source: "API_TEST" },
    languageVariants: { en: { text: `Advice about ${words}.` } },
    embeddingStrings: [words],
    tags: {
      phase: [tags.phase ?? "1"],
      goal: [tags.goal ?? "attraction"],
      type: [tags.type ?? "opener"],
      technique: ["open_question"],
    },
    situation: `When ${words}.`,
    guidance: { primary_intent: "spark_curiosity", risk_level: "low" },
  };
}

const FILE = {
  chunks: [
    chunk("api_travel_001", "ask about their favourite trip abroad"),
    chunk("api_coffee_002", "suggest meeting for coffee this weekend", {
      phase: "3",
      goal: "closing",
      type: "closing",
    }),
    chunk("api_silence_003", "they stopped replying for days", { phase: "2", goal: "comfort", type: "response" }),
    chunk("api_music_004", "talk about concerts and music you both like", { goal: "comfort", type: "response" }),
  ],
};

let db: TestDatabase;
let log: RecordingLog;
let ai: AiRuntime;
let admin: TestPerson;
let person: TestPerson;
let noAiAdmin: TestPerson;

beforeAll(async () => {
  db = await createTestDatabase();
  log = new RecordingLog();
  ai = { provider: hashedWordsProvider(), log, streams: new SessionStreams(), retrieve: async () => [] };
  admin = await createPerson(db, { role: "admin", ai });
  person = await createPerson(db, { ai });
  noAiAdmin = await createPerson(db, { role: "admin" });
});
afterAll(async () => {
  await db?.close();
});

async function audit(action: string) {
  const { rows } = await db.pool.query<{ actor_id: string; before: unknown; after: unknown; entity_id: string | null }>(
    "SELECT actor_id, before, after, entity_id FROM audit_log WHERE action = $1 ORDER BY created_at, id",
    [action],
  );
  return rows;
}

async function storedCount(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM knowledge_chunks WHERE source = 'API_TEST'",
  );
  return rows[0]?.n ?? -1;
}

describe("who may call what", () => {
  it("lets people search but not ingest, list, switch or use the playground; strangers may do none of it", async () => {
    const stranger = callerFor(db, null, { ai });
    expect((await errorOf(stranger.knowledge.search({ query: "coffee" }))).code).toBe("UNAUTHORIZED");
    expect((await person.caller.knowledge.search({ query: "coffee" })).items).toEqual([]);

    const forbidden = [
      person.caller.admin.knowledge.ingest({ file: FILE }),
      person.caller.admin.knowledge.list({}),
      person.caller.admin.knowledge.setActive({ id: "00000000-0000-4000-8000-000000000000", active: false }),
      person.caller.admin.knowledge.search({ query: "coffee" }),
    ];
    for (const call of forbidden) expect((await errorOf(call)).code).toBe("FORBIDDEN");
    // A query is logged as the prompt of its embedding call, so it must be text PostgreSQL can store.
    expect((await errorOf(person.caller.knowledge.search({ query: "coffee\u0000" }))).code).toBe("BAD_REQUEST");
    expect(await storedCount()).toBe(0);
  });

  it("answers 503 UPSTREAM_UNAVAILABLE when the server has no AI runtime to embed with", async () => {
    const failure = await errorOf(noAiAdmin.caller.admin.knowledge.ingest({ file: FILE }));
    expect(failure.code).toBe("SERVICE_UNAVAILABLE");
  });
});

describe("admin.knowledge.ingest", () => {
  it("reports a malformed file, naming chunk and field, and writes nothing", async () => {
    const bad = {
      chunks: [
        FILE.chunks[0],
        { ...FILE.chunks[1], tags: { phase: ["1"], goal: ["attraction"], type: ["pickup_line"] } },
      ],
    };
    const report = await admin.caller.admin.knowledge.ingest({ file: bad });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([
      {
        index: 1,
        chunkId: "api_coffee_002",
        path: "tags.type.0",
        message: "type must be one of: opener, response, closing, follow_up",
      },
    ]);
    expect(await storedCount()).toBe(0);
  });

  it("shows a dry run's plan without writing, then ingests, audited, with every embedding call logged", async () => {
    const dry = await admin.caller.admin.knowledge.ingest({ file: FILE, dryRun: true });
    expect(dry).toMatchObject({ ok: true, dryRun: true, created: 4, embedded: 4 });
    expect(await storedCount()).toBe(0);
    expect(await audit("admin.knowledge.ingest.check")).toHaveLength(1);
    expect(await audit("admin.knowledge.ingest")).toHaveLength(0);

    const before = log.calls.length;
    const report = await admin.caller.admin.knowledge.ingest({ file: FILE, source: "API_TEST" });
    expect(report).toMatchObject({
      ok: true,
      dryRun: false,
      created: 4,
      updated: 0,
      unchanged: 0,
      embedded: 4,
      errors: [],
    });
    expect(await storedCount()).toBe(4);
    const [entry] = await audit("admin.knowledge.ingest");
    expect(entry?.actor_id).toBe(admin.id);
    expect(entry?.after).toMatchObject({
      embeddingModel: "test-hashed-words",
      created: expect.arrayContaining([{ chunkId: "api_travel_001", version: "1.0.0" }]),
    });
    const embeds = log.calls.slice(before);
    expect(
      embeds.map((call) => [call.spec.operation, call.spec.context.userId, call.spec.context.dataSource, call.status]),
    ).toEqual([["embed", admin.id, "admin", "success"]]);
  });

  it("replaces a newer version, keeping the replaced text in the audit row, and refuses an older one", async () => {
    const newer = { chunks: [chunk("api_travel_001", "ask which country they would visit next", {}, "1.1.0")] };
    const report = await admin.caller.admin.knowledge.ingest({ file: newer });
    expect(report).toMatchObject({ ok: true, updated: 1, embedded: 1 });
    const last = (await audit("admin.knowledge.ingest")).at(-1);
    expect(last?.before).toMatchObject({
      updated: [
        { chunkId: "api_travel_001", version: "1.0.0", embeddingText: "ask about their favourite trip abroad" },
      ],
    });

    const older = await admin.caller.admin.knowledge.ingest({
      file: { chunks: [chunk("api_travel_001", "old words")] },
    });
    expect(older.ok).toBe(false);
    expect(older.errors[0]).toMatchObject({ index: 0, chunkId: "api_travel_001", path: "metadata.version" });
  });
});

describe("knowledge.search and the playground", () => {
  it("finds the nearest chunk as the person, logging the query's embedding as theirs", async () => {
    const before = log.calls.length;
    const result = await person.caller.knowledge.search({ query: "which country would you visit next", limit: 2 });
    expect(result.items[0]).toMatchObject({
      chunkId: "api_travel_001",
      version: "1.1.0",
      goal: "attraction",
      phase: 1,
      type: "opener",
    });
    expect(result.items[0]?.score).toBeGreaterThan(result.items[1]?.score ?? 1);
    const [call] = log.calls.slice(before);
    expect(call?.spec).toMatchObject({ operation: "embed", promptText: "which country would you visit next" });
    expect(call?.spec.context).toMatchObject({ userId: person.id, dataSource: "web", sessionId: null });
  });

  it("applies the filters, and the playground says what they let through and how the scan was tuned", async () => {
    const filtered = await person.caller.knowledge.search({ query: "music concerts", goal: "comfort", limit: 10 });
    expect(filtered.items.map((item) => item.chunkId).sort()).toEqual(["api_music_004", "api_silence_003"]);

    const playground = await admin.caller.admin.knowledge.search({
      query: "music concerts",
      goal: "comfort",
      type: "response",
      phase: 1,
      limit: 10,
    });
    expect(playground.items.map((item) => item.chunkId)).toEqual(["api_music_004"]);
    expect(playground.filters).toEqual({
      active: 4,
      byFilter: { phase: 2, goal: 2, type: 2 },
      matching: 1,
      searchable: 1,
    });
    expect(playground.settings).toEqual({
      embeddingModel: "test-hashed-words",
      efSearch: 100,
      iterativeScan: "relaxed_order",
      maxScanTuples: 20_000,
    });
    expect(await audit("admin.knowledge.search")).toHaveLength(1);
  });
});

describe("admin.knowledge.list and setActive", () => {
  it("pages by chunk_id under filters, and a chunk switched off leaves search until switched back on", async () => {
    const first = await admin.caller.admin.knowledge.list({ limit: 3 });
    expect(first.items.map((item) => item.chunkId)).toEqual(["api_coffee_002", "api_music_004", "api_silence_003"]);
    const second = await admin.caller.admin.knowledge.list({ limit: 3, cursor: first.nextCursor });
    expect(second.items.map((item) => item.chunkId)).toEqual(["api_travel_001"]);
    expect(second.nextCursor).toBeNull();
    expect(second.items[0]).toMatchObject({
      version: "1.1.0",
      hasEmbedding: true,
      embeddingModel: "test-hashed-words",
      isActive: true,
    });
    expect((await admin.caller.admin.knowledge.list({ version: "1.1.0" })).items.map((item) => item.chunkId)).toEqual([
      "api_travel_001",
    ]);
    expect(
      (await admin.caller.admin.knowledge.list({ phase: 2, type: "response" })).items.map((item) => item.chunkId),
    ).toEqual(["api_silence_003"]);
    expect((await errorOf(admin.caller.admin.knowledge.list({ cursor: "bm90LWEtY3Vyc29y" }))).code).toBe("BAD_REQUEST");

    const target = second.items[0]!;
    const off = await admin.caller.admin.knowledge.setActive({ id: target.id, active: false });
    expect(off.isActive).toBe(false);
    const [entry] = await audit("admin.knowledge.setActive");
    expect(entry).toMatchObject({
      actor_id: admin.id,
      entity_id: target.id,
      before: { isActive: true },
      after: { isActive: false },
    });
    const hidden = await person.caller.knowledge.search({ query: "which country would you visit next", limit: 10 });
    expect(hidden.items.map((item) => item.chunkId)).not.toContain("api_travel_001");
    expect((await admin.caller.admin.knowledge.list({ active: false })).items.map((item) => item.chunkId)).toEqual([
      "api_travel_001",
    ]);

    await admin.caller.admin.knowledge.setActive({ id: target.id, active: true });
    const back = await person.caller.knowledge.search({ query: "which country would you visit next", limit: 1 });
    expect(back.items[0]?.chunkId).toBe("api_travel_001");

    const missing = await errorOf(
      admin.caller.admin.knowledge.setActive({ id: "00000000-0000-4000-8000-000000000000", active: true }),
    );
    expect(missing.code).toBe("NOT_FOUND");
  });
});

describe("admin.knowledge.validate", () => {
  async function snapshot() {
    const { rows } = await db.pool.query(
      "SELECT chunk_id, version, text_content, is_active, embedding IS NOT NULL AS has_vector FROM knowledge_chunks ORDER BY chunk_id",
    );
    return rows;
  }

  it("reports what is wrong per chunk and field, and what would be created, updated or unchanged, writing nothing", async () => {
    const before = await snapshot();
    const ingestAudits = (await audit("admin.knowledge.ingest")).length;
    const stored = await admin.caller.admin.knowledge.list({});
    const known = stored.items[0];
    const file = {
      chunks: [
        chunk("api_validate_new_001", "brand new advice about hiking"),
        ...(known ? [chunk(known.chunkId, "a changed text for a stored chunk", {}, "9.0.0")] : []),
        {
          ...chunk("api_validate_bad_002", "bad chunk"),
          guidance: { primary_intent: "spark_curiosity", risk_level: "extreme" },
        },
      ],
    };
    const bad = await admin.caller.admin.knowledge.validate({ file });
    expect(bad.ok).toBe(false);
    expect(bad.dryRun).toBe(true);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatchObject({ chunkId: "api_validate_bad_002", path: "guidance.risk_level" });

    const good = await admin.caller.admin.knowledge.validate({ file: { chunks: file.chunks.slice(0, -1) } });
    expect(good).toMatchObject({
      ok: true,
      dryRun: true,
      created: 1,
      updated: known ? 1 : 0,
      unchanged: 0,
      errors: [],
    });
    // dryRun: false in the input does not turn validation into an ingestion.
    const forced = await admin.caller.admin.knowledge.validate({
      file: { chunks: file.chunks.slice(0, -1) },
      dryRun: false,
    });
    expect(forced.dryRun).toBe(true);

    expect(await snapshot()).toEqual(before);
    expect(await audit("admin.knowledge.ingest")).toHaveLength(ingestAudits);
    expect((await audit("admin.knowledge.validate")).length).toBeGreaterThanOrEqual(2);
  });

  it("is FORBIDDEN for a plain user", async () => {
    expect((await errorOf(person.caller.admin.knowledge.validate({ file: FILE }))).code).toBe("FORBIDDEN");
  });
});
