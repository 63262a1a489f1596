// Turns whatever a call threw into words a person can act on: the sentence for the server's app
// code, the fields at fault, whether retrying can help, and whether the server answered at all.
import {
  APP_ERROR_TRPC_CODE,
  APP_ERRORS,
  appErrorCodeOfStatus,
  type TAppErrorCode,
  ZAppErrorCodeSchema,
} from "@lockstep/contracts";

export interface DescribedAppError {
  /** unreachable: no answer came back; refused: the server answered with an app code; internal: anything else. */
  kind: "unreachable" | "refused" | "internal";
  /** One sentence to show. */
  message: string;
  /** Retrying the same request can help (no answer, a server fault, a rate limit), unlike a refusal of the input. */
  retryable: boolean;
  /** The server's app code, null when it did not answer with one. */
  appCode: TAppErrorCode | null;
  /** Field path -> messages, when the server named the fields of a bad input. */
  fieldErrors: Record<string, string[]>;
  /** The first field at fault, for forms that show one message under one field. */
  field?: string;
}

export interface DescribeAppErrorOptions {
  /** Operators get the technical detail (the client's own failure text) and are pointed at the server log. */
  audience?: "person" | "operator";
}

interface ErrorData {
  code?: unknown;
  httpStatus?: unknown;
  appCode?: unknown;
  fieldErrors?: unknown;
}

const UNREACHABLE = "Lockstep cannot be reached. Check your connection, then retry.";
const OPERATOR_INTERNAL = "The server failed to answer; see the server log, then retry.";

/** `error.data` of a tRPC client error, or `error.data` of a plain route's error body. */
function dataOf(error: unknown): ErrorData | null {
  if (!error || typeof error !== "object") return null;
  const own = (error as { data?: unknown }).data;
  if (own && typeof own === "object") return own as ErrorData;
  const body = (error as { error?: { data?: unknown } }).error?.data;
  return body && typeof body === "object" ? (body as ErrorData) : null;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  const body = (error as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof body === "string" ? body : String(error);
}

/** The app code the server sent, or the one its tRPC code or HTTP status stands for. */
function appCodeOf(data: ErrorData): TAppErrorCode | null {
  const sent = ZAppErrorCodeSchema.safeParse(data.appCode);
  if (sent.success) return sent.data;
  const byTrpc = ZAppErrorCodeSchema.options.find((code) => APP_ERROR_TRPC_CODE[code] === data.code);
  if (byTrpc) return byTrpc;
  return typeof data.httpStatus === "number" ? appErrorCodeOfStatus(data.httpStatus) : null;
}

/** fetch rejects with a TypeError when nothing answers; tRPC's client keeps it as the cause. */
function isFetchFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof TypeError) return true;
  }
  return false;
}

function fieldErrorsOf(data: ErrorData | null): Record<string, string[]> {
  const fields = data?.fieldErrors;
  return fields && typeof fields === "object" ? (fields as Record<string, string[]>) : {};
}

export function describeAppError(error: unknown, options: DescribeAppErrorOptions = {}): DescribedAppError {
  const operator = options.audience === "operator";
  const data = dataOf(error);
  const fieldErrors = fieldErrorsOf(data);
  const appCode = data ? appCodeOf(data) : null;
  if (!appCode) {
    if (isFetchFailure(error)) {
      const message = operator
        ? `The server cannot be reached (${messageOf(error)}). Check that it is running, then retry.`
        : UNREACHABLE;
      return { kind: "unreachable", message, retryable: true, appCode: null, fieldErrors };
    }
    const message = operator ? OPERATOR_INTERNAL : APP_ERRORS.INTERNAL.sentence;
    return { kind: "internal", message, retryable: true, appCode: null, fieldErrors };
  }
  const wording = APP_ERRORS[appCode];
  const serverMessage = messageOf(error);
  const message =
    appCode === "INTERNAL" && operator
      ? OPERATOR_INTERNAL
      : wording.showServerMessage && serverMessage
        ? serverMessage
        : wording.sentence;
  const field = Object.keys(fieldErrors)[0];
  return {
    kind: appCode === "INTERNAL" ? "internal" : "refused",
    message,
    retryable: wording.retryable,
    appCode,
    fieldErrors,
    ...(field ? { field } : {}),
  };
}
