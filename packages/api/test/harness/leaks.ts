// Leak detector: finds stack traces, server file paths and SQL/Prisma internals in anything a client would receive.
import { APP_ERROR_TRPC_CODE, ZAppErrorCodeSchema } from "@lockstep/contracts";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { appCodeOf } from "../../src/errors.ts";

export interface Leak {
  /** What kind of internal detail it is (the rule's name). */
  rule: string;
  /** Where in the value, as a dotted path ("data.message", "data.fieldErrors.<key>"). */
  where: string;
  /** The matching text with a little context, shortened for reports. */
  excerpt: string;
}

interface Rule {
  name: string;
  pattern: RegExp;
}

// Each rule names something only the server knows. They are deliberately broad: a false alarm costs
// a look at the report, a miss costs a stack trace or a table name in front of every client.
const RULES: readonly Rule[] = [
  { name: "stack frame", pattern: / {4}at |\n\s*at \S|^\s*at .+:\d+:\d+\)?$/m },
  { name: "server path", pattern: /\/work\/|\/home\/|\/usr\/|\/app\/|[A-Za-z]:\\|file:\/\// },
  { name: "node_modules", pattern: /node_modules/ },
  { name: "source file position", pattern: /\.ts:|\.(?:tsx|mts|cts|js|mjs|cjs):\d+/ },
  { name: "prisma", pattern: /prisma|\$queryRaw|\$executeRaw|Invalid `[^`]*` invocation|\bP[1-5]\d{3}\b/i },
  {
    name: "SQL statement",
    pattern: /\bSELECT\b|\bINSERT INTO\b|\bDELETE FROM\b|\bUPDATE\s+"?\w+"?\s+SET\b|\bRETURNING\b/,
  },
  {
    name: "database error",
    pattern:
      /violates|duplicate key|syntax error at or near|invalid input syntax|invalid input value for enum|relation "[^"]*"|column "[^"]*"|constraint "[^"]*"|row-level security|permission denied for|deadlock detected|could not serialize|current transaction is aborted|value too long for type|out of range for type|ECONNREFUSED|ECONNRESET|\bSQLSTATE\b/i,
  },
  {
    name: "runtime error",
    pattern:
      /Cannot read propert|is not a function|is not defined|is not iterable|Maximum call stack|\bTypeError\b|\bReferenceError\b|\bRangeError\b|\bSyntaxError\b/,
  },
];

// Shorter echoes are not removed: they cannot spell a rule's words alone, and erasing every "at" or
// "ts" a fuzzer sent would blind the detector to real stack frames and file names.
const MIN_ECHO = 3;

/** Strings a client sent: those (and their trimmed/lowercased forms) may legitimately come back. */
export function echoStrings(input: unknown, limit = 2000): string[] {
  const found = new Set<string>();
  const seen = new Set<object>();
  const visit = (value: unknown, depth: number) => {
    if (found.size >= limit || depth > 300) return;
    if (typeof value === "string") {
      for (const form of [value, value.trim(), value.toLowerCase(), value.trim().toLowerCase()]) {
        if (form.length >= MIN_ECHO) found.add(form);
      }
      return;
    }
    if (typeof value === "number" || typeof value === "bigint") {
      if (String(value).length >= MIN_ECHO) found.add(String(value));
      return;
    }
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    for (const key of Object.keys(value)) {
      if (key.length >= MIN_ECHO) found.add(key);
      visit((value as Record<string, unknown>)[key], depth + 1);
    }
  };
  visit(input, 0);
  // Longest first, so a long echo is removed before a shorter one inside it.
  return [...found].sort((a, b) => b.length - a.length);
}

function withoutEcho(text: string, echoes: readonly string[]): string {
  let rest = text;
  for (const echo of echoes) {
    if (rest.length === 0) break;
    if (echo.length <= rest.length && rest.includes(echo)) rest = rest.split(echo).join(" ");
  }
  return rest;
}

function excerptOf(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 40);
  const end = Math.min(text.length, index + length + 40);
  return `${start > 0 ? "..." : ""}${text.slice(start, end)}${end < text.length ? "..." : ""}`.replace(/\s+/g, " ");
}

/**
 * Every internal detail in `value` (strings and object keys, at any depth). Text that came from the
 * client's own input (`echo`) is removed before matching, so a validator that repeats a hostile key
 * back is not reported, while the same words produced by the server are.
 */
export function findLeaks(value: unknown, options: { echo?: unknown } = {}): Leak[] {
  const echoes = options.echo === undefined ? [] : echoStrings(options.echo);
  const leaks: Leak[] = [];
  const seen = new Set<object>();
  const check = (text: string, where: string) => {
    const rest = withoutEcho(text, echoes);
    for (const rule of RULES) {
      const match = rule.pattern.exec(rest);
      if (match) leaks.push({ rule: rule.name, where, excerpt: excerptOf(rest, match.index, match[0].length) });
    }
  };
  const visit = (node: unknown, where: string, depth: number) => {
    if (depth > 300) return;
    if (typeof node === "string") {
      check(node, where);
      return;
    }
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (node instanceof Error) {
      // An Error object in a response is a leak by itself: it carries a stack wherever it goes.
      leaks.push({ rule: "error object", where, excerpt: `${node.name}: ${node.message}`.slice(0, 200) });
    }
    for (const key of Object.keys(node)) {
      const path = where ? `${where}.${key}` : key;
      if (key === "stack") leaks.push({ rule: "stack property", where: path, excerpt: "stack" });
      check(key, `${path} (key)`);
      visit((node as Record<string, unknown>)[key], path, depth + 1);
    }
  };
  visit(value, "", 0);
  return leaks;
}

/** The error shape the formatter in trpc.ts promises to every client. */
export const ZFormattedErrorShapeSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  data: z.looseObject({
    code: z.string(),
    httpStatus: z.number().int(),
    path: z.string().optional(),
    appCode: ZAppErrorCodeSchema,
    requestId: z.string().min(1),
    fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
    formErrors: z.array(z.string()).optional(),
  }),
});
export type FormattedErrorShape = z.infer<typeof ZFormattedErrorShapeSchema>;

/** tRPC codes a server failure maps to (HTTP 5xx): a client's input must never produce one. */
export function isServerError(shape: { data?: { httpStatus?: unknown } }): boolean {
  const status = shape.data?.httpStatus;
  return typeof status !== "number" || status >= 500;
}

/** The app code the formatter derives from a bare tRPC code (no AppError behind it). */
function derivedAppCode(code: string): string | undefined {
  try {
    return appCodeOf(new TRPCError({ code: code as TRPCError["code"] }));
  } catch {
    return undefined;
  }
}

/** The formatted error's app code, if it has one. */
export function appCodeOfShape(shape: unknown): string | undefined {
  const appCode = (shape as { data?: { appCode?: unknown } } | null)?.data?.appCode;
  return typeof appCode === "string" ? appCode : undefined;
}

/**
 * What is wrong with a formatted error, as the client would receive it: a shape that is not the
 * promised one, a missing or foreign request id, an internal error that says more than "Internal
 * error", and every leak. A 5xx status is reported separately (`isServerError`).
 */
export function problemsOfErrorShape(shape: unknown, expected: { requestId: string; input?: unknown }): string[] {
  const problems: string[] = [];
  const parsed = ZFormattedErrorShapeSchema.safeParse(shape);
  if (!parsed.success) {
    problems.push(
      `error shape is not the formatter's: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  } else {
    const { data, message } = parsed.data;
    if (data.requestId !== expected.requestId)
      problems.push(`requestId is ${JSON.stringify(data.requestId)}, expected the request's own`);
    if (data.appCode === "INTERNAL" && message !== "Internal error")
      problems.push(`internal error says more than "Internal error": ${message.slice(0, 200)}`);
    // The tRPC code (hence the HTTP status) must be the one the app code maps to, or the one it was
    // derived from; a mismatch means an AppError escaped the mapping (e.g. thrown inside a stream).
    if (APP_ERROR_TRPC_CODE[data.appCode] !== data.code && derivedAppCode(data.code) !== data.appCode) {
      problems.push(
        `code ${data.code} (HTTP ${data.httpStatus}) disagrees with appCode ${data.appCode}, which maps to ${APP_ERROR_TRPC_CODE[data.appCode]}`,
      );
    }
  }
  for (const leak of findLeaks(shape, { echo: expected.input })) {
    problems.push(`leak (${leak.rule}) at ${leak.where}: ${leak.excerpt}`);
  }
  return problems;
}
