// GET /api/admin/interactions/export: the filtered AI interaction log as CSV or JSONL, for operators only, audited, streamed in keyset batches so no export holds the log in memory.
import { Readable } from "node:stream";
import { adminScope, requestMetaOf, type SessionUser } from "@lockstep/api";
import {
  APP_ERRORS,
  appErrorBody,
  type TAdminInteractionFilters,
  type TAdminInteractionListItem,
  type TAppErrorCode,
  type TInteractionExportFormat,
  ZAdminInteractionFiltersSchema,
  ZInteractionExportFormatSchema,
  ZInteractionFiltersShape,
} from "@lockstep/contracts";
import { type AiInteractionKey, type Database, listAiInteractions, withAdmin } from "@lockstep/db";
import type { FastifyInstance, FastifyRequest } from "fastify";

export const EXPORT_PATH = "/api/admin/interactions/export";
/** Rows per database round trip: one short transaction each, whatever the size of the export. */
export const EXPORT_BATCH_SIZE = 1000;

/** The columns of both formats, in order. */
export const EXPORT_COLUMNS = [
  "id",
  "createdAt",
  "providerName",
  "modelName",
  "operation",
  "status",
  "latencyMs",
  "timeToFirstTokenMs",
  "inputTokens",
  "outputTokens",
  "errorCode",
  "errorMessage",
  "userId",
  "sessionId",
  "ipAddress",
  "dataSource",
  "promptHash",
  "promptPreview",
] as const satisfies readonly (keyof TAdminInteractionListItem)[];

// ------------------------------------------------------------------ CSV (RFC 4180)

/**
 * One CSV field. Fields holding a comma, a quote, CR or LF are quoted with quotes doubled (RFC
 * 4180). Text starting with = + - @ or a tab is what spreadsheets run as a formula, so it gets a
 * leading apostrophe (the OWASP advice for CSV injection); numbers are never touched.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 says. */
export function csvRecord(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

function csvRow(item: TAdminInteractionListItem): string {
  return csvRecord(
    EXPORT_COLUMNS.map((column) => (column === "createdAt" ? new Date(item.createdAt).toISOString() : item[column])),
  );
}

function jsonlRow(item: TAdminInteractionListItem): string {
  const row: Record<string, unknown> = {};
  for (const column of EXPORT_COLUMNS) row[column] = item[column];
  return `${JSON.stringify(row)}\n`;
}

// ------------------------------------------------------------------ query parameters

const NUMERIC = new Set(["from", "to"]);
const ALLOWED = new Set([...Object.keys(ZInteractionFiltersShape), "format"]);

type Parsed =
  | { ok: true; format: TInteractionExportFormat; filters: TAdminInteractionFilters }
  | { ok: false; fieldErrors: Record<string, string[]> };

/** The query string as the list's filters: the same schema as admin.interactions.list, numbers parsed. */
export function parseExportQuery(query: Record<string, unknown>): Parsed {
  const fieldErrors: Record<string, string[]> = {};
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!ALLOWED.has(key)) fieldErrors[key] = ["is not a filter of the export"];
    else if (typeof value !== "string") fieldErrors[key] = ["must be given once"];
    else raw[key] = NUMERIC.has(key) && /^\d+$/.test(value) ? Number(value) : value;
  }
  const format = ZInteractionExportFormatSchema.safeParse(raw.format ?? "csv");
  if (!format.success) fieldErrors.format = ["format must be csv or jsonl"];
  delete raw.format;
  const filters = ZAdminInteractionFiltersSchema.safeParse(raw);
  if (!filters.success) {
    for (const issue of filters.error.issues) (fieldErrors[issue.path.join(".") || "query"] ??= []).push(issue.message);
  }
  if (Object.keys(fieldErrors).length || !filters.success || !format.success) return { ok: false, fieldErrors };
  return { ok: true, format: format.data, filters: filters.data };
}

// ------------------------------------------------------------------ the route

/**
 * Every matching row, newest first, read EXPORT_BATCH_SIZE at a time with the list's keyset: each
 * batch is its own short transaction as lockstep_admin, and the next is read only when the client
 * has taken the previous one (the stream's backpressure), so memory stays flat.
 */
export async function* exportRows(
  db: Database,
  filters: TAdminInteractionFilters,
  format: TInteractionExportFormat,
): AsyncGenerator<string> {
  if (format === "csv") yield csvRecord(EXPORT_COLUMNS);
  const toRow = format === "csv" ? csvRow : jsonlRow;
  let after: AiInteractionKey | null = null;
  for (;;) {
    const page: Awaited<ReturnType<typeof listAiInteractions>> = await withAdmin(db, (tx) =>
      listAiInteractions(tx, {
        from: filters.from === undefined ? undefined : new Date(filters.from),
        to: filters.to === undefined ? undefined : new Date(filters.to),
        provider: filters.provider,
        model: filters.model,
        status: filters.status,
        operation: filters.operation,
        userId: filters.userId,
        sessionId: filters.sessionId,
        dataSource: filters.dataSource,
        sort: "created_at",
        after,
        limit: EXPORT_BATCH_SIZE,
      }),
    );
    if (page.items.length) yield page.items.map(toRow).join("");
    if (!page.next) return;
    after = page.next;
  }
}

export interface AdminExportOptions {
  db: Database;
  /** The signed-in user of a request, as the host resolves it for every entry point. */
  sessionUserOf: (request: FastifyRequest) => Promise<SessionUser | null>;
}

export function registerAdminExport(app: FastifyInstance, options: AdminExportOptions): void {
  app.get(EXPORT_PATH, async (request, reply) => {
    // The same session resolution as the tRPC context: a disabled account is nobody.
    const user = await options.sessionUserOf(request);
    // Errors answer in the tRPC error body, so the admin app reads them like any other call's.
    const refuse = (code: TAppErrorCode, message: string, fieldErrors?: Record<string, string[]>) =>
      reply
        .code(APP_ERRORS[code].status)
        .send(appErrorBody(code, message, { requestId: request.id, ...(fieldErrors ? { fieldErrors } : {}) }));
    if (!user) return refuse("UNAUTHENTICATED", "Sign in to do this.");
    if (user.role !== "admin") return refuse("FORBIDDEN", "Operators only.");

    const parsed = parseExportQuery(request.query as Record<string, unknown>);
    if (!parsed.ok) return refuse("BAD_INPUT", "Invalid export filters", parsed.fieldErrors);

    // Audited before the first byte, so an export the client abandons is on record too.
    const scope = adminScope(options.db, user, requestMetaOf(request));
    await scope.change(
      { action: "admin.interactions.export", entityType: "ai_interaction", entityId: null },
      async () => ({
        result: undefined,
        before: null,
        after: { format: parsed.format, filters: parsed.filters },
      }),
    );

    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const stream = Readable.from(exportRows(options.db, parsed.filters, parsed.format), { objectMode: false });
    stream.on("error", (error) => request.log.error({ err: error }, "interaction export failed mid-stream"));
    return reply
      .header(
        "content-type",
        parsed.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      )
      .header("content-disposition", `attachment; filename=interactions-${stamp}.${parsed.format}`)
      .send(stream);
  });
}
