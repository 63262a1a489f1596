// The sidebar's list logic: what is asked of the server, the order shown, and the status actions offered.
import { SESSION_STATUS_LABELS, type TSessionDto } from "@lockstep/contracts";
import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS, matchesFilters, orderSessions, SESSION_STATUSES, toListInput } from "./session-list.ts";

function session(id: string, overrides: Partial<TSessionDto> = {}): TSessionDto {
  return {
    id,
    type: "text",
    status: "pending_user_input",
    name: `Session ${id}`,
    characterId: null,
    engagementId: null,
    episodeTemplateId: null,
    hasScreenshot: false,
    errorReason: null,
    createdAt: 1_000,
    updatedAt: 1_000,
    lastActivity: 1_000,
    endedAt: null,
    deletedAt: null,
    isActive: true,
    isPinned: false,
    ...overrides,
  };
}

describe("toListInput", () => {
  it("asks for pinned first by last activity, and nothing else, with no filters set", () => {
    expect(toListInput(EMPTY_FILTERS)).toEqual({ limit: 30, orderBy: "last_activity", pinnedFirst: true });
  });

  it("passes the status, the type and the trimmed search, and leaves out an empty search", () => {
    expect(toListInput({ query: "  maya ", status: "verifying_ocr", type: "screenshot" })).toMatchObject({
      query: "maya",
      status: "verifying_ocr",
      type: "screenshot",
    });
    expect(toListInput({ ...EMPTY_FILTERS, query: "   " })).not.toHaveProperty("query");
  });

  it("asks for the trash without pinning first", () => {
    expect(toListInput(EMPTY_FILTERS, { trash: true })).toMatchObject({ trash: true, pinnedFirst: false });
  });
});

describe("orderSessions", () => {
  it("puts pinned sessions first, then the most recently active", () => {
    const ordered = orderSessions([
      { items: [session("a", { lastActivity: 5 }), session("b", { lastActivity: 9 })] },
      { items: [session("c", { lastActivity: 1, isPinned: true }), session("d", { lastActivity: 7 })] },
    ]);
    expect(ordered.map((s) => s.id)).toEqual(["c", "b", "d", "a"]);
  });

  it("shows a session that appears on two pages once, in its newest state", () => {
    const ordered = orderSessions([
      { items: [session("a", { name: "old", updatedAt: 1 })] },
      { items: [session("a", { name: "new", updatedAt: 2, lastActivity: 2_000 }), session("b")] },
    ]);
    expect(ordered.map((s) => s.id)).toEqual(["a", "b"]);
    expect(ordered[0]?.name).toBe("new");
  });
});

describe("matchesFilters", () => {
  it("matches status, type and a case-insensitive name search", () => {
    const s = session("a", { name: "Dinner with Sam", status: "complete", type: "screenshot" });
    expect(matchesFilters(s, { query: "SAM", status: "complete", type: "screenshot" })).toBe(true);
    expect(matchesFilters(s, { ...EMPTY_FILTERS, status: "error" })).toBe(false);
    expect(matchesFilters(s, { ...EMPTY_FILTERS, type: "text" })).toBe(false);
    expect(matchesFilters(s, { ...EMPTY_FILTERS, query: "alex" })).toBe(false);
  });
});

describe("statuses", () => {
  it("covers the seven statuses, each with a label", () => {
    expect(SESSION_STATUSES).toHaveLength(7);
    for (const status of SESSION_STATUSES) expect(SESSION_STATUS_LABELS[status]).toBeTruthy();
  });
});
