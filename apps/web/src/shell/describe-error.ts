// Turns whatever a call threw into a sentence a person understands, and says whether trying again can help.
export interface DescribedError {
  message: string;
  /** Worth offering Retry: the network or the server failed, not the request itself. */
  retryable: boolean;
  /** The field at fault, when the server named one. */
  field?: string;
}

interface ErrorData {
  code?: unknown;
  httpStatus?: unknown;
  appCode?: unknown;
  fieldErrors?: Record<string, string[]> | null;
}

export function describeError(error: unknown): DescribedError {
  if (!error) return { message: "Something went wrong.", retryable: true };
  const data = (error as { data?: ErrorData | null }).data ?? undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (!data || typeof data.httpStatus !== "number") {
    // No answer at all: the request never reached the server, or the answer never came back.
    return { message: "Lockstep cannot be reached. Check your connection, then retry.", retryable: true };
  }
  const fieldEntry = data.fieldErrors ? Object.entries(data.fieldErrors)[0] : undefined;
  const field = fieldEntry?.[0];
  switch (data.code) {
    case "UNAUTHORIZED":
      return { message: "You are signed out. Sign in again to continue.", retryable: false };
    case "FORBIDDEN":
      return { message: message || "You are not allowed to do that.", retryable: false };
    case "NOT_FOUND":
      return { message: message || "It no longer exists.", retryable: false };
    case "TOO_MANY_REQUESTS":
      return { message: "Too many requests in a short time. Wait a moment, then retry.", retryable: true };
    case "BAD_REQUEST":
    case "CONFLICT":
    case "UNPROCESSABLE_CONTENT":
    case "PRECONDITION_FAILED":
      return { message: message || "That was not accepted.", retryable: false, ...(field ? { field } : {}) };
    case "SERVICE_UNAVAILABLE":
    case "TIMEOUT":
      return { message: "The service is busy or unavailable right now. Retry in a moment.", retryable: true };
    default:
      return {
        message: "The server had a problem with that. Retry, and if it keeps failing, try again later.",
        retryable: true,
      };
  }
}
