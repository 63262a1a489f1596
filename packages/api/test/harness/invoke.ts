// Calls one procedure the way the HTTP host does (callTRPCProcedure) and formats any error with the router's own formatter, as a client would see it.
import {
  type AnyRouter,
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  type TRPCError,
} from "@trpc/server";
import { isObservable, observableToAsyncIterable } from "@trpc/server/observable";
import type { InnerContext } from "../../src/context.ts";
import type { DiscoveredProcedure } from "./discovery.ts";
import { appCodeOfShape } from "./leaks.ts";

export type Outcome =
  | { ok: true; data: unknown; requestId: string }
  | { ok: false; error: TRPCError; shape: unknown; code: string; requestId: string };

/**
 * How long a subscription may take to yield its first event before the harness stops listening.
 * Errors surface before the first event, so a timeout only means "no error yet"; callers that
 * compare two answers keep this long so timing cannot make them differ.
 */
export const SUBSCRIPTION_WAIT_MS = 1500;

export interface InvokeOptions {
  subscriptionWaitMs?: number;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === "object" && Symbol.asyncIterator in value;
}

/** Pulls the first event of a subscription (errors surface there, not at the call) and stops it. */
async function firstEvent(stream: AsyncIterable<unknown>, signal: AbortController, waitMs: number): Promise<unknown> {
  const iterator = stream[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<{ done: true; value: undefined }>((resolve) => {
      timer = setTimeout(() => resolve({ done: true, value: undefined }), waitMs);
    });
    const result = await Promise.race([iterator.next(), timeout]);
    return result.done ? undefined : result.value;
  } finally {
    if (timer) clearTimeout(timer);
    signal.abort();
    // A generator blocked on its next event may never settle `return`; do not wait for it.
    void iterator.return?.().catch(() => undefined);
  }
}

export async function invoke(
  router: AnyRouter,
  procedure: DiscoveredProcedure,
  ctx: InnerContext,
  input: unknown,
  options: InvokeOptions = {},
): Promise<Outcome> {
  const requestId = ctx.requestMeta.requestId;
  const abort = new AbortController();
  try {
    let data: unknown = await callTRPCProcedure({
      router,
      path: procedure.path,
      type: procedure.type,
      ctx,
      getRawInput: async () => input,
      signal: abort.signal,
      batchIndex: 0,
    });
    if (procedure.type === "subscription") {
      const stream = isObservable(data) ? observableToAsyncIterable(data, abort.signal) : data;
      data = isAsyncIterable(stream)
        ? await firstEvent(stream, abort, options.subscriptionWaitMs ?? SUBSCRIPTION_WAIT_MS)
        : stream;
    }
    return { ok: true, data, requestId };
  } catch (cause) {
    // The same two steps the HTTP handler takes: normalise to a TRPCError, then run the formatter.
    const error = getTRPCErrorFromUnknown(cause);
    const shape = getErrorShape({
      config: router._def._config,
      error,
      type: procedure.type,
      path: procedure.path,
      input,
      ctx,
    });
    return { ok: false, error, shape, code: error.code, requestId };
  } finally {
    abort.abort();
  }
}

/**
 * The innermost cause of a failed call, in one line, as the server log would show it: for reports
 * only (a client never sees it), so a 5xx finding says what to fix.
 */
export function serverCause(outcome: Outcome): string {
  if (outcome.ok) return "";
  let cause: unknown = outcome.error;
  for (let depth = 0; depth < 10; depth++) {
    const next = (cause as { cause?: unknown } | null)?.cause;
    if (next === undefined || next === null) break;
    cause = next;
  }
  const error = cause as { name?: unknown; message?: unknown; code?: unknown };
  const message = typeof error.message === "string" ? error.message : String(cause);
  // Prisma puts the database's words last ("Message: `...`"), after the invocation and source.
  const database = /Message: `([^`]*)`/.exec(message)?.[1];
  const line =
    database ??
    message
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ??
    "";
  const code = typeof error.code === "string" ? ` [${error.code}]` : "";
  return `${typeof error.name === "string" ? error.name : "Error"}${code}: ${line}`.slice(0, 240);
}

/**
 * A 503 that honestly says the AI service is missing, from a context built without one (tests that
 * make no model calls): the server's configuration, not the client's input, so not a finding.
 */
export function isAbsentUpstream(outcome: Outcome, ctx: Pick<InnerContext, "ai">): boolean {
  return (
    !outcome.ok &&
    ctx.ai === undefined &&
    outcome.code === "SERVICE_UNAVAILABLE" &&
    appCodeOfShape(outcome.shape) === "UPSTREAM_UNAVAILABLE"
  );
}

/** A one-line description of an outcome for reports. */
export function describeOutcome(outcome: Outcome): string {
  if (outcome.ok) return "success";
  const message = (outcome.shape as { message?: unknown } | null)?.message;
  return `${outcome.code}${typeof message === "string" ? ` "${message.slice(0, 120)}"` : ""}`;
}

/** A short, printable preview of an input (fuzz inputs can hold 100k-character strings). */
export function previewInput(input: unknown, max = 300): string {
  let text: string;
  try {
    text =
      JSON.stringify(input, (_key, value: unknown) => {
        if (typeof value === "string" && value.length > 60) return `${value.slice(0, 40)}...(${value.length} chars)`;
        if (typeof value === "number" && !Number.isFinite(value)) return String(value);
        if (typeof value === "bigint") return `${value}n`;
        if (value === undefined) return "<undefined>";
        return value;
      }) ?? "undefined";
  } catch {
    text = String(input);
  }
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
