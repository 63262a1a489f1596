// OCR of chat screenshots: the worker pool, bubble finding, grouping into authored messages, and
// the logged read.
export * from "./pool.ts";
export * from "./regions.ts";
export * from "./layout.ts";
export * from "./read.ts";
export * from "./bubbles.ts";
export * from "./reader.ts";
export * from "./vision.ts";
