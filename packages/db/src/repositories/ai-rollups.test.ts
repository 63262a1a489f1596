// The rollups' log-scale bins and the percentiles read off their histograms, against exact percentile_cont arithmetic.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binBounds, histogramPercentiles, LATENCY_BIN_RATIO } from "./ai-rollups.ts";

/** The bin SQL puts a value in (binSql), in TypeScript. */
function binOf(ms: number): number {
  return ms < 1 ? 0 : 1 + Math.floor(Math.log(ms) / Math.log(LATENCY_BIN_RATIO));
}

/** percentile_cont: linear interpolation between the values of ranks floor(p(n-1)) and ceil(p(n-1)). */
function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const below = sorted[lower] as number;
  return rank === lower ? below : below + (rank - lower) * ((sorted[lower + 1] as number) - below);
}

function histogram(values: number[]): Map<number, number> {
  const h = new Map<number, number>();
  for (const v of values) h.set(binOf(v), (h.get(binOf(v)) ?? 0) + 1);
  return h;
}

describe("bins", () => {
  it("hold their values", () => {
    for (const ms of [0, 0.5, 1, 2, 9, 10, 11, 250, 999, 1000, 123_456, 2_000_000_000]) {
      const [low, high] = binBounds(binOf(ms));
      expect(ms >= low * (1 - 1e-12) && ms < high * (1 + 1e-12)).toBe(true);
    }
  });
});

describe("histogramPercentiles", () => {
  it("is null for an empty histogram and exact-ish for one value", () => {
    expect(histogramPercentiles(new Map(), [0.5])).toEqual([null]);
    const [p50] = histogramPercentiles(histogram([400]), [0.5]);
    expect(Math.abs((p50 as number) - 400) / 400).toBeLessThan(LATENCY_BIN_RATIO - 1);
  });

  it("stays within one bin's width of percentile_cont for any data", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 600_000 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0.5, 0.95, 0.99),
        (values, p) => {
          const exact = percentileCont(values, p);
          const [approx] = histogramPercentiles(histogram(values), [p]);
          expect(Math.abs((approx as number) - exact) / exact).toBeLessThanOrEqual(LATENCY_BIN_RATIO - 1);
        },
      ),
    );
  });

  it("is within a few percent on a large log-normal sample", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const values = Array.from({ length: 20_000 }, () =>
      Math.max(
        1,
        Math.round(900 * Math.exp(0.6 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()))),
      ),
    );
    const h = histogram(values);
    const approx = histogramPercentiles(h, [0.5, 0.95, 0.99]);
    [0.5, 0.95, 0.99].forEach((p, i) => {
      expect(Math.abs((approx[i] as number) - percentileCont(values, p)) / percentileCont(values, p)).toBeLessThan(
        0.03,
      );
    });
  });
});
