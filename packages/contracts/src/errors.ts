// Application error codes services throw: the tRPC code, HTTP status and sentence each one is sent and shown as.
import { z } from "zod";

export const ZAppErrorCodeSchema = z.enum([
  "BAD_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "ILLEGAL_TRANSITION",
  "RATE_LIMITED",
  "USAGE_LIMIT_REACHED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA",
  "PRECONDITION_FAILED",
  "UPSTREAM_UNAVAILABLE",
  "TIMEOUT",
  "INTERNAL",
]);
export type TAppErrorCode = z.infer<typeof ZAppErrorCodeSchema>;

/**
 * The tRPC v11 error code names this package maps to. Declared here rather than imported because
 * contracts depends on zod only; the API's error formatter passes them to `new TRPCError({ code })`,
 * so a name tRPC does not know fails the type check there.
 */
export type TRPCCodeName =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "PRECONDITION_FAILED"
  | "INTERNAL_SERVER_ERROR"
  | "BAD_GATEWAY"
  | "SERVICE_UNAVAILABLE"
  | "GATEWAY_TIMEOUT";

/** tRPC's JSON-RPC number for each code name, sent as `error.code` (checked against tRPC in the API's tests). */
export const TRPC_RPC_CODE: Readonly<Record<TRPCCodeName, number>> = {
  BAD_REQUEST: -32600,
  UNAUTHORIZED: -32001,
  FORBIDDEN: -32003,
  NOT_FOUND: -32004,
  CONFLICT: -32009,
  TOO_MANY_REQUESTS: -32029,
  PAYLOAD_TOO_LARGE: -32013,
  UNSUPPORTED_MEDIA_TYPE: -32015,
  PRECONDITION_FAILED: -32012,
  INTERNAL_SERVER_ERROR: -32603,
  BAD_GATEWAY: -32603,
  SERVICE_UNAVAILABLE: -32603,
  GATEWAY_TIMEOUT: -32603,
};

export const APP_ERROR_TRPC_CODE: Readonly<Record<TAppErrorCode, TRPCCodeName>> = {
  BAD_INPUT: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  // A move the session's state machine does not allow is a bad request (400) that names the
  // from and to states; clients show only legal moves, so this is a client bug or a stale view.
  ILLEGAL_TRANSITION: "BAD_REQUEST",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  // A budget (calls, tokens or cost per day or month) is used up; the message says which and when it resets.
  USAGE_LIMIT_REACHED: "TOO_MANY_REQUESTS",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA: "UNSUPPORTED_MEDIA_TYPE",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  // The model provider is down or its circuit breaker is open: temporary, worth a retry (503).
  UPSTREAM_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  // Our own call to a provider or the database ran out of time (504). tRPC's TIMEOUT is HTTP 408,
  // which blames the client for being slow to send its request, so it is the wrong one here.
  TIMEOUT: "GATEWAY_TIMEOUT",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

/** How one app error code reaches a person: the HTTP status it is answered with, and the words shown. */
export interface AppErrorWording {
  /** Always the status of `APP_ERROR_TRPC_CODE[code]` in tRPC (a test in the API package checks this). */
  status: number;
  /** One sentence a person can act on, shown when the server's own message is not meant for them. */
  sentence: string;
  /** The server's message names the field or rule at fault and is written to be shown as it is. */
  showServerMessage: boolean;
  /** Trying the same request again can succeed (the refusal is about timing, not the request). */
  retryable: boolean;
}

/** Keyed by every code, so a new code fails to compile until it has a status and words. */
export const APP_ERRORS: Readonly<Record<TAppErrorCode, AppErrorWording>> = {
  BAD_INPUT: { status: 400, sentence: "That was not accepted.", showServerMessage: true, retryable: false },
  UNAUTHENTICATED: {
    status: 401,
    sentence: "You are signed out. Sign in again to continue.",
    showServerMessage: false,
    retryable: false,
  },
  FORBIDDEN: { status: 403, sentence: "You are not allowed to do that.", showServerMessage: false, retryable: false },
  NOT_FOUND: {
    status: 404,
    sentence: "It no longer exists (it may have been deleted).",
    showServerMessage: false,
    retryable: false,
  },
  CONFLICT: {
    status: 409,
    sentence: "That clashes with something that already exists.",
    showServerMessage: true,
    retryable: false,
  },
  ILLEGAL_TRANSITION: {
    status: 400,
    sentence: "That step is not possible right now. Reload to see the current state.",
    showServerMessage: true,
    retryable: false,
  },
  RATE_LIMITED: {
    status: 429,
    sentence: "Too many requests in a short time. Wait a moment, then retry.",
    showServerMessage: false,
    retryable: true,
  },
  USAGE_LIMIT_REACHED: {
    status: 429,
    sentence: "Your usage limit is reached. It resets at the start of the next period.",
    showServerMessage: true,
    retryable: false,
  },
  PAYLOAD_TOO_LARGE: { status: 413, sentence: "That is too large to send.", showServerMessage: true, retryable: false },
  UNSUPPORTED_MEDIA: {
    status: 415,
    sentence: "That kind of file is not supported.",
    showServerMessage: true,
    retryable: false,
  },
  PRECONDITION_FAILED: {
    status: 412,
    sentence: "That cannot be done yet.",
    showServerMessage: true,
    retryable: false,
  },
  UPSTREAM_UNAVAILABLE: {
    status: 503,
    sentence: "The service is busy or unavailable right now. Retry in a moment.",
    showServerMessage: false,
    retryable: true,
  },
  TIMEOUT: {
    status: 504,
    sentence: "That took too long to answer. Retry in a moment.",
    showServerMessage: false,
    retryable: true,
  },
  // Internal failures never show the server's message: it is "Internal error" at best.
  INTERNAL: {
    status: 500,
    sentence: "The server had a problem with that. Retry, and if it keeps failing, try again later.",
    showServerMessage: false,
    retryable: true,
  },
};

/** The app code an HTTP status without one stands for (a proxy's answer, a status-only failure). */
export function appErrorCodeOfStatus(status: number): TAppErrorCode {
  if (status === 408) return "TIMEOUT";
  if (status === 502) return "UPSTREAM_UNAVAILABLE";
  const match = ZAppErrorCodeSchema.options.find((code) => APP_ERRORS[code].status === status);
  return match ?? (status >= 400 && status < 500 ? "BAD_INPUT" : "INTERNAL");
}

/** What the error formatter adds to `error.data` of every tRPC error, so clients can branch on it. */
export const ZAppErrorDataSchema = z.object({
  appCode: ZAppErrorCodeSchema,
  /** Quoted in support requests to find the server log line. */
  requestId: z.string().optional(),
  /** Flattened zod issues of bad input, keyed by the field's dotted path. */
  fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
  formErrors: z.array(z.string()).optional(),
});
export type TAppErrorData = z.infer<typeof ZAppErrorDataSchema>;

/**
 * The body of an error answer, the same from the tRPC endpoint and the plain HTTP routes (uploads,
 * the export): `{ error: { message, code, data: { code, httpStatus, appCode, ... } } }`.
 */
export const ZAppErrorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    /** The JSON-RPC number tRPC sends; plain routes send the same number for the same tRPC code. */
    code: z.number(),
    data: ZAppErrorDataSchema.extend({
      code: z.custom<TRPCCodeName>((value) => typeof value === "string"),
      httpStatus: z.number().int(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
});
export type TAppErrorBody = z.infer<typeof ZAppErrorBodySchema>;

/** An error answer of a plain HTTP route, in the shape the tRPC error formatter sends. */
export function appErrorBody(
  appCode: TAppErrorCode,
  message: string,
  extra: Omit<TAppErrorData, "appCode"> & { details?: Record<string, unknown> } = {},
): TAppErrorBody {
  const code = APP_ERROR_TRPC_CODE[appCode];
  return {
    error: {
      message,
      code: TRPC_RPC_CODE[code],
      data: { code, httpStatus: APP_ERRORS[appCode].status, appCode, ...extra },
    },
  };
}
