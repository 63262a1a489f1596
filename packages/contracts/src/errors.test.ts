import { describe, expect, it } from "vitest";
import {
  APP_ERROR_TRPC_CODE,
  APP_ERRORS,
  appErrorBody,
  appErrorCodeOfStatus,
  ZAppErrorBodySchema,
  ZAppErrorCodeSchema,
  ZAppErrorDataSchema,
} from "./errors.ts";

// tRPC v11's code names (TRPC_ERROR_CODES_BY_KEY) with their HTTP statuses, copied here because
// contracts must not depend on @trpc; the mapping may only use these.
const TRPC_HTTP_STATUS: Record<string, number> = {
  PARSE_ERROR: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  TIMEOUT: 408,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  CLIENT_CLOSED_REQUEST: 499,
  INTERNAL_SERVER_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
};

describe("app error codes", () => {
  it("maps every code, and only known codes, to a tRPC code", () => {
    expect(Object.keys(APP_ERROR_TRPC_CODE).sort()).toEqual([...ZAppErrorCodeSchema.options].sort());
    for (const trpcCode of Object.values(APP_ERROR_TRPC_CODE)) expect(TRPC_HTTP_STATUS).toHaveProperty(trpcCode);
  });

  it("sends client mistakes as 4xx and server or upstream failures as 5xx", () => {
    const status = (code: keyof typeof APP_ERROR_TRPC_CODE) => TRPC_HTTP_STATUS[APP_ERROR_TRPC_CODE[code]];
    expect(status("BAD_INPUT")).toBe(400);
    expect(status("UNAUTHENTICATED")).toBe(401);
    expect(status("FORBIDDEN")).toBe(403);
    expect(status("NOT_FOUND")).toBe(404);
    expect(status("CONFLICT")).toBe(409);
    expect(status("ILLEGAL_TRANSITION")).toBe(400);
    expect(status("PRECONDITION_FAILED")).toBe(412);
    expect(status("PAYLOAD_TOO_LARGE")).toBe(413);
    expect(status("UNSUPPORTED_MEDIA")).toBe(415);
    expect(status("RATE_LIMITED")).toBe(429);
    expect(status("INTERNAL")).toBe(500);
    expect(status("UPSTREAM_UNAVAILABLE")).toBe(503);
    expect(status("TIMEOUT")).toBe(504);
  });

  it("rejects unknown codes", () => {
    expect(ZAppErrorCodeSchema.safeParse("TEAPOT").success).toBe(false);
    expect(ZAppErrorCodeSchema.safeParse("bad_input").success).toBe(false);
  });
});

describe("error data", () => {
  it("accepts what the formatter adds", () => {
    const data = {
      appCode: "BAD_INPUT",
      requestId: "req-1",
      fieldErrors: { "tags.goal": ["goal must be one of: attraction"] },
      formErrors: ["something is off"],
    };
    expect(ZAppErrorDataSchema.parse(data)).toEqual(data);
    expect(ZAppErrorDataSchema.parse({ appCode: "INTERNAL" })).toEqual({ appCode: "INTERNAL" });
  });

  it("rejects a missing or unknown app code and malformed field errors", () => {
    expect(ZAppErrorDataSchema.safeParse({}).success).toBe(false);
    expect(ZAppErrorDataSchema.safeParse({ appCode: "OOPS" }).success).toBe(false);
    expect(ZAppErrorDataSchema.safeParse({ appCode: "BAD_INPUT", fieldErrors: { name: "too long" } }).success).toBe(
      false,
    );
  });
});

describe("the error table", () => {
  it("answers each code with the status of its tRPC code", () => {
    for (const code of ZAppErrorCodeSchema.options) {
      expect(APP_ERRORS[code].status).toBe(TRPC_HTTP_STATUS[APP_ERROR_TRPC_CODE[code]]);
      expect(APP_ERRORS[code].sentence).toMatch(/\.$/);
    }
  });

  it("never shows the server's words for an internal failure", () => {
    expect(APP_ERRORS.INTERNAL.showServerMessage).toBe(false);
    expect(APP_ERRORS.INTERNAL.retryable).toBe(true);
    expect(APP_ERRORS.BAD_INPUT.retryable).toBe(false);
  });

  it("reads a bare status back as an app code", () => {
    expect(appErrorCodeOfStatus(400)).toBe("BAD_INPUT");
    expect(appErrorCodeOfStatus(404)).toBe("NOT_FOUND");
    expect(appErrorCodeOfStatus(413)).toBe("PAYLOAD_TOO_LARGE");
    expect(appErrorCodeOfStatus(418)).toBe("BAD_INPUT");
    expect(appErrorCodeOfStatus(502)).toBe("UPSTREAM_UNAVAILABLE");
    expect(appErrorCodeOfStatus(599)).toBe("INTERNAL");
  });

  it("builds the tRPC error body for plain routes", () => {
    const body = appErrorBody("PAYLOAD_TOO_LARGE", "Too big.", { requestId: "req-1" });
    expect(body).toEqual({
      error: {
        message: "Too big.",
        code: -32013,
        data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, appCode: "PAYLOAD_TOO_LARGE", requestId: "req-1" },
      },
    });
    expect(ZAppErrorBodySchema.parse(body)).toEqual(body);
  });
});
