// Turns whatever an OpenAI-compatible call threw into one classified ProviderError, so retry, breaker and log agree on what happened.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { ProviderError } from "../provider.ts";

/** Codes a dropped TCP connection shows up with in Node (undici or the socket layer). */
const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export function cancelledError(cause?: unknown): ProviderError {
  return new ProviderError("cancelled", "the call was cancelled by its caller", false, { cause });
}

export function badResponse(message: string, cause?: unknown): ProviderError {
  return new ProviderError("bad_response", message, false, { cause });
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  // Bounded: a cause cycle must not hang error handling.
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/**
 * A body read that fails because the socket went away: undici reports it as `TypeError: terminated`
 * with the socket error as its cause, after the SDK has already handed us the response.
 */
export function isConnectionFailure(error: unknown): boolean {
  return causes(error).some((e) => {
    if (typeof e !== "object" || e === null) return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    return e instanceof TypeError && /terminated|other side closed|fetch failed/i.test(e.message);
  });
}

function isAbort(error: unknown): boolean {
  return causes(error).some(
    (e) => typeof e === "object" && e !== null && (e as { name?: unknown }).name === "AbortError",
  );
}

function upstreamMessage(error: APIError): string {
  // The SDK's message already carries the status and the endpoint's own error text.
  return error.message || `HTTP ${String(error.status)}`;
}

/** Classifies an error from the openai SDK (or from reading its response) as a ProviderError. */
export function toProviderError(error: unknown, signal?: AbortSignal): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal?.aborted || error instanceof APIUserAbortError || isAbort(error)) return cancelledError(error);
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError("timeout", "the endpoint did not answer in time", false, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError("connection_error", `could not reach the endpoint: ${error.message}`, true, {
      cause: error,
    });
  }
  if (error instanceof APIError) {
    const status = error.status;
    if (status === 429)
      return new ProviderError("rate_limited", `rate limited by the endpoint: ${upstreamMessage(error)}`, true, {
        cause: error,
      });
    if (status !== undefined && status >= 500) {
      return new ProviderError("upstream_error", `the endpoint failed: ${upstreamMessage(error)}`, true, {
        cause: error,
      });
    }
    if (status !== undefined) {
      // Another 4xx means this request is wrong (model name, key, payload): sending it again cannot help.
      return new ProviderError("upstream_error", `the endpoint refused the request: ${upstreamMessage(error)}`, false, {
        cause: error,
      });
    }
    // An error event inside a stream: the endpoint gave up on this request after answering 200.
    return new ProviderError(
      "upstream_error",
      `the endpoint reported an error mid-stream: ${upstreamMessage(error)}`,
      false,
      { cause: error },
    );
  }
  if (isConnectionFailure(error)) {
    return new ProviderError("connection_error", "the connection to the endpoint was lost", true, { cause: error });
  }
  if (error instanceof SyntaxError)
    return badResponse(`the endpoint answered with malformed JSON: ${error.message}`, error);
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("upstream_error", `unexpected failure calling the endpoint: ${message}`, false, {
    cause: error,
  });
}

/**
 * How long the endpoint asked us to wait (Retry-After / retry-after-ms on a 429 or 503), if it said.
 * Read from the SDK error kept as the ProviderError's cause.
 */
export function retryAfterMs(error: unknown): number | null {
  for (const e of causes(error)) {
    if (!(e instanceof APIError) || !e.headers) continue;
    const ms = e.headers.get("retry-after-ms");
    if (ms !== null && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
    const after = e.headers.get("retry-after");
    if (after === null) continue;
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return null;
}
