// How the studio writes its numbers: whole counts with separators, watch times as "7.4 s" or "3 min 5 s", rates as %.

const whole = new Intl.NumberFormat("en");

export function formatNumber(value: number): string {
  return whole.format(Math.round(value));
}

export function formatWatchTime(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)} %`;
}

/** "Nov 21" for a YYYY-MM-DD day (UTC, as the numbers are). */
export function formatDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });
}

export const SOURCE_LABELS: Record<string, string> = {
  foryou: "For You",
  following: "Following",
  profile: "Profile",
  search: "Search",
  hashtag: "Hashtag",
  link: "Shared link",
  other: "Other",
};
