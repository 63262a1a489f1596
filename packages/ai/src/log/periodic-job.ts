// A job the server runs on an interval (retention, rollup refresh): never overlapping, never
// keeping the process alive on its own, and stoppable so the database can be closed after it.

export interface PeriodicJobOptions {
  everyMs: number;
  /** Run once right away as well (default true). */
  runAtStart?: boolean;
  /** Told about a failed run; the next tick tries again. */
  onError: (error: unknown) => void;
}

export interface PeriodicJob<T> {
  /** Runs now, or joins the run under way. */
  runNow(): Promise<T>;
  /** Stops the interval and waits for a run under way. */
  stop(): Promise<void>;
}

export function startPeriodicJob<T>(run: () => Promise<T>, options: PeriodicJobOptions): PeriodicJob<T> {
  const { everyMs, onError } = options;
  if (!Number.isFinite(everyMs) || everyMs <= 0) throw new RangeError(`everyMs must be positive (got ${everyMs})`);
  let running: Promise<T> | null = null;
  let stopped = false;

  const runNow = (): Promise<T> => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };
  const tick = () => {
    if (!stopped) runNow().catch(onError);
  };

  const timer = setInterval(tick, everyMs);
  timer.unref();
  if (options.runAtStart ?? true) tick();

  return {
    runNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
