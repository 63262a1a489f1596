// The audit log's one-line summary: only the fields that changed, old to new, long values shortened.
import { describe, expect, it } from "vitest";
import { changedFields } from "./audit.ts";

describe("changedFields", () => {
  it("lists the fields that differ, in order, with old and new values", () => {
    const before = { id: "u1", role: "user", disabled: false, name: "Ann" };
    const after = { id: "u1", role: "admin", disabled: true, name: "Ann" };
    expect(changedFields(before, after)).toEqual(['role: "user" → "admin"', "disabled: false → true"]);
  });

  it("shows added and removed fields, compares nested values, and shortens long ones", () => {
    const long = "x".repeat(60);
    expect(changedFields({ a: { b: 1 }, gone: 1 }, { a: { b: 2 }, added: long })).toEqual([
      'a: {"b":1} → {"b":2}',
      "gone: 1 → undefined",
      `added: undefined → "${"x".repeat(38)}…`,
    ]);
  });

  it("says nothing for a create, a delete or an unchanged row", () => {
    expect(changedFields(null, { id: 1 })).toEqual([]);
    expect(changedFields({ id: 1 }, null)).toEqual([]);
    expect(changedFields({ id: 1 }, { id: 1 })).toEqual([]);
  });
});
