import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  fromEpochMs,
  knowledgeChunkFromSource,
  parseKnowledgeFile,
  toEpochMs,
  toEpochMsOrNull,
  ZEpochMsSchema,
  ZKnowledgeChunkSourceSchema,
  ZKnowledgeFileSchema,
  ZOcrLineSchema,
  ZOcrResultSchema,
  ZTimestampCodec,
  type TKnowledgeChunkRow,
} from "./codecs.ts";
import { OCR_LINES_MAX } from "./limits.ts";

const saneDate = fc.date({ min: new Date(0), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true });

function messagesOf(result: { success: boolean; error?: z.ZodError }): string[] {
  expect(result.success).toBe(false);
  return result.error?.issues.map((i) => i.message) ?? [];
}

describe("timestamps", () => {
  it("round-trips Date -> epoch ms -> Date through the codec", () => {
    fc.assert(
      fc.property(saneDate, (date) => {
        const ms = z.encode(ZTimestampCodec, date);
        expect(ms).toBe(date.getTime());
        expect(ZEpochMsSchema.parse(ms)).toBe(ms);
        expect(z.decode(ZTimestampCodec, ms).getTime()).toBe(date.getTime());
        expect(ZTimestampCodec.parse(ms)).toEqual(date);
      }),
    );
  });

  it("round-trips through the plain helpers", () => {
    fc.assert(
      fc.property(saneDate, (date) => {
        expect(fromEpochMs(toEpochMs(date)).getTime()).toBe(date.getTime());
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8_640_000_000_000_000 }), (ms) => {
        expect(toEpochMs(fromEpochMs(ms))).toBe(ms);
      }),
    );
  });

  it.each([
    [Number.NaN, /finite number of milliseconds/],
    [Number.POSITIVE_INFINITY, /finite number of milliseconds/],
    [-1, /must not be negative/],
    [1.5, /whole number of milliseconds/],
    ["1700000000000", /finite number of milliseconds/],
    [null, /finite number of milliseconds/],
    [8_640_000_000_000_001, /largest date/],
  ])("rejects %s with a readable message", (value, message) => {
    const messages = messagesOf(ZTimestampCodec.safeParse(value));
    expect(messages.join("\n")).toMatch(message);
    expect(messagesOf(ZEpochMsSchema.safeParse(value)).join("\n")).toMatch(message);
  });

  it("refuses to encode dates the wire cannot carry", () => {
    expect(() => z.encode(ZTimestampCodec, new Date(Number.NaN))).toThrow(/valid Date/);
    expect(() => z.encode(ZTimestampCodec, new Date(-1))).toThrow(/must not be negative/);
    expect(() => toEpochMs(new Date(Number.NaN))).toThrow(/Invalid Date/);
    expect(() => toEpochMs(new Date(-1))).toThrow(RangeError);
    expect(() => fromEpochMs(1.5)).toThrow(/whole number/);
    expect(() => fromEpochMs(-5)).toThrow(/fromEpochMs\(-5\): .*negative/);
  });

  it("maps null and undefined to null for nullable columns", () => {
    expect(toEpochMsOrNull(null)).toBeNull();
    expect(toEpochMsOrNull(undefined)).toBeNull();
    expect(toEpochMsOrNull(new Date(42))).toBe(42);
  });
});

describe("OCR result", () => {
  const valid = [
    { id: "l1", text: "  hey, how was the concert?  ", author: "contact" },
    { id: "l2", text: "amazing!", author: "user", confidence: 0.93 },
    { id: "l3", text: "glad to hear", author: "ai", confidence: 0 },
  ];

  it("accepts valid lines and trims their text", () => {
    const parsed = ZOcrResultSchema.parse(valid);
    expect(parsed).toHaveLength(3);
    expect(parsed[0]).toEqual({ id: "l1", text: "hey, how was the concert?", author: "contact" });
    expect(parsed[1]?.confidence).toBe(0.93);
    expect(ZOcrResultSchema.parse([])).toEqual([]);
  });

  it("rejects duplicate ids, naming the id and both lines", () => {
    const result = ZOcrResultSchema.safeParse([...valid, { id: "l2", text: "again", author: "user" }]);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual([3, "id"]);
    expect(issue?.message).toBe('duplicate OCR line id "l2" (lines 1 and 3)');
  });

  it("reports every duplicate, not only the first", () => {
    const lines = ["a", "b", "a", "b", "a"].map((id, i) => ({ id, text: `t${i}`, author: "user" }));
    const result = ZOcrResultSchema.safeParse(lines);
    expect(result.error?.issues.map((i) => i.path[0])).toEqual([2, 3, 4]);
  });

  it.each([
    [{ id: "x", text: "   ", author: "user" }, "text", "text must not be empty"],
    [{ id: "x", text: "", author: "user" }, "text", "text must not be empty"],
    [{ id: "x", text: "y".repeat(2001), author: "user" }, "text", "text must be at most 2000 characters"],
    [{ id: "x", text: "hi", author: "bot" }, "author", "author must be one of: user, contact, ai"],
    [{ id: "x", text: "hi", author: "USER" }, "author", "author must be one of: user, contact, ai"],
    [{ id: "", text: "hi", author: "user" }, "id", "id must not be empty"],
    [{ id: "x".repeat(65), text: "hi", author: "user" }, "id", "id must be at most 64 characters"],
    [{ id: "x", text: "hi", author: "user", confidence: 1.2 }, "confidence", "confidence must be between 0 and 1"],
    [{ id: "x", text: "hi", author: "user", confidence: -0.1 }, "confidence", "confidence must be between 0 and 1"],
    [{ text: "hi", author: "user" }, "id", "id must be a string"],
  ])("rejects %j at field %s", (line, field, message) => {
    const result = ZOcrResultSchema.safeParse([line]);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.path).toEqual([0, field]);
    expect(result.error?.issues[0]?.message).toBe(message);
    expect(ZOcrLineSchema.safeParse(line).success).toBe(false);
  });

  it("caps the number of lines", () => {
    const lines = Array.from({ length: OCR_LINES_MAX + 1 }, (_, i) => ({ id: `l${i}`, text: "x", author: "user" }));
    expect(ZOcrResultSchema.safeParse(lines.slice(0, OCR_LINES_MAX)).success).toBe(true);
    expect(messagesOf(ZOcrResultSchema.safeParse(lines))).toContain("OCR result must have at most 500 lines");
  });

  it("rejects something that is not an array", () => {
    expect(messagesOf(ZOcrResultSchema.safeParse({ id: "l1" }))).toEqual(["OCR result must be an array of lines"]);
  });
});

function chunk(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { chunk_id: id, version: "2.0.0", source: "MANUAL_DRAFT" },
    languageVariants: { en: { text: `Text of ${id}` } },
    embeddingStrings: [`first string of ${id}`, `second string of ${id}`],
    tags: {
      phase: ["1"],
      goal: ["attraction"],
      type: ["opener"],
      technique: ["playful_tease"],
      context: ["dating_app"],
    },
    situation: "Opening a conversation on a dating app",
    guidance: { primary_intent: "spark curiosity", risk_level: "low" },
    ...overrides,
  };
}

function expectFailure(result: ReturnType<typeof parseKnowledgeFile>) {
  expect(result.ok).toBe(false);
  expect("chunks" in result).toBe(false);
  return result.ok ? [] : result.errors;
}

describe("knowledge chunk source", () => {
  it("maps a source chunk to the knowledge_chunks row shape", () => {
    const src = ZKnowledgeChunkSourceSchema.parse(chunk("arch_attraction_001"));
    const expected: TKnowledgeChunkRow = {
      chunkId: "arch_attraction_001",
      version: "2.0.0",
      source: "MANUAL_DRAFT",
      textContent: "Text of arch_attraction_001",
      embeddingText: "first string of arch_attraction_001\nsecond string of arch_attraction_001",
      phase: 1,
      goal: "attraction",
      type: "opener",
      techniques: ["playful_tease"],
      context: ["dating_app"],
      situation: "Opening a conversation on a dating app",
      primaryIntent: "spark curiosity",
      riskLevel: "low",
    };
    expect(knowledgeChunkFromSource(src)).toEqual(expected);
  });

  it("takes the first tag value, accepts numeric phases and defaults the optional parts", () => {
    const src = ZKnowledgeChunkSourceSchema.parse(
      chunk("c_002", {
        tags: { phase: [3, "4"], goal: ["closing", "comfort"], type: ["follow_up"] },
        situation: undefined,
        guidance: undefined,
      }),
    );
    expect(knowledgeChunkFromSource(src)).toMatchObject({
      phase: 3,
      goal: "closing",
      type: "follow_up",
      techniques: [],
      context: [],
      situation: null,
      primaryIntent: null,
      riskLevel: null,
    });
  });

  it("refuses a chunk whose tag lists are empty even when it bypassed the schema", () => {
    const src = ZKnowledgeChunkSourceSchema.parse(chunk("c_003"));
    expect(() => knowledgeChunkFromSource({ ...src, tags: { ...src.tags, goal: [] } })).toThrow(
      /tags.goal has no value/,
    );
  });

  it.each([
    [
      { metadata: { chunk_id: "Arch-01", version: "2.0.0", source: "X" } },
      "metadata.chunk_id",
      /lowercase letters, digits and underscores/,
    ],
    [{ metadata: { chunk_id: "ab", version: "2.0.0", source: "X" } }, "metadata.chunk_id", /at least 3/],
    [{ metadata: { chunk_id: "abc", version: "2.0", source: "X" } }, "metadata.version", /major.minor.patch/],
    [{ languageVariants: { en: { text: "  " } } }, "languageVariants.en.text", /text must not be empty/],
    [{ languageVariants: { fr: { text: "bonjour" } } }, "languageVariants.en", /expected object/],
    [{ embeddingStrings: [] }, "embeddingStrings", /at least one string/],
    [{ tags: { phase: ["5"], goal: ["comfort"], type: ["opener"] } }, "tags.phase.0", /phase must be 1, 2, 3 or 4/],
    [{ tags: { phase: [0], goal: ["comfort"], type: ["opener"] } }, "tags.phase.0", /phase must be 1, 2, 3 or 4/],
    [{ tags: { phase: ["1"], goal: [], type: ["opener"] } }, "tags.goal", /goal must have at least one value/],
    [
      { tags: { phase: ["1"], goal: ["comfort"], type: ["question"] } },
      "tags.type.0",
      /type must be one of: opener, response, closing, follow_up/,
    ],
    [
      { guidance: { primary_intent: "x", risk_level: "extreme" } },
      "guidance.risk_level",
      /risk_level must be one of: low, medium, high/,
    ],
  ])("rejects %j at %s", (override, path, message) => {
    const result = ZKnowledgeChunkSourceSchema.safeParse(chunk("c_bad", override));
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path.join(".") === path);
    expect(issue, `no issue at ${path}: ${JSON.stringify(result.error?.issues)}`).toBeDefined();
    expect(issue?.message).toMatch(message);
  });

  it("accepts both file layouts in the zod file schema and rejects duplicate ids there too", () => {
    const chunks = [chunk("c_001"), chunk("c_002")];
    expect(ZKnowledgeFileSchema.safeParse(chunks).success).toBe(true);
    expect(ZKnowledgeFileSchema.safeParse({ chunks }).success).toBe(true);
    expect(ZKnowledgeFileSchema.safeParse([chunk("c_001"), chunk("c_001")]).success).toBe(false);
    expect(ZKnowledgeFileSchema.safeParse({ chunks: [chunk("c_001"), chunk("c_001")] }).success).toBe(false);
  });
});

describe("parseKnowledgeFile", () => {
  it("maps a valid array file to rows in file order", () => {
    const result = parseKnowledgeFile([
      chunk("c_001"),
      chunk("c_002", { tags: { phase: [2], goal: ["comfort"], type: ["response"] } }),
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.chunks.map((c) => [c.chunkId, c.phase, c.goal, c.type])).toEqual([
      ["c_001", 1, "attraction", "opener"],
      ["c_002", 2, "comfort", "response"],
    ]);
    expect(result.chunks[1]?.techniques).toEqual([]);
  });

  it("accepts the { chunks: [...] } layout", () => {
    const result = parseKnowledgeFile({ chunks: [chunk("c_001")] });
    expect(result).toEqual({
      ok: true,
      chunks: [knowledgeChunkFromSource(ZKnowledgeChunkSourceSchema.parse(chunk("c_001")))],
    });
  });

  it("rejects the whole file for one bad chunk, with its index, id and field path", () => {
    const bad = chunk("c_002", { tags: { phase: ["1"], goal: ["romance"], type: ["opener"] } });
    const errors = expectFailure(parseKnowledgeFile([chunk("c_001"), bad, chunk("c_003")]));
    expect(errors).toEqual([
      {
        index: 1,
        chunkId: "c_002",
        path: "tags.goal.0",
        message: "goal must be one of: attraction, comfort, commitment, closing",
      },
    ]);
  });

  it("reports every problem of every chunk", () => {
    const errors = expectFailure(
      parseKnowledgeFile({
        chunks: [
          chunk("c_001", { embeddingStrings: [], guidance: { risk_level: "none" } }),
          chunk("c_002"),
          chunk("c_003", { metadata: { chunk_id: "c_003", version: "v2", source: "" } }),
        ],
      }),
    );
    expect(errors.map((e) => [e.index, e.chunkId, e.path])).toEqual([
      [0, "c_001", "embeddingStrings"],
      [0, "c_001", "guidance.risk_level"],
      [2, "c_003", "metadata.version"],
      [2, "c_003", "metadata.source"],
    ]);
  });

  it("reports duplicate chunk ids at the later chunk", () => {
    const errors = expectFailure(parseKnowledgeFile([chunk("c_001"), chunk("c_002"), chunk("c_001")]));
    expect(errors).toEqual([
      {
        index: 2,
        chunkId: "c_001",
        path: "metadata.chunk_id",
        message: 'duplicate chunk_id "c_001" (first used by chunk 0)',
      },
    ]);
  });

  it("gives a null chunk id when the id cannot be read", () => {
    const errors = expectFailure(parseKnowledgeFile([chunk("c_001"), "not a chunk", { metadata: { chunk_id: 7 } }]));
    expect(errors.filter((e) => e.index === 1)).toEqual([
      { index: 1, chunkId: null, path: "", message: expect.stringMatching(/expected object/) },
    ]);
    expect(errors.filter((e) => e.index === 2).every((e) => e.chunkId === null)).toBe(true);
    expect(errors.some((e) => e.index === 2 && e.path === "metadata.chunk_id")).toBe(true);
  });

  it.each([[null], [42], ["[]"], [{ items: [] }], [{ chunks: "nope" }]])("rejects %j as a file", (json) => {
    const errors = expectFailure(parseKnowledgeFile(json));
    expect(errors).toEqual([{ index: -1, chunkId: null, path: "", message: expect.stringMatching(/array of chunks/) }]);
  });

  it("accepts an empty file as zero chunks", () => {
    expect(parseKnowledgeFile([])).toEqual({ ok: true, chunks: [] });
  });
});
