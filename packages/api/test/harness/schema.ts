// Reads a procedure's input schema (zod 4 -> JSON Schema) to build valid-shaped inputs and to find its id-like fields.
import fc from "fast-check";
import { z } from "zod";
import type { DiscoveredProcedure } from "./discovery.ts";

export type JsonSchema = { [key: string]: unknown };

/** zod 4 schemas carry `_zod`; other validators (if any ever appear) are fuzzed with garbage only. */
function isZodSchema(parser: unknown): parser is z.ZodType {
  return typeof parser === "object" && parser !== null && "_zod" in parser;
}

/**
 * The input as JSON Schema (input side: before transforms and defaults), or undefined when the
 * procedure takes no input or its parser is not zod. Several `.input()` calls are merged by tRPC,
 * so they become one `allOf`.
 */
export function inputJsonSchema(procedure: Pick<DiscoveredProcedure, "inputs">): JsonSchema | undefined {
  const schemas: JsonSchema[] = [];
  for (const parser of procedure.inputs) {
    if (!isZodSchema(parser)) return undefined;
    try {
      schemas.push(
        z.toJSONSchema(parser, { io: "input", unrepresentable: "any", cycles: "ref", reused: "inline" }) as JsonSchema,
      );
    } catch {
      return undefined;
    }
  }
  if (schemas.length === 0) return undefined;
  if (schemas.length === 1) return schemas[0];
  return { allOf: schemas, $defs: Object.assign({}, ...schemas.map((s) => s.$defs ?? {})) as JsonSchema };
}

/** Does `input` pass every input parser, as the procedure's own validation would decide? */
export function passesInputValidation(procedure: Pick<DiscoveredProcedure, "inputs">, input: unknown): boolean {
  for (const parser of procedure.inputs) {
    if (!isZodSchema(parser)) return false;
    try {
      if (!parser.safeParse(input).success) return false;
    } catch {
      // A refine or transform that throws is the procedure's problem; the call will show it.
      return false;
    }
  }
  return true;
}

// ------------------------------------------------------------------ id-like fields

/** A key that names a row: `id`, `...Id`, `...Ids`, `..._id(s)`, or a page `cursor`. */
export function isIdLikeKey(key: string): boolean {
  return key === "id" || key === "ids" || key === "cursor" || /[a-z0-9]Ids?$/.test(key) || /_ids?$/.test(key);
}

export interface IdField {
  /** Keys from the input's root to the field; "[]" steps into an array's items. */
  path: string[];
  key: string;
  /** The field holds a list of ids (`...Ids`, or an array schema). */
  isArray: boolean;
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === "#") return root;
  const match = /^#\/\$defs\/(.+)$/.exec(ref);
  if (!match?.[1]) return undefined;
  return (root.$defs as Record<string, JsonSchema> | undefined)?.[decodeURIComponent(match[1])];
}

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;
}

function branchesOf(schema: JsonSchema): JsonSchema[] {
  const branches: JsonSchema[] = [];
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = schema[key];
    if (Array.isArray(list)) for (const item of list) if (asSchema(item)) branches.push(item as JsonSchema);
  }
  return branches;
}

function isArraySchema(schema: JsonSchema, root: JsonSchema): boolean {
  if (schema.type === "array") return true;
  if (typeof schema.$ref === "string") {
    const target = resolveRef(root, schema.$ref);
    return target ? isArraySchema(target, root) : false;
  }
  return branchesOf(schema).some((b) => isArraySchema(b, root));
}

/** Every id-like field the input accepts, at any depth (objects, arrays, unions, $refs). */
export function findIdFields(root: JsonSchema | undefined): IdField[] {
  if (!root) return [];
  const fields = new Map<string, IdField>();
  const visiting = new Set<JsonSchema>();
  const visit = (schema: JsonSchema, path: string[]) => {
    if (visiting.has(schema) || path.length > 8) return;
    visiting.add(schema);
    if (typeof schema.$ref === "string") {
      const target = resolveRef(root, schema.$ref);
      if (target) visit(target, path);
    }
    for (const branch of branchesOf(schema)) visit(branch, path);
    const items = asSchema(schema.items);
    if (items) visit(items, [...path, "[]"]);
    const properties = asSchema(schema.properties);
    if (properties) {
      for (const [key, value] of Object.entries(properties)) {
        const child = asSchema(value);
        if (!child) continue;
        if (isIdLikeKey(key)) {
          const fieldPath = [...path, key];
          fields.set(fieldPath.join("."), {
            path: fieldPath,
            key,
            isArray: /Ids$|_ids$|^ids$/.test(key) || isArraySchema(child, root),
          });
        }
        visit(child, [...path, key]);
      }
    }
    visiting.delete(schema);
  };
  visit(root, []);
  return [...fields.values()];
}

/**
 * A copy of `input` with `value` at `path`, creating objects (and one-element arrays for "[]") on
 * the way. Own properties are defined, not assigned, so a `__proto__` key stays a plain key.
 */
export function setAtPath(input: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (head === "[]") {
    const list = Array.isArray(input) && input.length > 0 ? [...(input as unknown[])] : [{}];
    list[0] = setAtPath(list[0], rest, value);
    return list;
  }
  const base = typeof input === "object" && input !== null && !Array.isArray(input) ? input : {};
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(base)) defineOwn(copy, key, (base as Record<string, unknown>)[key]);
  defineOwn(copy, head, setAtPath(copy[head], rest, value));
  return copy;
}

export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// ------------------------------------------------------------------ valid-shaped values

export interface ValueHints {
  /**
   * Values to offer for an id-like field besides random UUIDs (existing rows, the caller's own id),
   * so that generated inputs reach rows, not only "not found".
   */
  ids?: (key: string) => readonly string[];
  /** Values to offer for a field whose name mentions email (the caller's own, for confirmations). */
  emails?: readonly string[];
  /** Cursors to offer for a `cursor` field besides random base64url. */
  cursors?: readonly string[];
}

const TEXT_CHARS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,!?'éüñ漢字😀"];
const textUnit = fc.constantFrom(...TEXT_CHARS);

function plainText(minLength: number, maxLength: number): fc.Arbitrary<string> {
  // Starts and ends with a letter, so `.trim().min(1)` schemas accept it.
  const min = Math.max(0, minLength);
  const max = Math.max(min, Math.min(maxLength, min + 40));
  if (max === 0) return fc.constant("");
  return fc
    .string({ unit: textUnit, minLength: Math.max(0, min - 1), maxLength: Math.max(0, max - 1) })
    .map((s) => `a${s}`.replace(/\s+$/, "") || "a")
    .map((s) => (s.length < min ? s.padEnd(min, "b") : s));
}

// One odd character inside otherwise valid text: NUL, a lone surrogate, bidi and zero-width marks,
// a combining accent, an astral emoji. Valid for the schema, so it reaches the resolver and the
// database, which is where such characters break (PostgreSQL rejects NUL in text, for one). "é"
// before a lone trail surrogate is there on purpose: PGlite's wire serializer miscounts its bytes.
const ODD_CHARACTERS = [
  "\u0000",
  "\ud800",
  "\udfff",
  "é\udc00",
  "\u202e",
  "\u2066",
  "\u200b",
  "\ufeff",
  "\u0301",
  "\u{1F600}",
  "\r\n",
];
function spiced(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.constantFrom(...ODD_CHARACTERS), fc.nat()).map(([value, odd, at]) => {
    const index = value.length > 1 ? 1 + (at % (value.length - 1)) : value.length;
    return value.slice(0, index) + odd + value.slice(index);
  });
}

const simpleEmail = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/),
    fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/),
    fc.constantFrom("com", "org", "test"),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const httpsUrl = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,12}$/), fc.stringMatching(/^[a-z0-9/]{0,20}$/))
  .map(([host, path]) => `https://${host}.example.com/${path}`);
const isoDateTime = fc.integer({ min: 0, max: 4102444800000 }).map((ms) => new Date(ms).toISOString());

function stringArbitrary(schema: JsonSchema, key: string | undefined, hints: ValueHints): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : 200;
  const format = typeof schema.format === "string" ? schema.format : undefined;
  const pattern = typeof schema.pattern === "string" ? schema.pattern : undefined;
  let base: fc.Arbitrary<string>;
  switch (format) {
    case "uuid":
    case "guid":
      base = fc.uuid({ version: 4 });
      break;
    case "email":
    case "idn-email":
      base = simpleEmail;
      break;
    case "uri":
    case "url":
    case "iri":
      base = httpsUrl;
      break;
    case "date-time":
      base = isoDateTime;
      break;
    case "date":
      base = isoDateTime.map((s) => s.slice(0, 10));
      break;
    case "time":
      base = isoDateTime.map((s) => s.slice(11, 19));
      break;
    case "ipv4":
      base = fc.ipV4();
      break;
    case "ipv6":
      base = fc.ipV6();
      break;
    default:
      base =
        patternArbitrary(pattern) ??
        fc.oneof(
          { arbitrary: plainText(minLength, maxLength), weight: 3 },
          { arbitrary: spiced(plainText(minLength, maxLength)), weight: 1 },
        );
      // Names carry intent the JSON Schema lost (a `.pipe(z.url())` keeps only the string side).
      if (!pattern && key && /url|image|avatar|link|href/i.test(key)) base = fc.oneof(httpsUrl, base);
      if (!pattern && key && /email/i.test(key)) base = fc.oneof(simpleEmail, base);
      if (!pattern && key && isIdLikeKey(key) && key !== "cursor") base = fc.oneof(fc.uuid({ version: 4 }), base);
  }
  const offers: string[] = [];
  if (key && isIdLikeKey(key) && key !== "cursor") offers.push(...(hints.ids?.(key) ?? []));
  if (key === "cursor") offers.push(...(hints.cursors ?? []));
  if (key && /email/i.test(key)) offers.push(...(hints.emails ?? []));
  const withOffers = offers.length
    ? fc.oneof({ arbitrary: base, weight: 1 }, { arbitrary: fc.constantFrom(...offers), weight: 2 })
    : base;
  return withOffers.filter((s) => (s.length >= minLength && s.length <= maxLength) || offers.includes(s));
}

function patternArbitrary(pattern: string | undefined): fc.Arbitrary<string> | undefined {
  if (!pattern) return undefined;
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return undefined;
  }
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
  let min = num(schema.minimum);
  let max = num(schema.maximum);
  const exMin = num(schema.exclusiveMinimum);
  const exMax = num(schema.exclusiveMaximum);
  if (integer) {
    if (exMin !== undefined) min = Math.max(min ?? -Infinity, Math.floor(exMin) + 1);
    if (exMax !== undefined) max = Math.min(max ?? Infinity, Math.ceil(exMax) - 1);
    const lo = Math.max(min ?? -1_000_000, -Number.MAX_SAFE_INTEGER);
    const hi = Math.min(max ?? 1_000_000, Number.MAX_SAFE_INTEGER);
    return hi < lo ? fc.constant(lo) : fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) });
  }
  const lo = min ?? (exMin !== undefined ? exMin + 1e-9 : -1e6);
  const hi = max ?? (exMax !== undefined ? exMax - 1e-9 : 1e6);
  return hi < lo ? fc.constant(lo) : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
}

/**
 * Values that match the JSON Schema's shape and most of its constraints (formats, lengths, ranges,
 * enums, required keys); refinements JSON Schema cannot express are left to chance, and callers
 * can check with `passesInputValidation`.
 */
export function valueArbitrary(root: JsonSchema, hints: ValueHints = {}): fc.Arbitrary<unknown> {
  const build = (
    schema: JsonSchema | boolean | undefined,
    key: string | undefined,
    depth: number,
  ): fc.Arbitrary<unknown> => {
    if (schema === undefined || schema === true || (typeof schema === "object" && Object.keys(schema).length === 0)) {
      return fc.oneof(plainText(1, 12), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null));
    }
    if (schema === false) return fc.constant(undefined);
    if (depth > 6) return fc.constant(null);
    if (typeof schema.$ref === "string") {
      const target = resolveRef(root, schema.$ref);
      return target ? build(target, key, depth + 1) : fc.constant(null);
    }
    if ("const" in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
    const anyOf = (schema.anyOf ?? schema.oneOf) as unknown;
    if (Array.isArray(anyOf) && anyOf.length > 0) {
      return fc.oneof(...anyOf.map((branch) => build(asSchema(branch), key, depth + 1)));
    }
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
      const parts = (schema.allOf as unknown[]).map(asSchema).filter((p): p is JsonSchema => p !== undefined);
      const objects = parts.every((p) => p.type === "object" || p.properties);
      if (objects) {
        const merged: JsonSchema = { type: "object", properties: {}, required: [] as string[] };
        for (const part of parts) {
          Object.assign(merged.properties as JsonSchema, part.properties ?? {});
          (merged.required as string[]).push(...((part.required as string[] | undefined) ?? []));
        }
        return build(merged, key, depth + 1);
      }
      return build(parts[0], key, depth + 1);
    }
    const type = schema.type;
    if (Array.isArray(type)) return fc.oneof(...type.map((t) => build({ ...schema, type: t }, key, depth)));
    switch (type) {
      case "string":
        return stringArbitrary(schema, key, hints);
      case "integer":
        return numberArbitrary(schema, true);
      case "number":
        return numberArbitrary(schema, false);
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array": {
        const prefix = schema.prefixItems;
        if (Array.isArray(prefix)) return fc.tuple(...prefix.map((item) => build(asSchema(item), key, depth + 1)));
        const minLength = typeof schema.minItems === "number" ? schema.minItems : 0;
        const maxLength = Math.min(typeof schema.maxItems === "number" ? schema.maxItems : 4, minLength + 4);
        // Items of an `...Ids` list are ids too: pass the key down so they get the id offers.
        const itemKey = key && /Ids$|_ids$|^ids$/.test(key) ? key.replace(/s$/, "") : key;
        return fc.array(build(asSchema(schema.items), itemKey, depth + 1), { minLength, maxLength });
      }
      case "object":
      default: {
        const properties = asSchema(schema.properties);
        if (!properties) {
          const extra = asSchema(schema.additionalProperties);
          if (extra)
            return fc.dictionary(plainText(1, 8), build(extra, undefined, depth + 1), {
              maxKeys: 3,
              noNullPrototype: true,
            });
          if (type === "object") return fc.constant({});
          return build(true, key, depth);
        }
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, child] of Object.entries(properties)) model[name] = build(asSchema(child), name, depth + 1);
        const required = Array.isArray(schema.required) ? (schema.required as string[]).filter((k) => k in model) : [];
        return fc.record(model, { requiredKeys: required, noNullPrototype: true });
      }
    }
  };
  return build(root, undefined, 0);
}
