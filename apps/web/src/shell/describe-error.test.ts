// What a failed call says to the person, and whether Retry is offered.
import { describe, expect, it } from "vitest";
import { describeError } from "./describe-error.ts";

const answered = (code: string, message = "", extra: object = {}) =>
  Object.assign(new Error(message), { data: { code, httpStatus: 400, ...extra } });

describe("describeError", () => {
  it("offers Retry when the server did not answer", () => {
    expect(describeError(new TypeError("Failed to fetch"))).toEqual({
      message: "Lockstep cannot be reached. Check your connection, then retry.",
      retryable: true,
    });
  });

  it("passes the server's words for bad input, with the field, and no Retry", () => {
    const error = answered("BAD_REQUEST", "name must not be empty", {
      fieldErrors: { name: ["name must not be empty"] },
    });
    expect(describeError(error)).toEqual({ message: "name must not be empty", retryable: false, field: "name" });
  });

  it("words rate limits and server faults without leaking internals", () => {
    expect(describeError(answered("TOO_MANY_REQUESTS")).retryable).toBe(true);
    const internal = describeError(answered("INTERNAL_SERVER_ERROR", "TypeError at line 3"));
    expect(internal.message).not.toContain("TypeError");
    expect(internal.retryable).toBe(true);
  });
});
