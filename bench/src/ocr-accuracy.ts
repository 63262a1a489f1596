// OCR accuracy benchmark: reads every screenshot of the corpus (bench/ocr-corpus/images) through
// the function the upload path uses and compares what it proposes with the ground truth: character
// error on matched messages, authors, noise lines, missed messages, merges and splits, metadata
// glued into text, junk for emoji-only bubbles, and time per image, against the targets.
//   pnpm bench:ocr-accuracy            (BENCH_OCR_SET=dev|holdout to read one set only,
//                                       BENCH_OCR_ONLY=<pattern> for images whose name matches,
//                                       BENCH_OCR_VERBOSE=1 for what went wrong on each image)
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createOcrPool, recognizeMessages } from "@lockstep/ai";
import type { TOcrLine } from "@lockstep/contracts";
import { median } from "./timing.ts";

interface TruthMessage {
  author: "me" | "them";
  text: string;
  sender?: string;
  emojiOnly?: boolean;
}

interface Truth {
  image: string;
  style: string;
  theme: string;
  width: number;
  messages: TruthMessage[];
}

const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), "../ocr-corpus/images");

const TARGETS = {
  noise: 0.03,
  missed: 0.02,
  cer: 0.02,
  authors: 0.99,
  glued: 0,
  emojiJunk: 0,
  medianMs: 2000,
};

/** Emoji are drawn without a colour emoji font here, so text is compared without them. */
const EMOJI = /\p{Extended_Pictographic}|\u{FE0F}|\u{200D}|[\u{1F3FB}-\u{1F3FF}]/gu;
const normalise = (text: string) => text.replace(EMOJI, "").replace(/\s+/g, " ").trim();
const hasLetters = (text: string) => /[\p{L}\p{N}]/u.test(text);
/** A time or receipt read into a message ("11:52 PM", "21:06", ticks read as "vv" or "✓✓"). */
const METADATA = /(\b\d{1,2}[:.]\d{2}\s*([AaPp]\.?[Mm]\.?)?\s*$)|✓|(\s[vV]{2}\s*$)/;

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

const similarity = (a: string, b: string) => {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - levenshtein(a, b) / longest;
};

/** A proposed line stands for an emoji-only bubble when it has no letters or says it could not be read. */
const standsForEmoji = (line: TOcrLine) => !hasLetters(line.text) || (line.flags ?? []).includes("unreadable");

type Step =
  | { kind: "match"; line: number; truth: number }
  | { kind: "merge"; line: number; truth: [number, number] }
  | { kind: "split"; line: [number, number]; truth: number }
  | { kind: "noise"; line: number }
  | { kind: "missed"; truth: number };

const MATCH_AT = 0.5;

/** Lines and truth are both in reading order: align them (dynamic programming), best total similarity. */
function align(lines: TOcrLine[], truth: TruthMessage[]): Step[] {
  const texts = lines.map((line) => normalise(line.text));
  const wanted = truth.map((message) => normalise(message.text));
  const pairScore = (i: number, j: number) => {
    if (truth[j]!.emojiOnly) return standsForEmoji(lines[i]!) ? 1 : hasLetters(texts[i]!) ? 0.51 : 1;
    return similarity(texts[i]!, wanted[j]!);
  };
  const n = lines.length;
  const m = truth.length;
  const best = Array.from({ length: n + 1 }, () => new Float64Array(m + 1).fill(-Infinity));
  const from: (Step | null)[][] = Array.from({ length: n + 1 }, () => Array<Step | null>(m + 1).fill(null));
  best[0]![0] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = best[i]![j]!;
      if (here === -Infinity) continue;
      const offer = (ni: number, nj: number, score: number, step: Step) => {
        if (here + score > best[ni]![nj]!) {
          best[ni]![nj] = here + score;
          from[ni]![nj] = step;
        }
      };
      if (i < n) offer(i + 1, j, 0, { kind: "noise", line: i });
      if (j < m) offer(i, j + 1, 0, { kind: "missed", truth: j });
      if (i < n && j < m) {
        const score = pairScore(i, j);
        if (score >= MATCH_AT) offer(i + 1, j + 1, 1 + score, { kind: "match", line: i, truth: j });
      }
      if (i < n && j + 1 < m && !truth[j]!.emojiOnly && !truth[j + 1]!.emojiOnly) {
        const score = similarity(texts[i]!, `${wanted[j]} ${wanted[j + 1]}`.trim());
        if (score >= MATCH_AT) offer(i + 1, j + 2, 1.5 + score, { kind: "merge", line: i, truth: [j, j + 1] });
      }
      if (i + 1 < n && j < m && !truth[j]!.emojiOnly) {
        const score = similarity(`${texts[i]} ${texts[i + 1]}`.trim(), wanted[j]!);
        if (score >= MATCH_AT) offer(i + 2, j + 1, 1.5 + score, { kind: "split", line: [i, i + 1], truth: j });
      }
    }
  }
  const steps: Step[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const step = from[i]![j]!;
    steps.push(step);
    i -= step.kind === "noise" || step.kind === "match" || step.kind === "merge" ? 1 : step.kind === "split" ? 2 : 0;
    j -= step.kind === "missed" || step.kind === "match" || step.kind === "split" ? 1 : step.kind === "merge" ? 2 : 0;
  }
  return steps.reverse();
}

interface Score {
  proposed: number;
  messages: number;
  noise: number;
  noiseFlagged: number;
  missed: number;
  merges: number;
  splits: number;
  matched: number;
  errors: number;
  characters: number;
  authorsRight: number;
  glued: number;
  emojiOnly: number;
  emojiJunk: number;
  flagged: number;
  ms: number[];
}

const empty = (): Score => ({
  proposed: 0,
  messages: 0,
  noise: 0,
  noiseFlagged: 0,
  missed: 0,
  merges: 0,
  splits: 0,
  matched: 0,
  errors: 0,
  characters: 0,
  authorsRight: 0,
  glued: 0,
  emojiOnly: 0,
  emojiJunk: 0,
  flagged: 0,
  ms: [],
});

function add(total: Score, part: Score): void {
  for (const key of Object.keys(total) as (keyof Score)[]) {
    if (key === "ms") total.ms.push(...part.ms);
    else total[key] += part[key];
  }
}

const authorOf = (line: TOcrLine) => (line.author === "user" ? "me" : "them");

function score(lines: TOcrLine[], truth: TruthMessage[], ms: number, details: string[]): Score {
  const result = empty();
  result.proposed = lines.length;
  result.messages = truth.length;
  result.ms.push(ms);
  result.emojiOnly = truth.filter((message) => message.emojiOnly).length;
  result.flagged = lines.filter((line) => line.flags?.length).length;
  for (const step of align(lines, truth)) {
    if (step.kind === "noise") {
      result.noise += 1;
      const line = lines[step.line]!;
      if (line.flags?.length) result.noiseFlagged += 1;
      details.push(`      noise${line.flags?.length ? " (flagged)" : ""}: ${JSON.stringify(line.text)}`);
    } else if (step.kind === "missed") {
      result.missed += 1;
      details.push(`      missed: ${JSON.stringify(truth[step.truth]!.text)}`);
    } else if (step.kind === "merge") {
      result.merges += 1;
      details.push(`      merged: ${JSON.stringify(lines[step.line]!.text)}`);
    } else if (step.kind === "split") {
      result.splits += 1;
      details.push(`      split: ${JSON.stringify(truth[step.truth]!.text)}`);
    } else {
      const line = lines[step.line]!;
      const message = truth[step.truth]!;
      result.matched += 1;
      if (authorOf(line) === message.author) result.authorsRight += 1;
      else details.push(`      wrong author: ${JSON.stringify(message.text)}`);
      if (message.emojiOnly) {
        if (!standsForEmoji(line)) {
          result.emojiJunk += 1;
          details.push(`      emoji-only bubble read as ${JSON.stringify(line.text)}`);
        }
        continue;
      }
      const read = normalise(line.text);
      const wanted = normalise(message.text);
      const errors = levenshtein(read, wanted);
      result.errors += errors;
      result.characters += wanted.length;
      if (METADATA.test(read) && !METADATA.test(wanted)) {
        result.glued += 1;
        details.push(`      time or receipt glued: ${JSON.stringify(line.text)}`);
      } else if (errors > 0)
        details.push(`      ${errors} off: ${JSON.stringify(line.text)} for ${JSON.stringify(wanted)}`);
    }
  }
  return result;
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

function summary(label: string, total: Score): { line: string; checks: [string, string, boolean][] } {
  const noise = total.noise / Math.max(1, total.proposed);
  const missed = total.missed / Math.max(1, total.messages);
  const cer = total.errors / Math.max(1, total.characters);
  const authors = total.authorsRight / Math.max(1, total.matched);
  const medianMs = median(total.ms);
  return {
    line:
      `${label}: ${total.ms.length} images, ${total.messages} messages, ${total.proposed} lines proposed (${total.flagged} flagged)\n` +
      `  character error on matched ${cer.toFixed(4)} (${total.errors}/${total.characters}), authors ${authors.toFixed(3)} (${total.authorsRight}/${total.matched})\n` +
      `  noise lines ${total.noise} = ${pct(noise)} of proposed (${total.noiseFlagged} of them flagged), missed ${total.missed} = ${pct(missed)}, merges ${total.merges}, splits ${total.splits}\n` +
      `  times/receipts glued into text ${total.glued}, emoji-only bubbles ${total.emojiOnly} (read as junk ${total.emojiJunk})\n` +
      `  time per image: median ${Math.round(medianMs)} ms, max ${Math.round(Math.max(...total.ms))} ms`,
    checks: [
      ["noise lines", `${pct(noise)} <= ${pct(TARGETS.noise)}`, noise <= TARGETS.noise],
      ["missed messages", `${pct(missed)} <= ${pct(TARGETS.missed)}`, missed <= TARGETS.missed],
      ["character error on matched", `${cer.toFixed(4)} <= ${TARGETS.cer}`, cer <= TARGETS.cer],
      ["author accuracy", `${authors.toFixed(3)} >= ${TARGETS.authors}`, authors >= TARGETS.authors],
      ["times/receipts glued", `${total.glued} = 0`, total.glued === TARGETS.glued],
      ["emoji-only junk", `${total.emojiJunk} = 0`, total.emojiJunk === TARGETS.emojiJunk],
      ["median time per image", `${Math.round(medianMs)} ms <= ${TARGETS.medianMs} ms`, medianMs <= TARGETS.medianMs],
    ],
  };
}

async function main(): Promise<void> {
  const only = process.env.BENCH_OCR_SET;
  const verbose = process.env.BENCH_OCR_VERBOSE === "1";
  // A subset while working on one kind of screenshot (a regular expression on the image's name).
  const pattern = process.env.BENCH_OCR_ONLY ? new RegExp(process.env.BENCH_OCR_ONLY) : null;
  const sets = (await readdir(CORPUS)).filter((set) => !only || set === only).sort();
  // One worker, images one after another: the time per image is what one upload waits for.
  const engine = createOcrPool({ workers: 1 });
  const totals = new Map<string, Score>();
  try {
    const warm = (await readdir(path.join(CORPUS, sets[0]!))).find((file) => /\.(png|jpg)$/.test(file))!;
    await recognizeMessages(engine, await readFile(path.join(CORPUS, sets[0]!, warm)));
    console.log("OCR accuracy on the screenshot corpus (one worker, one image at a time)");
    for (const set of sets) {
      const total = empty();
      totals.set(set, total);
      const files = (await readdir(path.join(CORPUS, set)))
        .filter((file) => file.endsWith(".json") && (!pattern || pattern.test(file.replace(/\.json$/, ""))))
        .sort();
      console.log(`\n${set}:`);
      console.log("  image                                   msgs lines noise missed merge split  CER    authors  ms");
      for (const file of files) {
        const truth = JSON.parse(await readFile(path.join(CORPUS, set, file), "utf8")) as Truth;
        const image = await readFile(path.join(CORPUS, set, truth.image));
        const started = performance.now();
        const { messages } = await recognizeMessages(engine, image);
        const ms = performance.now() - started;
        const details: string[] = [];
        const result = score(messages, truth.messages, ms, details);
        add(total, result);
        console.log(
          `  ${truth.image.padEnd(40)} ${String(result.messages).padStart(4)} ${String(result.proposed).padStart(5)} ${String(result.noise).padStart(5)} ${String(result.missed).padStart(6)} ${String(result.merges).padStart(5)} ${String(result.splits).padStart(5)}  ${(result.errors / Math.max(1, result.characters)).toFixed(3)}  ${result.authorsRight}/${result.matched}`.padEnd(
            118,
          ) + `${String(Math.round(ms)).padStart(5)}`,
        );
        if (verbose) for (const detail of details) console.log(detail);
      }
    }
  } finally {
    await engine.terminate();
  }
  const all = empty();
  for (const total of totals.values()) add(all, total);
  const reports = [
    ...[...totals].map(([set, total]) => summary(set, total)),
    ...(totals.size > 1 ? [summary("all", all)] : []),
  ];
  console.log("");
  for (const report of reports) console.log(report.line);
  const final = reports.at(-1)!;
  console.log(`\ntargets (${totals.size > 1 ? "all sets" : sets[0]}):`);
  for (const [name, value, met] of final.checks) console.log(`  ${met ? "met    " : "NOT MET"}  ${name}: ${value}`);
}

await main();
