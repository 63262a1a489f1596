// Retrieval benchmark: recall@10 of pgvector's HNSW index against exact search over clustered 1536-d vectors, and how much faster the index answers, for a few values of hnsw.ef_search.
// Uses DATABASE_URL when set (PostgreSQL, 100,000 vectors), the embedded PGlite otherwise (10,000 by default: PGlite parses
// vector literals at ~150 rows/s and builds the graph single-threaded in WASM; BENCH_RECALL_N overrides either).
// Prints ratios measured in one run; nothing is asserted on time.
import { performance } from "node:perf_hooks";
import { createTestDatabase } from "@lockstep/db/testing";
import type pg from "pg";
import { median, prng } from "./timing.ts";

const DIM = 1536;
const ON_POSTGRES = Boolean(process.env.DATABASE_URL);
const N = Number(process.env.BENCH_RECALL_N ?? (ON_POSTGRES ? 100_000 : 10_000));
const CLUSTERS = Number(process.env.BENCH_RECALL_CLUSTERS ?? 100);
const QUERIES = Number(process.env.BENCH_RECALL_QUERIES ?? 200);
const K = 10;
const EF_SEARCH = (process.env.BENCH_RECALL_EF ?? "40,100,200").split(",").map(Number);
const TARGET_RECALL = 0.95;
/** Per-coordinate noise around a centroid: |noise| ~ 0.02 * sqrt(1536) ~ 0.78, so a cluster is a loose cloud (cosine ~0.6 within). */
const NOISE = 0.02;
/** How far a query is moved from the stored point it starts from. */
const QUERY_NOISE = 0.01;
const LOAD_BATCH = 1000;
// The knowledge index's parameters (pgvector's defaults), so the figures describe it.
const HNSW_M = 16;
const HNSW_EF_CONSTRUCTION = 64;

/** Standard normal by Box-Muller. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function normalise(vector: Float64Array): Float64Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}

function around(center: Float64Array, spread: number, random: () => number): Float64Array {
  const vector = new Float64Array(DIM);
  for (let i = 0; i < DIM; i++) vector[i] = (center[i] as number) + spread * gaussian(random);
  return normalise(vector);
}

const digits = new Array<number>(DIM);

/**
 * pgvector's text form with five decimals (float4 keeps little more at this size, ~0.025), written
 * as integers with an exponent ("-1852e-5"): formatting an integer is several times faster than
 * toFixed, and pgvector's parser (strtof) reads the exponent.
 */
function literal(vector: Float64Array): string {
  for (let i = 0; i < DIM; i++) digits[i] = Math.round((vector[i] as number) * 1e5);
  return `[${digits.join("e-5,")}e-5]`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function load(client: pg.PoolClient, random: () => number): Promise<Float64Array[]> {
  const centroids = Array.from({ length: CLUSTERS }, () => {
    const vector = new Float64Array(DIM);
    for (let i = 0; i < DIM; i++) vector[i] = gaussian(random);
    return normalise(vector);
  });
  // The stored points the queries start from, picked up front so the corpus need not stay in memory.
  const sources = new Set<number>();
  while (sources.size < Math.min(QUERIES, N)) sources.add(Math.floor(random() * N));
  const kept: Float64Array[] = [];
  // The next batch is generated while the server parses the previous one.
  let pending: Promise<unknown> = Promise.resolve();
  for (let start = 0; start < N; start += LOAD_BATCH) {
    const params: (number | string)[] = [];
    const rows: string[] = [];
    for (let id = start; id < Math.min(N, start + LOAD_BATCH); id++) {
      const point = around(centroids[id % CLUSTERS] as Float64Array, NOISE, random);
      if (sources.has(id)) kept.push(point);
      params.push(id, literal(point));
      rows.push(`($${params.length - 1}, $${params.length}::vector)`);
    }
    await pending;
    // One multi-row INSERT per batch, each vector a text parameter in pgvector's literal form.
    pending = client.query(`INSERT INTO bench_vectors (id, embedding) VALUES ${rows.join(", ")}`, params);
  }
  await pending;
  return kept.map((point) => around(point, QUERY_NOISE, random));
}

async function nearest(client: pg.PoolClient, query: string): Promise<{ ids: number[]; ms: number }> {
  const started = performance.now();
  const result = await client.query<{ id: number }>(
    "SELECT id FROM bench_vectors ORDER BY embedding <=> $1::vector LIMIT $2",
    [query, K],
  );
  return { ids: result.rows.map((row) => row.id), ms: performance.now() - started };
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  // One connection for everything, so session settings (ef_search, enable_indexscan) hold for what follows.
  const client = await db.pool.connect();
  try {
    const note =
      ON_POSTGRES || process.env.BENCH_RECALL_N
        ? ""
        : " (PGlite: 10,000 by default, as 100,000 would take about 20 minutes to load; set BENCH_RECALL_N for more)";
    console.log(
      `runtime: ${db.runtime}; ${N.toLocaleString()} vectors${note}, ${DIM} dimensions, ${CLUSTERS} clusters; ${QUERIES} queries; recall@${K}`,
    );
    await client.query(`CREATE TABLE bench_vectors (id int PRIMARY KEY, embedding vector(${DIM}) NOT NULL)`);

    const random = prng(20261123);
    let started = performance.now();
    const queries = (await load(client, random)).map(literal);
    const loadMs = performance.now() - started;
    console.log(
      `loaded in ${seconds(loadMs)} (${Math.round(N / (loadMs / 1000)).toLocaleString()} rows/s, multi-row INSERT of ${LOAD_BATCH} with vector literals)`,
    );

    // The graph is built in memory when it fits, which is far faster than spilling; PGlite's WASM heap is smaller.
    await client.query(`SET maintenance_work_mem = '${ON_POSTGRES ? "2GB" : "512MB"}'`);
    started = performance.now();
    await client.query(
      `CREATE INDEX bench_vectors_hnsw ON bench_vectors USING hnsw (embedding vector_cosine_ops) WITH (m = ${HNSW_M}, ef_construction = ${HNSW_EF_CONSTRUCTION})`,
    );
    console.log(
      `HNSW index (m = ${HNSW_M}, ef_construction = ${HNSW_EF_CONSTRUCTION}, vector_cosine_ops) built in ${seconds(performance.now() - started)}`,
    );
    await client.query("ANALYZE bench_vectors");

    // Exact: the same query with index scans off is a sequential scan with a top-k sort. Its
    // answers are the truth the index is measured against.
    await client.query("SET enable_indexscan = off");
    const parallel = (
      await client.query<{ workers: string }>("SELECT current_setting('max_parallel_workers_per_gather') AS workers")
    ).rows[0]?.workers;
    for (const query of queries.slice(0, 3)) await nearest(client, query);
    const exact: { ids: number[]; ms: number }[] = [];
    for (const query of queries) exact.push(await nearest(client, query));
    await client.query("RESET enable_indexscan");
    const exactMedian = median(exact.map((run) => run.ms));
    const exactTotal = exact.reduce((sum, run) => sum + run.ms, 0);
    console.log(
      `exact search: sequential scan (parallel workers per gather: ${parallel}), median ${exactMedian.toFixed(1)} ms per query`,
    );

    const plan = await client.query<{ "QUERY PLAN": string }>(
      "EXPLAIN SELECT id FROM bench_vectors ORDER BY embedding <=> $1::vector LIMIT 10",
      [queries[0]],
    );
    if (!plan.rows.some((row) => row["QUERY PLAN"].includes("bench_vectors_hnsw")))
      throw new Error("the planner does not use the HNSW index");

    console.log("");
    console.log("ef_search  recall@10  queries < 0.5  median ms  speed-up (median)  speed-up (total)");
    let chosen: number | null = null;
    for (const ef of EF_SEARCH) {
      await client.query(`SET hnsw.ef_search = ${ef}`);
      for (const query of queries.slice(0, 3)) await nearest(client, query);
      const runs: { ids: number[]; ms: number }[] = [];
      for (const query of queries) runs.push(await nearest(client, query));
      const recalls = runs.map((run, i) => {
        const truth = new Set(exact[i]?.ids);
        return run.ids.filter((id) => truth.has(id)).length / K;
      });
      const recall = recalls.reduce((sum, value) => sum + value, 0) / recalls.length;
      const hnswMedian = median(runs.map((run) => run.ms));
      const hnswTotal = runs.reduce((sum, run) => sum + run.ms, 0);
      if (chosen === null && recall >= TARGET_RECALL) chosen = ef;
      console.log(
        `${String(ef).padStart(9)}  ${recall.toFixed(4).padStart(9)}  ${String(recalls.filter((r) => r < 0.5).length).padStart(13)}  ${hnswMedian.toFixed(2).padStart(9)}  ` +
          `${`${(exactMedian / hnswMedian).toFixed(1)}x`.padStart(17)}  ${`${(exactTotal / hnswTotal).toFixed(1)}x`.padStart(16)}`,
      );
    }
    console.log("");
    // Clusters this far apart (cosine ~0 between centroids) are joined by few graph edges, so a
    // greedy descent that enters the wrong cluster can miss a query's neighbours entirely; the
    // "queries < 0.5" column counts those, which a larger ef_search only partly rescues.
    console.log(
      chosen === null
        ? `no ef_search tried reached recall@${K} >= ${TARGET_RECALL}; try BENCH_RECALL_EF=200,400,800`
        : `lowest ef_search tried with recall@${K} >= ${TARGET_RECALL}: ${chosen} (the knowledge search uses 100 by default)`,
    );
  } finally {
    client.release();
    await db.close();
  }
}

await main();
