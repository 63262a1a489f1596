// Cursor helpers for keyset pages: the sort key of a page's last row, encoded opaquely, and a
// bad cursor reported as bad input (only a client can send one).
import { decodeCursor, encodeCursor, InvalidCursorError, type TCursorValue } from "@lockstep/contracts";
import { AppError } from "../errors.ts";

export function readCursor(cursor: string | null | undefined, arity: number): TCursorValue[] | undefined {
  if (!cursor) return undefined;
  try {
    const values = decodeCursor(cursor);
    if (values.length !== arity) throw new InvalidCursorError("Invalid cursor: wrong shape");
    return values;
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new AppError("BAD_INPUT", error.message, { field: "cursor" });
    throw error;
  }
}

export function cursorTime(value: TCursorValue | undefined): Date {
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new AppError("BAD_INPUT", "Invalid cursor: bad time", { field: "cursor" });
  return new Date(value);
}

export function cursorId(value: TCursorValue | undefined): string {
  if (typeof value !== "string" || !/^[0-9a-f-]{36}$/i.test(value))
    throw new AppError("BAD_INPUT", "Invalid cursor: bad id", { field: "cursor" });
  return value;
}

/** Fetches limit + 1 rows: the extra one only says whether another page exists. */
export function pageFrom<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => TCursorValue[],
) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { items: pageRows.map(toItem), nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}
