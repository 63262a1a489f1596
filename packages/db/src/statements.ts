// How statements reach node-postgres: the text and values of a Prisma.Sql, a stable name per SQL
// text so each connection parses and plans a repeated statement once, and Prisma's reading of
// 64-bit integers (BigInt), so rows look the same whichever way they were read.
import { createHash } from "node:crypto";
import pg from "pg";
import { Prisma } from "./generated/prisma/client.ts";

/** Statement names by SQL text; the name is a hash of the text, so this only saves hashing again. */
const statementNames = new Map<string, string>();
const STATEMENT_NAMES_MAX = 5_000;

/**
 * A name for each parameterised statement (node-postgres prepares a named statement once per
 * connection and reuses it). Statements without parameters stay unnamed: they go as simple
 * queries, which is what lets a scoped transaction's settings ride along with its BEGIN.
 */
export function statementName(query: { sql: string; args: unknown[] }): string {
  if (query.args.length === 0) return "";
  let name = statementNames.get(query.sql);
  if (name === undefined) {
    name = `lockstep_${createHash("sha1").update(query.sql).digest("hex").slice(0, 20)}`;
    // Generated SQL (IN lists of every length) could grow this forever; start over past a bound.
    if (statementNames.size >= STATEMENT_NAMES_MAX) statementNames.clear();
    statementNames.set(query.sql, name);
  }
  return name;
}

const INT8_OID = 20;
export const rowTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID
      ? (value: string) => BigInt(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A tagged template or a Prisma.Sql, as node-postgres takes it (named when it has parameters). */
export function pgQueryOf(first: TemplateStringsArray | Prisma.Sql | string, values: unknown[]): pg.QueryConfig {
  const sql =
    typeof first === "string"
      ? { text: first, values }
      : first instanceof Prisma.Sql
        ? first
        : Prisma.sql(first, ...values);
  return {
    text: sql.text,
    values: sql.values,
    name: statementName({ sql: sql.text, args: sql.values }),
    types: rowTypes,
  };
}

/** node-postgres's own text form of a parameter value (dates, arrays, JSON, booleans). */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils.prepareValue;

const NUL_REFUSED = "a value with a NUL character cannot be written into a statement";

/**
 * Refuses a value with a NUL character before anything is sent, as statementWithLiterals does, so
 * a read scope answers it the same way whether it writes values in or sends them as parameters.
 */
export function refuseNul(values: readonly unknown[]): void {
  for (const value of values) {
    const prepared = prepareValue(value);
    if (typeof prepared === "string" && prepared.includes("\0")) throw new Error(NUL_REFUSED);
  }
}

/**
 * A statement with its values written in as quoted literals, for a message that carries several
 * statements (the simple protocol takes no parameters). Each value becomes the text node-postgres
 * would send for it as a parameter, quoted, so it is an untyped literal that PostgreSQL types from
 * its context just as it types an untyped parameter. A NUL (which would end the message early) or
 * binary data is refused rather than written in.
 */
export function statementWithLiterals(
  first: TemplateStringsArray | Prisma.Sql,
  values: unknown[],
  quote: (text: string) => string,
): string {
  const sql = first instanceof Prisma.Sql ? first : Prisma.sql(first, ...values);
  let text = sql.strings[0] ?? "";
  sql.values.forEach((value, index) => {
    const prepared = prepareValue(value);
    let literal: string;
    if (prepared === null || prepared === undefined) literal = "NULL";
    else if (typeof prepared === "string") {
      if (prepared.includes("\0")) throw new Error(NUL_REFUSED);
      literal = quote(prepared);
    } else throw new Error("binary values cannot be written into a statement");
    text += literal + (sql.strings[index + 1] ?? "");
  });
  return text;
}
