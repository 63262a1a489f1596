// The OCR pool's size: the configured OCR_WORKERS (validated by @lockstep/config), else one worker per core, at most 4.
import os from "node:os";
import { loadConfig } from "@lockstep/config";
import { describe, expect, it } from "vitest";
import { defaultOcrWorkers } from "./pool.ts";

describe("defaultOcrWorkers", () => {
  it("takes the configured count as it is", () => {
    expect(defaultOcrWorkers(3)).toBe(3);
    expect(defaultOcrWorkers(loadConfig({ OCR_WORKERS: "16" }).ocr.workers)).toBe(16);
  });

  it("falls back to one per core (1 to 4) only when nothing is configured", () => {
    expect(defaultOcrWorkers()).toBe(Math.max(1, Math.min(4, os.availableParallelism())));
    expect(defaultOcrWorkers(loadConfig({}).ocr.workers)).toBe(defaultOcrWorkers());
  });

  it("never sees a bad value: the configuration refuses it first", () => {
    for (const value of ["0", "-1", "two", "1.5", "17"])
      expect(() => loadConfig({ OCR_WORKERS: value })).toThrow(/OCR_WORKERS: must be a whole number from 1 to 16/);
  });
});
