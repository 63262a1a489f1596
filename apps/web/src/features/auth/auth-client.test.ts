// Better Auth's refusals, in the words a person reads on the sign-in and sign-up forms.
import { describe, expect, it } from "vitest";
import { describeAuthFailure } from "./auth-client.ts";

describe("describeAuthFailure", () => {
  it("says a wrong email or password plainly", () => {
    expect(
      describeAuthFailure(401, { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" }).message,
    ).toBe("Wrong email or password.");
  });

  it("says when the email is taken, on the email field", () => {
    const failure = describeAuthFailure(422, { code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" });
    expect(failure.field).toBe("email");
    expect(failure.message).toMatch(/already exists/);
  });

  it("tells the per-device limit (with the wait) from the per-account lock", () => {
    expect(describeAuthFailure(429, null, 42).message).toMatch(/Try again in 42 seconds/);
    expect(describeAuthFailure(429, { code: "TOO_MANY_ATTEMPTS" }).message).toMatch(
      /Too many failed sign-ins for this account/,
    );
    expect(describeAuthFailure(429, { code: "TOO_MANY_ATTEMPTS", retryAfterSeconds: 840 }).message).toBe(
      "Too many failed sign-ins for this account. Try again in 14 minutes.",
    );
    expect(describeAuthFailure(429, { code: "TOO_MANY_ATTEMPTS" }, 75).message).toMatch(
      /Try again in 1 minute 15 seconds\.$/,
    );
  });

  it("says which password was wrong when changing it, and when a reset link is spent", () => {
    expect(describeAuthFailure(400, { code: "INVALID_PASSWORD" })).toMatchObject({ field: "currentPassword" });
    expect(describeAuthFailure(400, { code: "INVALID_TOKEN" }).message).toMatch(/expired or was already used/);
  });

  it("puts password rules on the password field and hides server faults behind a plain sentence", () => {
    expect(describeAuthFailure(400, { code: "PASSWORD_TOO_SHORT" })).toMatchObject({ field: "password" });
    expect(describeAuthFailure(500, { message: "stack trace here" }).message).not.toContain("stack");
  });
});
