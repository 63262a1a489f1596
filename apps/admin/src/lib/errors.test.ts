// Errors in words: a dead server invites a retry, a refused input keeps the server's message and fields, an internal failure hides its detail.
import { describe, expect, it } from "vitest";
import { describeError } from "./errors.ts";

describe("describeError", () => {
  it("says the server cannot be reached when nothing answered, and that retrying can help", () => {
    const described = describeError(new TypeError("Failed to fetch"));
    expect(described).toMatchObject({ retryable: true, code: null });
    expect(described.message).toMatch(/cannot be reached \(Failed to fetch\)/);
  });

  it("keeps a bad request's own message and its field errors, with no retry", () => {
    const error = Object.assign(new Error("slug: A character with that slug already exists."), {
      data: { code: "CONFLICT", httpStatus: 409, details: { field: "slug" } },
    });
    expect(describeError(error)).toEqual({
      message: "slug: A character with that slug already exists.",
      retryable: false,
      fieldErrors: {},
      code: "CONFLICT",
    });
    const bad = Object.assign(new Error("name: must not be empty"), {
      data: { code: "BAD_REQUEST", httpStatus: 400, fieldErrors: { name: ["name must not be empty"] } },
    });
    expect(describeError(bad).fieldErrors).toEqual({ name: ["name must not be empty"] });
  });

  it("words refusals and internal failures for an operator", () => {
    expect(describeError(Object.assign(new Error("x"), { data: { code: "FORBIDDEN", httpStatus: 403 } })).message).toBe(
      "You are not allowed to do that.",
    );
    const internal = describeError(
      Object.assign(new Error("Internal server error"), { data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } }),
    );
    expect(internal).toMatchObject({
      retryable: true,
      message: "The server failed to answer; see the server log, then retry.",
    });
  });
});
