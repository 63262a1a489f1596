// The application error services throw: a code from contracts plus a message safe to show. The
// error formatter turns it into the matching tRPC code; anything else becomes "Internal error".
import { APP_ERROR_TRPC_CODE, type TAppErrorCode } from "@lockstep/contracts";
import { TRPCError } from "@trpc/server";

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: TAppErrorCode,
    message: string,
    /** Extra, client-safe detail (for example the from and to states of a refused transition). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Wraps an AppError in the TRPCError tRPC expects, keeping the AppError as its cause. */
export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: APP_ERROR_TRPC_CODE[error.code], message: error.message, cause: error });
}

/** The app code behind any tRPC error: the AppError's own, or one derived from the tRPC code. */
export function appCodeOf(error: TRPCError): TAppErrorCode {
  if (error.cause instanceof AppError) return error.cause.code;
  switch (error.code) {
    case "BAD_REQUEST":
    case "PARSE_ERROR":
      return "BAD_INPUT";
    case "UNAUTHORIZED":
      return "UNAUTHENTICATED";
    case "FORBIDDEN":
      return "FORBIDDEN";
    case "NOT_FOUND":
      return "NOT_FOUND";
    case "CONFLICT":
      return "CONFLICT";
    case "TOO_MANY_REQUESTS":
      return "RATE_LIMITED";
    case "PAYLOAD_TOO_LARGE":
      return "PAYLOAD_TOO_LARGE";
    case "UNSUPPORTED_MEDIA_TYPE":
      return "UNSUPPORTED_MEDIA";
    case "PRECONDITION_FAILED":
      return "PRECONDITION_FAILED";
    case "METHOD_NOT_SUPPORTED":
      return "BAD_INPUT";
    case "TIMEOUT":
    case "GATEWAY_TIMEOUT":
      return "TIMEOUT";
    case "SERVICE_UNAVAILABLE":
    case "BAD_GATEWAY":
      return "UPSTREAM_UNAVAILABLE";
    default:
      return "INTERNAL";
  }
}
