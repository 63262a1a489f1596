// Browser-test support for both apps: the real server (built apps, embedded database) on a free
// port, Debian's Chromium through playwright-core, and screenshots kept where the README says.
export * from "./server.ts";
export * from "./browser.ts";
