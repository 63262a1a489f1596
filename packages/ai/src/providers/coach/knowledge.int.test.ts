// The starter knowledge base the coach grounds in: at least 150 chunks that the real ingester accepts, and chunks for every move of every situation.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseKnowledgeFile } from "@lockstep/contracts";
import { REPO_ROOT, withAdmin } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestKnowledgeFile } from "../../knowledge/ingest.ts";
import { createKnowledgeRetriever } from "../../knowledge/search.ts";
import { createBuiltinProvider } from "../builtin.ts";
import { composeCoachSuggestions } from "./compose.ts";
import { starterChunks } from "./knowledge.ts";
import { MOVES, MOVES_FOR_USER } from "./moves.ts";
import { COACH_SITUATIONS } from "./situation.ts";

const STARTER = path.join(REPO_ROOT, "prisma/seed/data/knowledge/starter.json");
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe("starter knowledge base", () => {
  it("has at least 150 chunks that the ingester accepts and stores, embedded by the built-in provider", async () => {
    const file: unknown = JSON.parse(await readFile(STARTER, "utf8"));
    const parsed = parseKnowledgeFile(file);
    expect(parsed.ok && parsed.chunks.length).toBeGreaterThanOrEqual(150);
    const report = await ingestKnowledgeFile(
      { read: (work) => withAdmin(db, work), change: (work) => withAdmin(db, async (tx) => (await work(tx)).result) },
      createBuiltinProvider(),
      file,
      { source: "LOCKSTEP_STARTER" },
    );
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.created + report.updated + report.unchanged).toBeGreaterThanOrEqual(150);
  });

  it("has chunks for every move of every situation, so each suggestion is grounded", () => {
    const byIntent = new Map<string, number>();
    for (const chunk of starterChunks()) {
      if (chunk.primaryIntent) byIntent.set(chunk.primaryIntent, (byIntent.get(chunk.primaryIntent) ?? 0) + 1);
    }
    for (const situation of COACH_SITUATIONS) {
      const moves = [...MOVES[situation], ...(MOVES_FOR_USER[situation] ?? [])];
      const missing = moves.filter((move) => !byIntent.has(move.intent)).map((move) => move.intent);
      expect({ situation, missing }).toEqual({ situation, missing: [] });
      const chunks = moves.reduce((sum, move) => sum + (byIntent.get(move.intent) ?? 0), 0);
      expect(chunks, situation).toBeGreaterThanOrEqual(5);
    }
  });

  it("grounds suggestions in chunks retrieved from the database for a conversation about plans", async () => {
    const conversation = [
      { author: "contact" as const, text: "my bad for going quiet! still on for drinks saturday?" },
    ];
    const retrieve = createKnowledgeRetriever(db, createBuiltinProvider());
    const chunks = await retrieve(conversation.map((line) => line.text).join("\n"), { limit: 4 });
    expect(chunks).toHaveLength(4);
    const suggestions = composeCoachSuggestions({ conversation, chunks });
    const retrievedIntents = new Set(chunks.map((chunk) => chunk.primaryIntent));
    // The search is lexical, so it finds the chunks about going quiet; the coach uses them for its moves.
    expect(retrievedIntents.has("accept_apology") || retrievedIntents.has("keep_it_easy")).toBe(true);
    // An analysis opens with the grounding chunk's reasoning, word for word.
    const grounded = suggestions.filter((s) => chunks.some((chunk) => chunk.text.includes(s.analysis.slice(0, 40))));
    expect(grounded.length).toBeGreaterThanOrEqual(1);
  });
});
