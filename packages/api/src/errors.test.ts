// The contracts' error table against tRPC itself: every app code is answered with the status and
// JSON-RPC number tRPC gives its tRPC code, so plain HTTP routes and /trpc cannot drift apart.
import { APP_ERROR_TRPC_CODE, APP_ERRORS, TRPC_RPC_CODE, ZAppErrorCodeSchema } from "@lockstep/contracts";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { describe, expect, it } from "vitest";
import { AppError, appCodeOf, toTRPCError } from "./errors.ts";

describe("app error table", () => {
  it.each(ZAppErrorCodeSchema.options)("%s has the HTTP status of its tRPC code", (code) => {
    const error = toTRPCError(new AppError(code, "x"));
    expect(error.code).toBe(APP_ERROR_TRPC_CODE[code]);
    expect(getHTTPStatusCodeFromError(error)).toBe(APP_ERRORS[code].status);
    expect(appCodeOf(error)).toBe(code);
  });

  it("has tRPC's JSON-RPC number for every code name it uses", () => {
    for (const [name, rpc] of Object.entries(TRPC_RPC_CODE)) {
      expect(TRPC_ERROR_CODES_BY_KEY[name as keyof typeof TRPC_ERROR_CODES_BY_KEY]).toBe(rpc);
    }
  });

  it("maps a tRPC error raised without an AppError back to the code of its status", () => {
    for (const code of ZAppErrorCodeSchema.options) {
      if (code === "ILLEGAL_TRANSITION") continue; // shares BAD_REQUEST with BAD_INPUT
      if (code === "USAGE_LIMIT_REACHED") continue; // shares TOO_MANY_REQUESTS with RATE_LIMITED
      expect(appCodeOf(new TRPCError({ code: APP_ERROR_TRPC_CODE[code] }))).toBe(code);
    }
  });
});
