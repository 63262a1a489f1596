// Types of server-node-flags.mjs, for the TypeScript that starts the server (bench:http, the browser tests).
export declare const DEFAULT_MAX_HEAP_MB: number;
/** The flags to put before the server's entry file; throws, naming the variable, when LOCKSTEP_MAX_HEAP_MB is not usable. */
export declare function serverNodeFlags(env?: Record<string, string | undefined>): string[];
