// Server-only entry of the AI package.
export * from "./provider.ts";
export * from "./log/types.ts";
export * from "./runtime.ts";
export * from "./streams/index.ts";
export * from "./analysis/prompt.ts";
export * from "./analysis/run.ts";
export * from "./memory/extract.ts";
export * from "./providers/index.ts";
export * from "./log/interaction-log.ts";
export * from "./log/masking.ts";
export * from "./log/sweep.ts";
export * from "./log/retention.ts";
export * from "./log/rollups.ts";
export * from "./knowledge/index.ts";
export * from "./images/normalise.ts";
export * from "./ocr/index.ts";
export * from "./models/index.ts";
