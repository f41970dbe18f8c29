// The studio's time ranges: whole UTC days, both ends included, as the API takes them.

export type DayRange = { from: string; to: string };

export const RANGE_PRESETS = [
  { days: 7, label: "7 days" },
  { days: 28, label: "28 days" },
  { days: 90, label: "90 days" },
  { days: 365, label: "365 days" },
] as const;
export const DEFAULT_RANGE_DAYS = 28;

function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The last `days` days up to today (UTC). */
export function lastDays(days: number, now: Date = new Date()): DayRange {
  const to = today(now);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

export function rangeQuery(range: DayRange): string {
  return `from=${range.from}&to=${range.to}`;
}
