import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ContractEnum, DATABASE_ENUMS, defineEnum } from "./enums.ts";

// Widened once so one loop can exercise every enum; each entry's own types are checked where it is declared.
const enums = DATABASE_ENUMS as readonly ContractEnum<string, string>[];

const PROTOTYPE_KEYS = ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"];

describe.each(enums.map((e) => [e.prismaName, e] as const))("%s", (_name, e) => {
  it("maps every wire value to its upper-cased database value", () => {
    expect(e.dbValues).toEqual(e.wireValues.map((w) => w.toUpperCase()));
    expect(new Set(e.wireValues).size).toBe(e.wireValues.length);
  });

  it("round-trips wire -> db -> wire", () => {
    fc.assert(
      fc.property(fc.constantFrom(...e.wireValues), (wire) => {
        const db = e.toDb(wire);
        expect(e.db.parse(db)).toBe(db);
        expect(e.toWire(db)).toBe(wire);
      }),
    );
  });

  it("round-trips db -> wire -> db", () => {
    fc.assert(
      fc.property(fc.constantFrom(...e.dbValues), (db) => {
        const wire = e.toWire(db);
        expect(e.wire.parse(wire)).toBe(wire);
        expect(e.toDb(wire)).toBe(db);
      }),
    );
  });

  it("rejects unknown values in toDb, toWire and both schemas", () => {
    const known = new Set<string>([...e.wireValues, ...e.dbValues]);
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom(...PROTOTYPE_KEYS)).filter((s) => !known.has(s)),
        (value) => {
          expect(() => e.toDb(value)).toThrow(RangeError);
          expect(() => e.toWire(value)).toThrow(RangeError);
          expect(e.wire.safeParse(value).success).toBe(false);
          expect(e.db.safeParse(value).success).toBe(false);
        },
      ),
    );
  });

  it("does not accept one side's values on the other side", () => {
    for (const db of e.dbValues) {
      expect(() => e.toDb(db)).toThrow(/unknown wire value/);
      expect(e.wire.safeParse(db).success).toBe(false);
    }
    for (const wire of e.wireValues) {
      expect(() => e.toWire(wire)).toThrow(/unknown database value/);
      expect(e.db.safeParse(wire).success).toBe(false);
    }
  });

  it("rejects non-string input in the schemas", () => {
    for (const value of [null, undefined, 0, true, {}, []]) {
      expect(e.wire.safeParse(value).success).toBe(false);
      expect(e.db.safeParse(value).success).toBe(false);
    }
  });
});

describe("defineEnum", () => {
  it("names the enum and the value in its errors", () => {
    const Colour = defineEnum("Colour", { red: "RED" });
    expect(() => Colour.toDb("blue" as "red")).toThrow('Colour: unknown wire value "blue"');
    expect(() => Colour.toWire("BLUE" as "RED")).toThrow('Colour: unknown database value "BLUE"');
  });

  it("covers every Prisma enum name exactly once", () => {
    const names = enums.map((e) => e.prismaName);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(0);
  });
});
