// Creator analytics: per-video daily aggregates folded from the Event table (the consumer and rebuilds), and what the
// studio reads from them. The public face of lib/analytics.
export { getVideoAnalytics, getVideoDailyCsv, getStudioOverview, resolveRange, DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS } from "./queries";
export { canReadVideoAnalytics } from "./permissions";
export { foldNextBatch } from "./consumer";
export { rebuildVideoAnalytics, rebuildAllAnalytics } from "./rebuild";
export { countViews } from "./counts";
export type { VideoAnalytics, StudioOverview, DailyPoint, DayRange } from "./types";
