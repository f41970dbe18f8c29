// The studio's time ranges: the last N whole UTC days up to today.

export const RANGE_PRESETS = [
  { days: 7, label: "7 days" },
  { days: 28, label: "28 days" },
  { days: 90, label: "90 days" },
  { days: 365, label: "365 days" },
] as const;
export type RangeDays = (typeof RANGE_PRESETS)[number]["days"];
export const DEFAULT_RANGE_DAYS: RangeDays = 28;

export function rangeQuery(days: number, now: Date = new Date()): string {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return `from=${from}&to=${to}`;
}
