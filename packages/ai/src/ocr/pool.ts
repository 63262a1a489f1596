// The OCR engine: tesseract.js workers (each a worker thread running Tesseract in WebAssembly)
// behind tesseract.js's scheduler, so recognition never runs on the event loop and N images are
// read at once. English data comes from @tesseract.js-data/eng on disk: nothing is downloaded.
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import {
  createScheduler,
  createWorker,
  OEM,
  PSM,
  type RecognizeResult,
  type Scheduler,
  type Worker,
} from "tesseract.js";

/** The data set (LSTM "best", integer-quantised: the accurate one that still reads a screenshot in about a second). */
export const OCR_DATA_VERSION = "4.0.0_best_int";
export const OCR_MODEL = `tesseract.js-7/eng-${OCR_DATA_VERSION}`;

export function englishDataPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("@tesseract.js-data/eng/package.json")), OCR_DATA_VERSION);
}

export interface OcrWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

export interface OcrTextLine {
  text: string;
  /** 0 to 100, as Tesseract gives it. */
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  /** The line's words, so a time or receipt at its end can be told from the message. */
  words?: OcrWord[];
}

export interface OcrEngine {
  /** Reads an image (already prepared: grey, dark text on light); lines in reading order. */
  recognize(image: Buffer): Promise<OcrTextLine[]>;
  /** Workers in the pool (started on first use). */
  readonly size: number;
  /** Stops every worker; later calls to recognize fail. Safe to call twice. */
  terminate(): Promise<void>;
}

/** The configured count (OCR_WORKERS, validated by the config), else one worker per core, at most 4: each runs in its own thread. */
export function defaultOcrWorkers(configured?: number): number {
  return configured ?? Math.max(1, Math.min(4, os.availableParallelism()));
}

function linesOf(result: RecognizeResult): OcrTextLine[] {
  const lines: OcrTextLine[] = [];
  for (const block of result.data.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines)
        lines.push({
          text: line.text.trim(),
          confidence: line.confidence,
          bbox: line.bbox,
          words: line.words.map((word) => ({ text: word.text, confidence: word.confidence, bbox: word.bbox })),
        });
    }
  }
  return lines;
}

/**
 * A pool of `workers` Tesseract workers. They start on the first recognize (a worker takes about
 * half a second to load the model), so a server that never reads a screenshot never pays for them.
 */
export function createOcrPool(options: { workers?: number } = {}): OcrEngine {
  const size = options.workers ?? defaultOcrWorkers();
  let scheduler: Scheduler | null = null;
  let starting: Promise<Scheduler> | null = null;
  let terminated = false;

  const start = (): Promise<Scheduler> => {
    starting ??= (async () => {
      const created = createScheduler();
      const langPath = englishDataPath();
      const workers: Worker[] = await Promise.all(
        Array.from({ length: size }, () =>
          createWorker("eng", OEM.LSTM_ONLY, {
            langPath,
            gzip: true,
            // The data is read from node_modules; caching a copy would write into the working directory.
            cacheMethod: "none",
          }),
        ),
      );
      for (const worker of workers) {
        // The reader hands Tesseract one column of bubbles, each cut out and whitened: one block of
        // text (this also reads a bubble's small time on the line it sits on, where it can be cut off).
        await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_BLOCK, user_defined_dpi: "144" });
        created.addWorker(worker);
      }
      scheduler = created;
      return created;
    })();
    return starting;
  };

  return {
    get size() {
      return size;
    },
    async recognize(image) {
      if (terminated) throw new Error("the OCR engine has been stopped");
      const ready = scheduler ?? (await start());
      const result = await ready.addJob("recognize", image, {}, { blocks: true, text: false });
      return linesOf(result);
    },
    async terminate() {
      if (terminated) return;
      terminated = true;
      if (!starting) return;
      const ready = await starting.catch(() => null);
      await ready?.terminate();
    },
  };
}
