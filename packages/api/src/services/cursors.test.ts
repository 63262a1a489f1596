// The cursor codec on its own: every key it encodes comes back as it was, and anything it did not
// make (edited, another list's, another version's, not base64url JSON) is BAD_INPUT naming `cursor`.
import { CURSOR_MAX, ZCursorSchema } from "@lockstep/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { CURSOR_VERSION, cursorCodec, ZTimeIdKeySchema } from "./cursors.ts";

const timeId = cursorCodec("test.timeId", ZTimeIdKeySchema);
const pinned = cursorCodec(
  "test.pinned",
  z.strictObject({
    p: z.union([z.literal(0), z.literal(1), z.null()]),
    t: z.number().int().nonnegative(),
    id: z.uuid(),
  }),
);
const named = cursorCodec(
  "test.named",
  z.strictObject({ calls: z.number().int().nonnegative(), hash: z.string().min(1) }),
);

const arbTimeId = fc.record({ t: fc.integer({ min: 0, max: 8.64e15 }), id: fc.uuid({ version: 4 }) });
const arbPinned = fc.record({
  p: fc.constantFrom(0 as const, 1 as const, null),
  t: fc.nat(),
  id: fc.uuid({ version: 4 }),
});
const arbNamed = fc.record({ calls: fc.nat(), hash: fc.string({ minLength: 1, maxLength: 64, unit: "grapheme" }) });

/** The refusal `decode` throws, or a failure if it accepted the cursor. */
function refusal(decode: () => unknown): AppError {
  try {
    decode();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the cursor to be refused");
}

function expectBadCursor(decode: () => unknown) {
  const error = refusal(decode);
  expect(error.code).toBe("BAD_INPUT");
  expect(error.details).toEqual({ field: "cursor" });
  expect(error.message).toMatch(/^cursor: /);
}

const envelope = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

describe("cursorCodec", () => {
  it("round-trips every key, as a cursor the wire schema accepts", () => {
    for (const [codec, arb] of [
      [timeId, arbTimeId],
      [pinned, arbPinned],
      [named, arbNamed],
    ] as const) {
      fc.assert(
        fc.property(arb as fc.Arbitrary<unknown>, (key) => {
          const cursor = (codec as typeof timeId).encode(key as never);
          expect(ZCursorSchema.safeParse(cursor).success).toBe(true);
          expect(cursor.length).toBeLessThanOrEqual(CURSOR_MAX);
          expect((codec as typeof timeId).decode(cursor)).toEqual(key);
        }),
      );
    }
  });

  it("reads no cursor as the first page", () => {
    expect(timeId.decode(null)).toBeNull();
    expect(timeId.decode(undefined)).toBeNull();
  });

  it("refuses any single-character edit of a cursor", () => {
    fc.assert(
      fc.property(
        arbTimeId,
        fc.nat(),
        fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        (key, at, char) => {
          const cursor = timeId.encode(key);
          const index = at % cursor.length;
          fc.pre(cursor[index] !== char);
          const edited = cursor.slice(0, index) + char + cursor.slice(index + 1);
          expectBadCursor(() => timeId.decode(edited));
        },
      ),
    );
  });

  it("refuses a truncated or extended cursor", () => {
    fc.assert(
      fc.property(arbTimeId, fc.integer({ min: 1, max: 20 }), (key, cut) => {
        const cursor = timeId.encode(key);
        expectBadCursor(() => timeId.decode(cursor.slice(0, Math.max(1, cursor.length - cut))));
        expectBadCursor(() => timeId.decode(cursor + "A".repeat(cut)));
      }),
    );
  });

  it("refuses another list's cursor, even with the same key shape", () => {
    const other = cursorCodec("test.other", ZTimeIdKeySchema);
    fc.assert(
      fc.property(arbTimeId, (key) => {
        const error = refusal(() => timeId.decode(other.encode(key)));
        expect(error).toMatchObject({ code: "BAD_INPUT", details: { field: "cursor" } });
        expect(error.message).toBe("cursor: not a cursor of this list");
      }),
    );
  });

  it("refuses a cursor of another version", () => {
    const cursor = timeId.encode({ t: 1, id: "00000000-0000-4000-8000-000000000000" });
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { v: number };
    for (const v of [0, CURSOR_VERSION + 1, -1]) {
      const error = refusal(() => timeId.decode(envelope({ ...decoded, v })));
      expect(error).toMatchObject({ code: "BAD_INPUT", details: { field: "cursor" } });
      expect(error.message).toMatch(/version/);
    }
  });

  it("refuses a key its schema rejects even with a matching check", () => {
    // The check is no secret (RLS, not the cursor, guards rows); the key's schema still applies.
    const forge = cursorCodec("test.timeId", z.unknown());
    for (const key of [
      { t: -1, id: "00000000-0000-4000-8000-000000000000" },
      { t: 1, id: "x" },
      { t: 1 },
      [1, "x"],
      null,
    ]) {
      expectBadCursor(() => timeId.decode(forge.encode(key)));
    }
  });

  it("refuses what is not base64url JSON of an envelope", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        fc.pre(text !== "");
        expectBadCursor(() => timeId.decode(text));
      }),
    );
    for (const value of [[1, "x"], { v: 1 }, "cursor", 42, { v: 1, l: "test.timeId", k: {}, c: "x", extra: 1 }]) {
      expectBadCursor(() => timeId.decode(envelope(value)));
    }
    expectBadCursor(() => timeId.decode(Buffer.from([0xff, 0xfe, 0xfd]).toString("base64url")));
    expectBadCursor(() => timeId.decode("bm90LWEtY3Vyc29y"));
  });

  it("will not encode a key outside its schema", () => {
    expect(() => timeId.encode({ t: 1.5, id: "00000000-0000-4000-8000-000000000000" })).toThrow(RangeError);
  });
});
