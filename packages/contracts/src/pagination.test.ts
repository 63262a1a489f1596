import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CURSOR_MAX } from "./limits.ts";
import {
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  pageOf,
  type TCursorValue,
  ZCursorSchema,
  ZPageInputSchema,
} from "./pagination.ts";

// -0 is normalised to 0 by design, so the generator leaves it out of the exact round trip.
const cursorValue: fc.Arbitrary<TCursorValue> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.constant(null),
);

describe("cursor", () => {
  it("round-trips arbitrary values, including any unicode", () => {
    fc.assert(
      fc.property(fc.array(cursorValue, { maxLength: 4 }), (values) => {
        const cursor = encodeCursor(values);
        expect(ZCursorSchema.parse(cursor)).toBe(cursor);
        expect(decodeCursor(cursor)).toEqual(values);
        expect(encodeCursor(decodeCursor(cursor))).toBe(cursor);
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips the values keyset pagination actually uses", () => {
    const values = [1_700_000_000_123, "0b7c6f1e-3f5a-4b6e-9a47-2f0d8f1c9e11", "naïve café 💬", null, -0.5];
    expect(decodeCursor(encodeCursor(values))).toEqual(values);
    expect(decodeCursor(encodeCursor([]))).toEqual([]);
  });

  it("survives lone surrogates", () => {
    const values = ["\ud800", "a\udfffb"];
    expect(decodeCursor(encodeCursor(values))).toEqual(values);
  });

  it("uses only URL-safe characters and no padding", () => {
    fc.assert(
      fc.property(fc.array(cursorValue, { maxLength: 4 }), (values) => {
        expect(encodeCursor(values)).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
    );
  });

  it("normalises -0 to 0", () => {
    expect(decodeCursor(encodeCursor([-0]))).toEqual([0]);
    expect(Object.is(decodeCursor(encodeCursor([-0]))[0], 0)).toBe(true);
  });

  it("refuses values JSON cannot carry and cursors that would be too long", () => {
    expect(() => encodeCursor([Number.NaN])).toThrow(RangeError);
    expect(() => encodeCursor([Number.POSITIVE_INFINITY])).toThrow(/cannot be stored/);
    expect(() => encodeCursor(["x".repeat(CURSOR_MAX)])).toThrow(/more than 512/);
  });

  // The lib is plain ES2023, so btoa is reached through globalThis (ASCII input only here).
  const { btoa } = globalThis as unknown as { btoa(data: string): string };
  const base64url = (text: string) => btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

  it.each([
    ["", /must not be empty/],
    ["a b", /base64url/],
    ["abc=", /base64url/],
    ["abc+/", /base64url/],
    ["A".repeat(CURSOR_MAX + 1), /at most 512/],
    ["A", /truncated/],
    ["AAAAA", /truncated/],
    ["_w", /not UTF-8/],
    [base64url("{not json"), /not JSON/],
    [base64url('{"a":1}'), /expected an array/],
    [base64url("[1,[2]]"), /expected an array of strings, numbers and nulls/],
    [base64url("[true]"), /expected an array/],
    [base64url('"str"'), /expected an array/],
  ])("rejects %j with a clear error", (cursor, message) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursor)).toThrow(message);
  });

  it("rejects random garbage with InvalidCursorError and nothing else", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (garbage) => {
        try {
          const values = decodeCursor(garbage);
          // Some random base64url strings do decode to a JSON array; those must be well typed.
          expect(Array.isArray(values)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidCursorError);
          expect((error as Error).message).toMatch(/^Invalid cursor: /);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("page input", () => {
  it("defaults the limit and accepts a missing or null cursor", () => {
    expect(ZPageInputSchema.parse({})).toEqual({ limit: 20 });
    expect(ZPageInputSchema.parse({ cursor: null, limit: 5 })).toEqual({ cursor: null, limit: 5 });
    const cursor = encodeCursor([1, "x"]);
    expect(ZPageInputSchema.parse({ cursor })).toEqual({ cursor, limit: 20 });
  });

  it.each([[0], [101], [2.5], ["10"]])("rejects limit %j", (limit) => {
    const result = ZPageInputSchema.safeParse({ limit });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["limit"]);
    expect(result.error?.issues[0]?.message).toMatch(/^limit /);
  });

  it("rejects a cursor that is not base64url", () => {
    const result = ZPageInputSchema.safeParse({ cursor: "not a cursor" });
    expect(result.error?.issues[0]?.path).toEqual(["cursor"]);
  });
});

describe("pageOf", () => {
  const ZPage = pageOf(z.object({ id: z.string() }));

  it("wraps items with a nullable next cursor", () => {
    expect(ZPage.parse({ items: [{ id: "a" }], nextCursor: null })).toEqual({ items: [{ id: "a" }], nextCursor: null });
    const nextCursor = encodeCursor(["a"]);
    expect(ZPage.parse({ items: [], nextCursor }).nextCursor).toBe(nextCursor);
  });

  it("validates the items and requires nextCursor to be present", () => {
    expect(ZPage.safeParse({ items: [{ id: 1 }], nextCursor: null }).success).toBe(false);
    expect(ZPage.safeParse({ items: [] }).success).toBe(false);
    expect(ZPage.safeParse({ items: [], nextCursor: "" }).success).toBe(false);
  });
});
