// The Node flags the compiled server runs with: one list for `npm start` (bootstrap.mjs) and for what
// starts the server the way it does (bench:http, the browser tests' server).

/** The server's V8 heap limit in megabytes, unless LOCKSTEP_MAX_HEAP_MB says otherwise. */
export const DEFAULT_MAX_HEAP_MB = 1024;

/**
 * V8 sizes its heap limit from the machine's memory (4.5 GB on a machine with 23 GB) and, with that
 * much room, lets the old generation grow to several times what is live before collecting it: the
 * server, 110 to 170 MB live, kept growing past 850 MB resident under load. With a 1 GB limit V8
 * collects sooner and the server stays near 450 MB, answering as fast or faster (bench:http).
 */
export function serverNodeFlags(env = process.env) {
  const given = env.LOCKSTEP_MAX_HEAP_MB;
  const megabytes = given === undefined || given === "" ? DEFAULT_MAX_HEAP_MB : Number(given);
  if (!Number.isInteger(megabytes) || megabytes < 256) {
    throw new Error(`LOCKSTEP_MAX_HEAP_MB must be a whole number of megabytes, at least 256 (it is "${given}")`);
  }
  return [`--max-old-space-size=${megabytes}`];
}
