// How numbers and times read on the feed: compact counts ("1.2K") and short relative times ("3h").

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return compact.format(Math.max(0, value));
}

const UNITS: Array<[limitSeconds: number, seconds: number, suffix: string]> = [
  [60 * 60, 60, "m"],
  [24 * 60 * 60, 60 * 60, "h"],
  [7 * 24 * 60 * 60, 24 * 60 * 60, "d"],
  [5 * 7 * 24 * 60 * 60, 7 * 24 * 60 * 60, "w"],
];

/** "now", "5m", "3h", "2d", "4w", then a date: the compact form comment threads use. */
export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return "";
  const seconds = Math.max(0, (now - time) / 1000);
  if (seconds < 60) return "now";
  for (const [limit, unit, suffix] of UNITS) {
    if (seconds < limit) return `${Math.floor(seconds / unit)}${suffix}`;
  }
  const date = new Date(time);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString("en", sameYear ? { month: "short", day: "numeric" } : { year: "numeric", month: "short", day: "numeric" });
}
