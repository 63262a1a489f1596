// On start, marks ABORTED the interactions a previous process left PENDING (it crashed or was killed mid-call), so no row stays PENDING forever.
import { abortAbandonedAiInteractions, type Database } from "@lockstep/db";

/** No model call runs this long (provider timeouts are far shorter), so an older PENDING row is an orphan. */
export const SWEEP_STALE_AFTER_MS_DEFAULT = 10 * 60_000;

export interface SweepOptions {
  /** PENDING rows older than this are abandoned (default 10 minutes). Safe with several server processes. */
  olderThanMs?: number;
  /**
   * Every PENDING row not in `log`'s in-flight set is abandoned, whatever its age. Only right when
   * this is the only process writing the log (the embedded PGlite mode always is): another live
   * server's calls would be marked ABORTED.
   */
  allNotInFlight?: boolean;
  /** This process's log: its calls in flight are never swept. */
  log?: { inFlightIds(): string[] };
  now?: Date;
}

/** Returns how many rows it marked ABORTED (error_code "process_ended"). */
export async function sweepAbandonedInteractions(db: Database, options: SweepOptions = {}): Promise<number> {
  const exceptIds = options.log?.inFlightIds() ?? [];
  if (options.allNotInFlight) return abortAbandonedAiInteractions(db, { exceptIds });
  const olderThanMs = options.olderThanMs ?? SWEEP_STALE_AFTER_MS_DEFAULT;
  const createdBefore = new Date((options.now ?? new Date()).getTime() - olderThanMs);
  return abortAbandonedAiInteractions(db, { createdBefore, exceptIds });
}

/**
 * Marks ABORTED the calls still PENDING for one reply: an earlier attempt of a durable job whose
 * process died mid-call. Only the job's next attempt calls this, once the queue has given the job
 * up as lost, so no live call is touched.
 */
export function abortInterruptedAttempts(db: Database, messageId: string): Promise<number> {
  return abortAbandonedAiInteractions(db, { messageId });
}
