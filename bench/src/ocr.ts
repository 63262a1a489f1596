// OCR benchmark: screenshots read per second by the worker pool (one Tesseract worker per core)
// against a single worker, and the server's event-loop delay (p99) and /trpc/health latency while
// OCR runs against an idle server, all in one run, rounds alternating so drift hits both alike.
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { createOcrPool, defaultOcrWorkers, type OcrEngine, recognizeMessages } from "@lockstep/ai";
import { type ChatBubble, renderChatScreenshot } from "@lockstep/ai/testing";
import { createAuth } from "@lockstep/api";
import { createTestDatabase } from "@lockstep/db/testing";
import { buildApp } from "@lockstep/server/app";
import { median } from "./timing.ts";

const IMAGES = Number(process.env.BENCH_IMAGES ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const CONVERSATION: ChatBubble[] = [
  { text: "Hey, are we still on for dinner tonight?", side: "left" },
  { text: "Yes! Seven o'clock at the Italian place near the station", side: "right" },
  { text: "Perfect. I will book a table for two", side: "left" },
  { text: "Great, see you there", side: "right" },
  { text: "Should I bring anything?", side: "left" },
  { text: "Just yourself and maybe that funny story about your cat", side: "right" },
];

async function readAll(engine: OcrEngine, images: Buffer[]): Promise<number> {
  const results = await Promise.all(images.map((image) => recognizeMessages(engine, image)));
  return results.reduce((sum, result) => sum + result.messages.length, 0);
}

interface Sample {
  imagesPerSecond: number;
  loopP99Ms: number;
  healthP99Ms: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** Runs `work` while measuring the loop's delay and a steady trickle of health checks. */
async function measure(
  url: string,
  work: () => Promise<unknown>,
): Promise<{ ms: number; loopP99Ms: number; healthP99Ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const latencies: number[] = [];
  let running = true;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${url}/trpc/health`);
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  histogram.enable();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  histogram.disable();
  running = false;
  await probe;
  return { ms, loopP99Ms: histogram.percentile(99) / 1e6, healthP99Ms: percentile(latencies, 99) };
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const app = await buildApp({
    db,
    auth: createAuth({ db, secret: "bench-secret-bench-secret-bench-secret", trustedOrigins: [] }),
    server: { version: "bench", expectedMigrations: [] },
    bodyLimit: 1024 * 1024,
    logger: false,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const poolSize = defaultOcrWorkers(process.env.OCR_WORKERS ? Number(process.env.OCR_WORKERS) : undefined);
  const pool = createOcrPool({ workers: poolSize });
  const single = createOcrPool({ workers: 1 });
  try {
    const themes = ["imessage", "whatsapp", "dark"] as const;
    const fonts = ["DejaVu Sans", "Liberation Sans", "DejaVu Serif"];
    const images = await Promise.all(
      Array.from({ length: IMAGES }, (_, index) =>
        renderChatScreenshot(CONVERSATION, {
          theme: themes[index % 3],
          fontFamily: fonts[(index >> 1) % 3],
          fontSize: 18 + (index % 4) * 3,
        }),
      ),
    );
    // Workers load the model on first use; warm both so rounds time reading only.
    await readAll(pool, images.slice(0, poolSize));
    await readAll(single, images.slice(0, 1));

    const idle = await measure(url, () => new Promise((resolve) => setTimeout(resolve, 2000)));
    const samples: Record<"pool" | "single", Sample[]> = { pool: [], single: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, engine] of [
        ["pool", pool],
        ["single", single],
      ] as const) {
        let messages = 0;
        const run = await measure(url, async () => {
          messages = await readAll(engine, images);
        });
        if (messages < IMAGES * CONVERSATION.length * 0.9) throw new Error(`${name}: only ${messages} messages read`);
        samples[name].push({
          imagesPerSecond: (IMAGES * 1000) / run.ms,
          loopP99Ms: run.loopP99Ms,
          healthP99Ms: run.healthP99Ms,
        });
      }
    }
    const summary = (name: "pool" | "single") => ({
      imagesPerSecond: median(samples[name].map((sample) => sample.imagesPerSecond)),
      loopP99Ms: median(samples[name].map((sample) => sample.loopP99Ms)),
      healthP99Ms: median(samples[name].map((sample) => sample.healthP99Ms)),
    });
    const withPool = summary("pool");
    const withOne = summary("single");
    const fmt = (value: number) => value.toFixed(2);
    console.log(
      `OCR benchmark: ${IMAGES} screenshots per round, ${ROUNDS} rounds each, ${os.availableParallelism()} cores (medians)`,
    );
    console.log(
      `  pool of ${poolSize} workers: ${fmt(withPool.imagesPerSecond)} images/s, event-loop delay p99 ${fmt(withPool.loopP99Ms)} ms, /trpc/health p99 ${fmt(withPool.healthP99Ms)} ms`,
    );
    console.log(
      `  one worker:        ${fmt(withOne.imagesPerSecond)} images/s, event-loop delay p99 ${fmt(withOne.loopP99Ms)} ms, /trpc/health p99 ${fmt(withOne.healthP99Ms)} ms`,
    );
    console.log(
      `  idle server:       event-loop delay p99 ${fmt(idle.loopP99Ms)} ms, /trpc/health p99 ${fmt(idle.healthP99Ms)} ms`,
    );
    console.log(`  throughput, pool / one worker: ${fmt(withPool.imagesPerSecond / withOne.imagesPerSecond)}x`);
    console.log(`  event-loop delay p99 while the pool reads / idle: ${fmt(withPool.loopP99Ms / idle.loopP99Ms)}x`);
  } finally {
    await pool.terminate();
    await single.terminate();
    await app.close();
    await db.close();
  }
}

await main();
