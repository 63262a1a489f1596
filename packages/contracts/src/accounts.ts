// Words about accounts that the server and the chat app both say: how long a locked sign-in waits.

/** "14 minutes", "1 minute 5 seconds", "40 seconds": how long to wait, rounded up to whole seconds. */
export function waitInWords(seconds: number): string {
  const total = Math.max(1, Math.ceil(seconds));
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (minutes === 0) return unit(rest, "second");
  // Past a few minutes the seconds are noise; round up so the wait never ends later than said.
  if (minutes >= 5) return unit(rest ? minutes + 1 : minutes, "minute");
  return rest ? `${unit(minutes, "minute")} ${unit(rest, "second")}` : unit(minutes, "minute");
}
