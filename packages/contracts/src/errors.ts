// Application error codes services throw, and the tRPC code each one is sent as.
import { z } from "zod";

export const ZAppErrorCodeSchema = z.enum([
  "BAD_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "ILLEGAL_TRANSITION",
  "RATE_LIMITED",
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
