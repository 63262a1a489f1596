// How numbers, durations, times and rates read across the admin pages: one place, so every page agrees.
import { ZEpochMsSchema } from "@lockstep/contracts";

const integer = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : integer.format(value);
}

export function formatCompact(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : compact.format(value);
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return `${integer.format(Math.round(value))} ms`;
}

export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return `${(value * 100).toFixed(value > 0 && value < 0.01 ? 2 : 1)}%`;
}

/** Local date and time, to the second: operators match these against server logs. */
export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  return new Date(ms).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });
}

/** The value of an <input type="datetime-local"> for an epoch time, in local time. */
export function toLocalInput(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The epoch time of an <input type="datetime-local"> value, or undefined when it is empty or invalid. */
export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  // The contracts' rule for a wire timestamp, so the filter never holds a time the API refuses.
  const checked = ZEpochMsSchema.safeParse(new Date(value).getTime());
  return checked.success ? checked.data : undefined;
}
