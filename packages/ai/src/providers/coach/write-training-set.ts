// Writes training-set.json, the tuning part of the labelled conversations the coach's classifier learns from: `pnpm --filter @lockstep/ai coach:training-set`.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { trainingSetOf } from "./training-set.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const dataset = JSON.parse(readFileSync(path.join(here, "../../../test/coach-conversations.json"), "utf8"));
writeFileSync(path.join(here, "training-set.json"), `${JSON.stringify(trainingSetOf(dataset), null, 2)}\n`);
