// Public entry of the contracts package: safe for browsers and servers alike (zod only).
export * from "./enums.ts";
