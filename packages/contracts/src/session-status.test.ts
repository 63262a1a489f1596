import { describe, expect, it } from "vitest";
import { SessionStatus, type TSessionStatus } from "./enums.ts";
import { canTransition, SESSION_STATUS_LABELS, SESSION_TRANSITIONS } from "./session-status.ts";

const statuses = SessionStatus.wireValues;
const pairs = statuses.flatMap((from) => statuses.map((to) => [from, to] as const));

describe("session status machine", () => {
  it("has an entry and a label for every status, and nothing else", () => {
    expect(Object.keys(SESSION_TRANSITIONS).sort()).toEqual([...statuses].sort());
    expect(Object.keys(SESSION_STATUS_LABELS).sort()).toEqual([...statuses].sort());
    for (const status of statuses) expect(SESSION_STATUS_LABELS[status].trim()).not.toBe("");
  });

  it.each(pairs)("canTransition(%s, %s) agrees with the table", (from, to) => {
    expect(canTransition(from, to)).toBe(SESSION_TRANSITIONS[from].includes(to));
  });

  it("never moves a status to itself", () => {
    for (const status of statuses) expect(canTransition(status, status)).toBe(false);
  });

  it("lists only known statuses, each at most once", () => {
    for (const status of statuses) {
      const targets = SESSION_TRANSITIONS[status];
      expect(new Set(targets).size).toBe(targets.length);
      for (const target of targets) expect(statuses).toContain(target);
    }
  });

  it("allows exactly the moves of seed 003, plus ending from any resting status and suggestions returning to where they began", () => {
    const expected: [TSessionStatus, TSessionStatus[]][] = [
      ["pending_user_input", ["previewing_screenshot", "analysis_in_progress", "complete", "error"]],
      ["previewing_screenshot", ["uploading", "pending_user_input", "complete", "error"]],
      ["uploading", ["analysis_in_progress", "error"]],
      ["analysis_in_progress", ["verifying_ocr", "pending_user_input", "complete", "error"]],
      ["verifying_ocr", ["analysis_in_progress", "complete", "error"]],
      ["complete", ["analysis_in_progress", "pending_user_input"]],
      ["error", ["pending_user_input", "previewing_screenshot", "uploading", "analysis_in_progress", "complete"]],
    ];
    const allowed = pairs
      .filter(([from, to]) => canTransition(from, to))
      .map(([f, t]) => `${f}->${t}`)
      .sort();
    expect(allowed).toEqual(expected.flatMap(([from, tos]) => tos.map((to) => `${from}->${to}`)).sort());
  });

  it("reaches every status from the initial one and can always get back to it (no dead ends)", () => {
    const reachable = (start: TSessionStatus): Set<TSessionStatus> => {
      const seen = new Set<TSessionStatus>([start]);
      const queue = [start];
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        for (const to of SESSION_TRANSITIONS[next]) {
          if (!seen.has(to)) {
            seen.add(to);
            queue.push(to);
          }
        }
      }
      return seen;
    };
    expect([...reachable("pending_user_input")].sort()).toEqual([...statuses].sort());
    for (const status of statuses) expect(reachable(status).has("pending_user_input")).toBe(true);
  });

  it("uses the agreed labels", () => {
    expect(SESSION_STATUS_LABELS).toEqual({
      pending_user_input: "Waiting for you",
      previewing_screenshot: "Previewing screenshot",
      uploading: "Uploading",
      analysis_in_progress: "Analysing",
      verifying_ocr: "Check what was read",
      complete: "Complete",
      error: "Error",
    });
  });
});
