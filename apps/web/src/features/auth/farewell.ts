// Hands what a deleted account took with it from the profile page to the sign-in page, which shows
// it until someone signs in; the account (and so any server state) is gone by then.
import type { TDeletedAccountCounts } from "@lockstep/contracts";

let farewell: TDeletedAccountCounts | null = null;

export function rememberDeletedAccount(counts: TDeletedAccountCounts): void {
  farewell = counts;
}

/** The counts of the account just deleted; kept in memory only, so a reload shows nothing. */
export function peekDeletedAccount(): TDeletedAccountCounts | null {
  return farewell;
}

/** Called once someone signs in or up: the farewell belonged to the account before. */
export function forgetDeletedAccount(): void {
  farewell = null;
}
