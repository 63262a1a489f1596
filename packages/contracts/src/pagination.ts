// Keyset pagination on the wire: page input, page output, and the opaque cursor between them.
import { z } from "zod";
import { CURSOR_MAX, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from "./limits.ts";

/**
 * Opaque to clients: they only hand back what the server gave them. base64url, so it survives URLs
 * (tRPC sends query input in the query string).
 */
export const ZCursorSchema = z
  .string({ error: "cursor must be a string" })
  .min(1, { error: "cursor must not be empty" })
  .max(CURSOR_MAX, { error: `cursor must be at most ${CURSOR_MAX} characters` })
  .regex(/^[A-Za-z0-9_-]+$/, { error: "cursor must be base64url (A-Z, a-z, 0-9, - and _)" });
export type TCursor = z.infer<typeof ZCursorSchema>;

export const ZPageInputSchema = z.object({
  // nullish, not optional: TanStack's infinite queries send `cursor: null` for the first page.
  cursor: ZCursorSchema.nullish(),
  limit: z
    .number({ error: "limit must be a number" })
    .int({ error: "limit must be a whole number" })
    .min(1, { error: "limit must be at least 1" })
    .max(PAGE_LIMIT_MAX, { error: `limit must be at most ${PAGE_LIMIT_MAX}` })
    .default(PAGE_LIMIT_DEFAULT),
});
export type TPageInput = z.infer<typeof ZPageInputSchema>;

/** One page of `item`; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: ZCursorSchema.nullable() });
}
export type TPage<T> = { items: T[]; nextCursor: TCursor | null };

/** The sort-key values of the last row of a page, e.g. `[lastActivityMs, id]`. */
export type TCursorValue = string | number | null;

const ZCursorValuesSchema = z.array(z.union([z.string(), z.number(), z.null()]));

/** Thrown by decodeCursor; the API maps it to BAD_INPUT because only a client can send a bad cursor. */
export class InvalidCursorError extends Error {
  override readonly name = "InvalidCursorError";
}

// Present in every browser and in Node >= 16. The package's lib is plain ES2023 (no DOM, no Node
// typings, so nothing server-only can slip in), hence this narrow local view of the globals.
interface WebEncodingGlobals {
  btoa(data: string): string;
  atob(data: string): string;
  TextEncoder: new () => { encode(input: string): Uint8Array };
  TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(input: Uint8Array): string };
}
const web = globalThis as unknown as WebEncodingGlobals;

function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return web.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function base64UrlToBytes(text: string): Uint8Array {
  // A length of 1 mod 4 cannot come from any byte string; atob would reject it less clearly.
  if (text.length % 4 === 1) throw new InvalidCursorError("Invalid cursor: truncated base64url");
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = web.atob(base64);
  } catch {
    throw new InvalidCursorError("Invalid cursor: not base64url");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Encodes sort-key values as a cursor. Throws a RangeError for values JSON cannot carry (NaN,
 * Infinity) and for cursors longer than ZCursorSchema allows, since clients could not send those back.
 */
export function encodeCursor(values: readonly TCursorValue[]): TCursor {
  for (const value of values) {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new RangeError(`encodeCursor: ${value} cannot be stored in a cursor`);
    }
  }
  // -0 would come back as 0 anyway; normalising keeps encode(decode(c)) === c.
  const json = JSON.stringify(values.map((v) => (Object.is(v, -0) ? 0 : v)));
  const cursor = bytesToBase64Url(new web.TextEncoder().encode(json));
  if (cursor.length > CURSOR_MAX) {
    throw new RangeError(`encodeCursor: cursor is ${cursor.length} characters, more than ${CURSOR_MAX}`);
  }
  return cursor;
}

/** Decodes a cursor from encodeCursor; anything else throws InvalidCursorError with the reason. */
export function decodeCursor(cursor: string): TCursorValue[] {
  const shape = ZCursorSchema.safeParse(cursor);
  if (!shape.success) throw new InvalidCursorError(`Invalid cursor: ${shape.error.issues[0]?.message}`);
  let json: string;
  try {
    json = new web.TextDecoder("utf-8", { fatal: true }).decode(base64UrlToBytes(shape.data));
  } catch (error) {
    if (error instanceof InvalidCursorError) throw error;
    throw new InvalidCursorError("Invalid cursor: not UTF-8 text");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InvalidCursorError("Invalid cursor: not JSON");
  }
  const values = ZCursorValuesSchema.safeParse(parsed);
  if (!values.success) {
    throw new InvalidCursorError("Invalid cursor: expected an array of strings, numbers and nulls");
  }
  return values.data;
}
