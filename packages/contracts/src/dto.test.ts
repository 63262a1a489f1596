import { describe, expect, it } from "vitest";
import {
  ZAiInteractionDtoSchema,
  ZCharacterAdminDtoSchema,
  ZCharacterDtoSchema,
  ZHealthDtoSchema,
  ZKnowledgeChunkDtoSchema,
  ZMessageDtoSchema,
  ZSessionDtoSchema,
  ZUserDtoSchema,
} from "./dto.ts";

const session = {
  id: "0b7c6f1e-3f5a-4b6e-9a47-2f0d8f1c9e11",
  type: "screenshot",
  status: "verifying_ocr",
  name: null,
  characterId: null,
  engagementId: null,
  episodeTemplateId: null,
  hasScreenshot: true,
  errorReason: null,
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_500,
  lastActivity: 1_700_000_000_500,
  endedAt: null,
  deletedAt: null,
  isActive: true,
  isPinned: false,
};

describe("DTOs", () => {
  it("accept wire shapes", () => {
    expect(ZSessionDtoSchema.parse(session)).toEqual(session);
  });

  it("refuse database enum values, Dates and missing fields, naming the field", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...session, status: "VERIFYING_OCR" }, "status"],
      [{ ...session, type: "SCREENSHOT" }, "type"],
      [{ ...session, createdAt: new Date(1_700_000_000_000) }, "createdAt"],
      [{ ...session, endedAt: -1 }, "endedAt"],
      [{ ...session, hasScreenshot: undefined }, "hasScreenshot"],
    ];
    for (const [input, field] of cases) {
      const result = ZSessionDtoSchema.safeParse(input);
      expect(result.success, field).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join("."))).toEqual([field]);
    }
  });

  it("keep server-only columns out of client shapes", () => {
    expect(Object.keys(ZSessionDtoSchema.shape)).not.toContain("screenshotKey");
    expect(Object.keys(ZSessionDtoSchema.shape)).not.toContain("ocrResult");
    expect(Object.keys(ZCharacterDtoSchema.shape)).not.toContain("systemPrompt");
    expect(Object.keys(ZCharacterAdminDtoSchema.shape)).toContain("systemPrompt");
    expect(Object.keys(ZKnowledgeChunkDtoSchema.shape)).not.toContain("embedding");
    const user = { id: "u1", email: "a@b.c", name: "A", image: null, role: "user", disabled: false, createdAt: 0 };
    expect(ZUserDtoSchema.parse({ ...user, password: "x" })).toEqual(user);
  });

  it("accept a message with computed interaction fields", () => {
    const message = {
      id: "m1",
      sessionId: session.id,
      text: "Try asking about the band",
      author: "ai",
      timestamp: 1_700_000_001_000,
      sentiment: null,
      collectionIds: [],
      title: "Curious follow-up",
      tag: "Attraction",
      analysis: "Open questions keep the conversation going.",
      isLiked: true,
      isDisliked: false,
      isPinned: false,
      usedCount: 2,
      builtIn: true,
      replyStatus: null,
      replyError: null,
      parentId: null,
      versions: ["m1"],
      stopped: false,
    };
    expect(ZMessageDtoSchema.parse(message)).toEqual(message);
    expect(ZMessageDtoSchema.safeParse({ ...message, usedCount: -1 }).success).toBe(false);
    expect(ZMessageDtoSchema.safeParse({ ...message, author: "AI" }).success).toBe(false);
    const failed = { ...message, author: "user", replyStatus: "failed", replyError: "The model call failed." };
    expect(ZMessageDtoSchema.parse(failed)).toEqual(failed);
    expect(ZMessageDtoSchema.safeParse({ ...message, replyStatus: "FAILED" }).success).toBe(false);
  });

  it("carry JSON columns of AI interactions but not arbitrary objects", () => {
    const interaction = {
      id: "i1",
      providerId: "p1",
      modelName: "builtin-retrieval",
      operation: "suggest",
      promptText: null,
      promptHash: "abc",
      request: { messages: [{ role: "user", content: "hi" }], temperature: 0.2 },
      response: null,
      status: "pending",
      latencyMs: null,
      timeToFirstTokenMs: null,
      inputTokens: null,
      outputTokens: null,
      errorCode: null,
      errorMessage: null,
      userId: "u1",
      sessionId: session.id,
      ipAddress: "127.0.0.1",
      fileMetadata: null,
      dataSource: "web",
      metadata: { retry: 0 },
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_000,
      deletedAt: null,
    };
    expect(ZAiInteractionDtoSchema.parse(interaction)).toEqual(interaction);
    expect(ZAiInteractionDtoSchema.safeParse({ ...interaction, request: { at: new Date() } }).success).toBe(false);
    expect(ZAiInteractionDtoSchema.safeParse({ ...interaction, status: "PENDING" }).success).toBe(false);
  });

  it("describe health", () => {
    const health = {
      status: "degraded",
      version: "0.1.0",
      database: { reachable: true, runtime: "pglite", migrations: { applied: 3, pending: ["0004_x"], current: false } },
      time: 1_700_000_000_000,
    };
    expect(ZHealthDtoSchema.parse(health)).toEqual(health);
    expect(ZHealthDtoSchema.safeParse({ ...health, status: "down" }).success).toBe(false);
    expect(ZHealthDtoSchema.safeParse({ ...health, database: { ...health.database, runtime: "sqlite" } }).success).toBe(
      false,
    );
  });
});
