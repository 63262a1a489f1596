// Browser-test support for both apps: the real server (built apps, embedded database) on a free
// port, Debian's Chromium through playwright-core, screenshots kept where the README says, and the
// bytes a page's scripts cost on the wire.
export * from "./server.ts";
export * from "./browser.ts";
export * from "./transfer.ts";
export * from "./axe.ts";
