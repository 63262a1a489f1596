// What a failed call says, and whether Retry is offered: a dead server invites a retry, a refused
// input keeps the server's message and fields, an internal failure hides its detail.
import { appErrorBody } from "@lockstep/contracts";
import { describe, expect, it } from "vitest";
import { describeAppError } from "./describe-app-error.ts";

const answered = (code: string, message = "", extra: object = {}) =>
  Object.assign(new Error(message), { data: { code, httpStatus: 400, ...extra } });

describe("describeAppError for people", () => {
  it("offers Retry when the server did not answer", () => {
    expect(describeAppError(new TypeError("Failed to fetch"))).toEqual({
      kind: "unreachable",
      message: "Lockstep cannot be reached. Check your connection, then retry.",
      retryable: true,
      appCode: null,
      fieldErrors: {},
    });
    // tRPC's client keeps the fetch failure as its cause.
    const wrapped = Object.assign(new Error("Failed to fetch"), { cause: new TypeError("Failed to fetch") });
    expect(describeAppError(wrapped).kind).toBe("unreachable");
  });

  it("passes the server's words for bad input, with the field, and no Retry", () => {
    const error = answered("BAD_REQUEST", "name must not be empty", {
      fieldErrors: { name: ["name must not be empty"] },
    });
    expect(describeAppError(error)).toEqual({
      kind: "refused",
      message: "name must not be empty",
      retryable: false,
      appCode: "BAD_INPUT",
      fieldErrors: { name: ["name must not be empty"] },
      field: "name",
    });
  });

  it("words rate limits and server faults without leaking internals", () => {
    expect(describeAppError(answered("TOO_MANY_REQUESTS")).retryable).toBe(true);
    const internal = describeAppError(answered("INTERNAL_SERVER_ERROR", "TypeError at line 3"));
    expect(internal.message).not.toContain("TypeError");
    expect(internal.retryable).toBe(true);
    expect(internal.kind).toBe("internal");
  });

  it("tells a client-side failure apart from an unreachable server", () => {
    expect(describeAppError(new Error("undefined is not a function"))).toMatchObject({
      kind: "internal",
      retryable: true,
      appCode: null,
    });
  });

  it("keys on the app code the server sent, over the tRPC code", () => {
    const illegal = answered("BAD_REQUEST", "Cannot move from complete to uploading.", {
      appCode: "ILLEGAL_TRANSITION",
    });
    expect(describeAppError(illegal)).toMatchObject({
      appCode: "ILLEGAL_TRANSITION",
      message: "Cannot move from complete to uploading.",
      retryable: false,
    });
    const upstream = answered("SERVICE_UNAVAILABLE", "provider circuit open", { appCode: "UPSTREAM_UNAVAILABLE" });
    expect(describeAppError(upstream)).toMatchObject({
      message: "The service is busy or unavailable right now. Retry in a moment.",
      retryable: true,
    });
  });

  it("reads the error body of the plain HTTP routes", () => {
    const body = appErrorBody("PAYLOAD_TOO_LARGE", "The file is larger than 10 MB.");
    expect(describeAppError(body)).toMatchObject({
      appCode: "PAYLOAD_TOO_LARGE",
      message: "The file is larger than 10 MB.",
      retryable: false,
    });
  });
});

describe("describeAppError for operators", () => {
  const operator = { audience: "operator" } as const;

  it("says the server cannot be reached when nothing answered, and that retrying can help", () => {
    const described = describeAppError(new TypeError("Failed to fetch"), operator);
    expect(described).toMatchObject({ retryable: true, appCode: null });
    expect(described.message).toMatch(/cannot be reached \(Failed to fetch\)/);
  });

  it("keeps a bad request's own message and its field errors, with no retry", () => {
    const error = Object.assign(new Error("slug: A character with that slug already exists."), {
      data: { code: "CONFLICT", httpStatus: 409, details: { field: "slug" } },
    });
    expect(describeAppError(error, operator)).toEqual({
      kind: "refused",
      message: "slug: A character with that slug already exists.",
      retryable: false,
      fieldErrors: {},
      appCode: "CONFLICT",
    });
    const bad = Object.assign(new Error("name: must not be empty"), {
      data: { code: "BAD_REQUEST", httpStatus: 400, fieldErrors: { name: ["name must not be empty"] } },
    });
    expect(describeAppError(bad, operator).fieldErrors).toEqual({ name: ["name must not be empty"] });
  });

  it("words refusals and internal failures for an operator", () => {
    expect(
      describeAppError(Object.assign(new Error("x"), { data: { code: "FORBIDDEN", httpStatus: 403 } }), operator)
        .message,
    ).toBe("You are not allowed to do that.");
    const internal = describeAppError(
      Object.assign(new Error("Internal server error"), { data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } }),
      operator,
    );
    expect(internal).toMatchObject({
      retryable: true,
      message: "The server failed to answer; see the server log, then retry.",
    });
  });
});
