// What deleting an account removes, in words, keyed by the contract's count fields so a new kind of
// data cannot be left out of the warning without a type error.
import type { TDeletedAccountCounts } from "@lockstep/contracts";

export const DELETED_DATA_LABELS: Readonly<
  Record<keyof TDeletedAccountCounts, { one: string; many: string; gone: string }>
> = {
  sessions: { one: "session", many: "sessions", gone: "All your sessions, including those in the trash" },
  messages: { one: "message", many: "messages", gone: "Every message and suggestion in them" },
  feedback: {
    one: "like, dislike, pin or copy",
    many: "likes, dislikes, pins and copies",
    gone: "Your likes, dislikes, pins and copies",
  },
  collections: { one: "collection", many: "collections", gone: "Your collections" },
  engagements: { one: "coach history", many: "coach histories", gone: "Your history with each coach" },
  memories: { one: "memory", many: "memories", gone: "Everything the coaches remember about you" },
  uploads: { one: "screenshot", many: "screenshots", gone: "The screenshots you uploaded" },
  aiInteractionsAnonymised: {
    one: "AI log entry anonymised",
    many: "AI log entries anonymised",
    gone: "The log of AI calls keeps its entries, with your name and IP address removed",
  },
};

export const DELETED_DATA_KEYS = Object.keys(DELETED_DATA_LABELS) as (keyof TDeletedAccountCounts)[];

/** "3 sessions", "1 memory": one line per kind of data that went, leaving out the kinds with none. */
export function describeDeletedCounts(counts: TDeletedAccountCounts): string[] {
  return DELETED_DATA_KEYS.filter((key) => counts[key] > 0).map((key) => {
    const label = DELETED_DATA_LABELS[key];
    return `${counts[key]} ${counts[key] === 1 ? label.one : label.many}`;
  });
}
