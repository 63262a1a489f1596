// Fuzz shard 1 of 2 over every procedure of appRouter (see fuzz-suite.ts); two files so both test workers share the work.
import { fuzzSuite } from "./fuzz-suite.ts";

await fuzzSuite(0, 2);
