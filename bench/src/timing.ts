// Timing helpers for benchmarks: warm up, then time each run with the high-resolution clock.
import { performance } from "node:perf_hooks";

/** Runs `work` a few times untimed (caches, JIT, plans), then `runs` times; returns milliseconds. */
export async function timeRuns(runs: number, work: () => Promise<unknown>, warmup = 3): Promise<number[]> {
  for (let index = 0; index < warmup; index++) await work();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** mulberry32: a seeded generator, so every run makes the same choices (corpora, queries, request mixes). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
