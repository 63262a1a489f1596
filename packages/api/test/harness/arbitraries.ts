// Random inputs for any procedure: hostile values of every type, valid-shaped values from its schema, and those with one part broken.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { DiscoveredProcedure } from "./discovery.ts";
import { defineOwn, inputJsonSchema, type ValueHints, valueArbitrary } from "./schema.ts";

// Built once: allocating 100k-character strings for every run would dominate the fuzzer's time.
const HUGE_STRINGS: readonly string[] = [
  "a".repeat(100_000),
  "\u{1F600}".repeat(50_000),
  "\u200b".repeat(100_000),
  "\ud800".repeat(100_000),
  "\u202e".repeat(50_000) + "x".repeat(50_000),
  `${"{".repeat(50_000)}${"}".repeat(50_000)}`,
];

const SPECIAL_STRINGS: readonly string[] = [
  "",
  " ",
  "   \t\n",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\ud83d",
  "\ude00y",
  // A lone trail surrogate after a non-ASCII character: PGlite's wire serializer under-counts it.
  "\u202e\udec4",
  "\u202eevil\u202c",
  "\u200b\u200c\u200d\u2060\ufeff",
  "\u2066isolated\u2069",
  "مرحبا بالعالم",
  "שלום עולם",
  "e\u0301\u0301\u0301\u0301",
  "𝕳𝖊𝖑𝖑𝖔",
  "\u{10FFFF}",
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  "\\",
  '"',
  "\r\n",
  "%00",
  "${7*7}",
  "{{7*7}}",
  "../../../../etc/passwd",
  "<script>alert(1)</script>",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e308",
  "__proto__",
  "constructor",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "not-a-uuid",
  "user",
  "admin",
  "ADMIN",
  "https://example.com/",
  "javascript:alert(1)",
  "data:text/html,<b>x</b>",
  "a@b.c",
];

const SPECIAL_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1,
  -1,
  0.5,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
];

/** Objects whose keys try prototype pollution; parsed from JSON so `__proto__` is an own key, as over HTTP. */
const POLLUTING_OBJECTS: readonly string[] = [
  '{"__proto__": {"role": "admin", "isAdmin": true}}',
  '{"constructor": {"prototype": {"role": "admin"}}}',
  '{"__proto__": null}',
  '{"toString": "x", "valueOf": 1, "hasOwnProperty": null}',
];

/** Strings with lone surrogates, bidi controls and zero-width characters mixed in. */
const weirdUnit = fc.oneof(
  fc.constantFrom(
    "\u202e",
    "\u202d",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u0000",
    "\u0301",
    "a",
    "'",
    '"',
    "\\",
    "%",
    "\n",
  ),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SPECIAL_STRINGS), weight: 4 },
  { arbitrary: fc.string({ unit: weirdUnit, maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }), weight: 2 },
  { arbitrary: fc.constantFrom(...HUGE_STRINGS), weight: 2 },
  { arbitrary: fc.uuid(), weight: 1 },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(...SPECIAL_NUMBERS), weight: 3 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
);

/** Objects or arrays nested 50 to 150 levels deep, with a hostile leaf. */
export const deeplyNested: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.integer({ min: 50, max: 150 }),
    fc.constantFrom("object", "array", "mixed"),
    fc.oneof(hostileString, hostileNumber, fc.constant(null)),
  )
  .map(([depth, style, leaf]) => {
    let value: unknown = leaf;
    for (let i = 0; i < depth; i++) {
      const asArray = style === "array" || (style === "mixed" && i % 2 === 1);
      value = asArray ? [value] : { a: value };
    }
    return value;
  });

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, undefined, true, false),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);

// A list far longer than any input should accept, built once for the same reason as HUGE_STRINGS.
const MANY_IDS: readonly string[] = Array.from({ length: 5000 }, () => randomUUID());

// Small mixed structures, some without a prototype. Hand-made rather than fc.anything(), which
// costs about a millisecond per value and would double the fuzzer's run time.
const smallStructure: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.oneof(
      fc.array(fc.oneof(leaf, fc.array(leaf, { maxLength: 3 })), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(leaf, fc.array(leaf, { maxLength: 3 })), {
        maxKeys: 4,
        noNullPrototype: true,
      }),
    ),
    fc.boolean(),
  )
  .map(([value, bare]) =>
    bare && !Array.isArray(value) ? Object.assign(Object.create(null) as object, value) : value,
  );

/** Any hostile value: wrong types, huge strings, odd unicode, odd numbers, deep nesting, odd objects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: leaf, weight: 6 },
  { arbitrary: deeplyNested, weight: 2 },
  { arbitrary: fc.constantFrom(...POLLUTING_OBJECTS).map((json) => JSON.parse(json) as unknown), weight: 1 },
  { arbitrary: fc.array(leaf, { maxLength: 5 }), weight: 2 },
  { arbitrary: fc.constant(MANY_IDS), weight: 1 },
  {
    arbitrary: fc.dictionary(
      fc.oneof(
        hostileString.filter((s) => s.length < 100),
        fc.constantFrom("id", "__proto__", "constructor"),
      ),
      leaf,
      {
        maxKeys: 4,
        noNullPrototype: false,
      },
    ),
    weight: 2,
  },
  { arbitrary: smallStructure, weight: 2 },
);

// ------------------------------------------------------------------ mutations of a valid value

export const MUTATIONS = [
  "replace",
  "delete",
  "null",
  "undefined",
  "wrap-in-array",
  "extra-key",
  "pollute",
  "huge",
  "deep",
  "unwrap",
] as const;
export type Mutation = (typeof MUTATIONS)[number];

type Path = (string | number)[];

function pathsOf(value: unknown, limit = 200): Path[] {
  const paths: Path[] = [[]];
  const visit = (node: unknown, path: Path, depth: number) => {
    if (paths.length >= limit || depth > 6 || node === null || typeof node !== "object") return;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      const next = [...path, key];
      paths.push(next);
      visit((node as Record<string | number, unknown>)[key], next, depth + 1);
    }
  };
  visit(value, [], 0);
  return paths;
}

const REMOVE = Symbol("remove");

function updateAt(value: unknown, path: Path, change: (old: unknown) => unknown): unknown {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(value)) {
    const copy = [...(value as unknown[])];
    const next = updateAt(copy[head as number], rest, change);
    if (next === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const source = (value ?? {}) as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) defineOwn(copy, key, source[key]);
  const next = updateAt(source[head as string], rest, change);
  if (next === REMOVE) delete copy[head as string];
  else defineOwn(copy, String(head), next);
  return copy;
}

/** `value` with one part broken by `mutation`, using `garbage` where a replacement is needed. */
export function mutate(value: unknown, pick: number, mutation: Mutation, garbage: unknown): unknown {
  const paths = pathsOf(value);
  const path = paths[pick % paths.length] ?? [];
  const result = updateAt(value, path, (old) => {
    switch (mutation) {
      case "replace":
        return garbage;
      case "delete":
        return path.length === 0 ? undefined : REMOVE;
      case "null":
        return null;
      case "undefined":
        return undefined;
      case "wrap-in-array":
        return [old];
      case "unwrap":
        return Array.isArray(old) ? old[0] : typeof old === "object" && old !== null ? Object.values(old)[0] : old;
      case "extra-key": {
        if (typeof old !== "object" || old === null || Array.isArray(old)) return garbage;
        const copy: Record<string, unknown> = { ...(old as Record<string, unknown>) };
        defineOwn(copy, `extra_${pick % 7}`, garbage);
        return copy;
      }
      case "pollute": {
        const copy = JSON.parse('{"__proto__": {"role": "admin", "userId": "someone-else"}}') as Record<
          string,
          unknown
        >;
        if (typeof old === "object" && old !== null && !Array.isArray(old)) {
          for (const key of Object.keys(old)) defineOwn(copy, key, (old as Record<string, unknown>)[key]);
        }
        return copy;
      }
      case "huge":
        return typeof old === "string"
          ? old + HUGE_STRINGS[pick % HUGE_STRINGS.length]
          : Array.from({ length: 2000 }, () => old);
      case "deep": {
        let nested: unknown = old;
        for (let i = 0; i < 60; i++) nested = i % 2 ? [nested] : { a: nested };
        return nested;
      }
    }
  });
  return result === REMOVE ? undefined : result;
}

// ------------------------------------------------------------------ per procedure

export interface InputArbitraries {
  /** Valid-shaped values from the input schema (undefined for a procedure without input). */
  valid: fc.Arbitrary<unknown>;
  /** The fuzzer's mix: hostile values, valid-shaped values, and valid-shaped values with one part broken. */
  any: fc.Arbitrary<unknown>;
  /** Whether the valid-shaped values come from an introspected schema. */
  introspected: boolean;
}

export function inputArbitraries(
  procedure: Pick<DiscoveredProcedure, "inputs">,
  hints: ValueHints = {},
): InputArbitraries {
  const schema = inputJsonSchema(procedure);
  const valid = schema ? valueArbitrary(schema, hints) : fc.constantFrom<unknown>(undefined, {}, null);
  const broken = fc
    .tuple(valid, fc.nat(), fc.constantFrom(...MUTATIONS), hostileValue)
    .map(([value, pick, mutation, garbage]) => mutate(value, pick, mutation, garbage));
  const any = fc.oneof(
    { arbitrary: hostileValue, weight: 3 },
    { arbitrary: valid, weight: 3 },
    { arbitrary: broken, weight: 4 },
  );
  return { valid, any, introspected: schema !== undefined };
}
