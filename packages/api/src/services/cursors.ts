// The one cursor codec of every keyset list: the sort key of a page's last row, as opaque,
// versioned base64url JSON tied to its list, and any cursor that is not exactly what this server
// made (tampered, another list's, another version's, malformed) refused as bad input naming the
// field, since only a client can send one.
import { createHash } from "node:crypto";
import { CURSOR_MAX, type TCursor, ZCursorSchema, ZUuidSchema } from "@lockstep/contracts";
import { z } from "zod";
import { AppError } from "../errors.ts";

/** Bumped when a key's shape changes, so cursors handed out before are refused instead of misread. */
export const CURSOR_VERSION = 1;

/** Cut short: it only has to catch an edited cursor, not withstand an attacker (RLS does that). */
const CHECK_LENGTH = 8;

const ZEnvelopeSchema = z.strictObject({
  v: z.number(),
  l: z.string(),
  k: z.unknown(),
  c: z.string(),
});

function badCursor(reason: string): AppError {
  return new AppError("BAD_INPUT", `cursor: ${reason}`, { field: "cursor" });
}

function checkOf(version: number, list: string, keyJson: string): string {
  return createHash("sha256").update(`${version}\n${list}\n${keyJson}`).digest("base64url").slice(0, CHECK_LENGTH);
}

export interface CursorCodec<Key> {
  /** The cursor of `key`; throws a RangeError for a key too long to travel back in a URL. */
  encode(key: Key): TCursor;
  /** The key in `cursor`, null for no cursor (the first page); AppError BAD_INPUT on anything else. */
  decode(cursor: string | null | undefined): Key | null;
}

/**
 * A codec for the list named `list`, whose key is whatever `schema` accepts. The name keeps one
 * list's cursor out of another; the schema decides what a key may hold (validated both ways).
 */
export function cursorCodec<S extends z.ZodType>(list: string, schema: S): CursorCodec<z.output<S>> {
  return {
    encode(key) {
      const parsed = schema.safeParse(key);
      if (!parsed.success) throw new RangeError(`cursor of ${list}: the key does not fit its schema`);
      const keyJson = JSON.stringify(parsed.data);
      const envelope = { v: CURSOR_VERSION, l: list, k: parsed.data, c: checkOf(CURSOR_VERSION, list, keyJson) };
      const cursor = Buffer.from(JSON.stringify(envelope), "utf8").toString("base64url");
      if (cursor.length > CURSOR_MAX) throw new RangeError(`cursor of ${list}: ${cursor.length} characters`);
      return cursor;
    },
    decode(cursor) {
      if (cursor === null || cursor === undefined || cursor === "") return null;
      const shape = ZCursorSchema.safeParse(cursor);
      if (!shape.success) throw badCursor(shape.error.issues[0]?.message ?? "malformed");
      const bytes = Buffer.from(shape.data, "base64url");
      // Node skips what is not base64url; re-encoding catches that and non-canonical trailing bits.
      if (bytes.toString("base64url") !== shape.data) throw badCursor("not base64url");
      let envelope: z.infer<typeof ZEnvelopeSchema>;
      try {
        const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        envelope = ZEnvelopeSchema.parse(JSON.parse(text));
      } catch {
        throw badCursor("malformed");
      }
      if (envelope.v !== CURSOR_VERSION)
        throw badCursor(`version ${envelope.v} is not supported; start from the first page`);
      if (envelope.l !== list) throw badCursor("not a cursor of this list");
      if (envelope.c !== checkOf(envelope.v, envelope.l, JSON.stringify(envelope.k))) throw badCursor("tampered");
      const key = schema.safeParse(envelope.k);
      if (!key.success) throw badCursor("not a cursor of this list");
      return key.data;
    },
  };
}

// Building blocks of key schemas: what the sort columns of the lists hold.

/** A timestamp as epoch milliseconds (a whole, non-negative number). */
export const ZCursorTimeSchema = z.number().int().nonnegative();
/** A row id. */
export const ZCursorIdSchema = ZUuidSchema;

/** The (time, id) key most lists sort by, newest or oldest first. */
export const ZTimeIdKeySchema = z.strictObject({ t: ZCursorTimeSchema, id: ZCursorIdSchema });
export type TimeIdKey = z.infer<typeof ZTimeIdKeySchema>;

/** Fetches limit + 1 rows: the extra one only says whether another page exists. */
export function pageFrom<Row, Item, Key>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  codec: CursorCodec<Key>,
  keyOf: (row: Row) => Key,
) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { items: pageRows.map(toItem), nextCursor: hasMore && last ? codec.encode(keyOf(last)) : null };
}
