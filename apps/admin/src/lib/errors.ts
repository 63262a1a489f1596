// Turns whatever a call threw into words an operator can act on: what failed, whether retrying helps, and the field at fault.
export interface DescribedError {
  /** One sentence for the operator. */
  message: string;
  /** Retrying can help: the server was unreachable or failed internally, not a refusal of the input. */
  retryable: boolean;
  /** Field name -> messages, when the server named the fields of a bad input. */
  fieldErrors: Record<string, string[]>;
  /** The tRPC code (e.g. FORBIDDEN), when the API answered. */
  code: string | null;
}

interface TrpcLikeError {
  message?: unknown;
  data?: { code?: unknown; httpStatus?: unknown; fieldErrors?: unknown; appCode?: unknown } | null;
}

const CODE_WORDS: Record<string, string> = {
  UNAUTHORIZED: "Your session has ended. Sign in again.",
  FORBIDDEN: "You are not allowed to do that.",
  NOT_FOUND: "It no longer exists (it may have been deleted).",
  TOO_MANY_REQUESTS: "Too many requests; wait a moment and try again.",
  INTERNAL_SERVER_ERROR: "The server failed to answer; see the server log, then retry.",
};

export function describeError(error: unknown): DescribedError {
  const e = (error ?? {}) as TrpcLikeError;
  const message = typeof e.message === "string" && e.message ? e.message : String(error);
  const data = e.data ?? null;
  const code = typeof data?.code === "string" ? data.code : null;
  const fieldErrors =
    data?.fieldErrors && typeof data.fieldErrors === "object" ? (data.fieldErrors as Record<string, string[]>) : {};
  if (!data || typeof data.httpStatus !== "number") {
    // Nothing answered: a network failure or a server that is down.
    return {
      message: `The server cannot be reached (${message}). Check that it is running, then retry.`,
      retryable: true,
      fieldErrors,
      code: null,
    };
  }
  const status = data.httpStatus;
  if (status >= 500) return { message: CODE_WORDS.INTERNAL_SERVER_ERROR!, retryable: true, fieldErrors, code };
  // Refusals keep the server's own message: it names the field and the rule.
  const words = code === "BAD_REQUEST" || code === "CONFLICT" ? message : (code && CODE_WORDS[code]) || message;
  return { message: words, retryable: code === "TOO_MANY_REQUESTS", fieldErrors, code };
}
