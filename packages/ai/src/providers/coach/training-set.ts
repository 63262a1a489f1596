// The examples the coach's classifier learns from: only the tuning part of the labelled conversations, never the held-out part.
import type { LabelledExample } from "./classifier.ts";

/** The rule the labelled conversations are split by: every third id is held out and only measured. */
export const isHeldOut = (id: number): boolean => id % 3 === 0;

interface LabelledDataset {
  conversations: (LabelledExample & { part: string })[];
}

/** The tuning part, with only what the classifier reads: held-out conversations are left out by their id, whatever their part says. */
export function trainingSetOf(dataset: LabelledDataset): LabelledExample[] {
  return dataset.conversations
    .filter((item) => item.part === "tune" && !isHeldOut(item.id))
    .map(({ id, situation, tone, conversation }) => ({ id, situation, tone, conversation }));
}
