// Turns whatever a call threw into words a person can act on, and says whether trying again can help.
import { TRPCClientError } from "@trpc/client";

export interface DescribedError {
  message: string;
  /** True when the request may not have reached the server (or it failed in passing): retrying can help. */
  retryable: boolean;
}

/** HTTP status of a tRPC error, or undefined when no answer came back (the network failed). */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: unknown } | undefined)?.httpStatus;
    return typeof status === "number" ? status : undefined;
  }
  return undefined;
}

/** A send may be repeated safely (its id is fixed), so anything but a refusal is worth retrying. */
export function isRetryableError(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

export function describeError(error: unknown): DescribedError {
  const status = httpStatusOf(error);
  if (error instanceof TRPCClientError && status === undefined) {
    return { message: "Lockstep cannot be reached. Check your connection.", retryable: true };
  }
  const message = error instanceof Error && error.message ? error.message : "Something went wrong.";
  return { message, retryable: isRetryableError(error) };
}
