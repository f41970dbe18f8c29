"use client";

// The studio's home: the account's numbers over a range (followers and their growth, views, watch time, likes), and
// the list of videos with their live processing state and each one's numbers over the same range.
import { useState } from "react";
import type { StudioOverview } from "@/lib/analytics/types";
import type { OwnVideoView } from "@/lib/videos/service";
import { formatNumber, formatWatchTime } from "./format";
import { FollowerGrowthChart, ViewsChart, WatchTimeChart } from "./lazy-charts";
import { DEFAULT_RANGE_DAYS, lastDays, rangeQuery, type DayRange } from "./range";
import { RangePicker } from "./range-picker";
import { StatTiles } from "./stat-tiles";
import { StudioList } from "./studio-list";
import { usePolledJson } from "./use-polled-json";

export function StudioDashboard({ videos, initialOverview }: { videos: OwnVideoView[]; initialOverview: StudioOverview | null }) {
  const [range, setRange] = useState<DayRange>(() => lastDays(DEFAULT_RANGE_DAYS));
  const { data: overview, error } = usePolledJson<StudioOverview>(`/api/studio/overview?${rangeQuery(range)}`, initialOverview);
  const stats = new Map((overview?.videos ?? []).map((entry) => [entry.id, entry]));

  return (
    <>
      <section className="analytics" data-testid="studio-overview">
        <div className="analytics-toolbar">
          <RangePicker range={range} onChange={setRange} />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {overview && (
          <>
            <StatTiles
              tiles={[
                { label: "Followers", value: formatNumber(overview.totals.followers), testId: "stat-followers", hint: `+${formatNumber(overview.totals.followersGained)} in range` },
                { label: "Views", value: formatNumber(overview.totals.views), testId: "stat-account-views" },
                { label: "Watch time", value: formatWatchTime(overview.totals.watchMs), testId: "stat-account-watch" },
                { label: "Likes", value: formatNumber(overview.totals.likes), testId: "stat-account-likes" },
                { label: "Videos", value: formatNumber(overview.totals.videos), testId: "stat-videos" },
              ]}
            />
            <div className="chart-row">
              <section className="chart-card">
                <h2>Followers</h2>
                <FollowerGrowthChart points={overview.followerGrowth} />
              </section>
              <section className="chart-card">
                <h2>Views</h2>
                <ViewsChart points={overview.dailyViews} />
              </section>
            </div>
            <section className="chart-card">
              <h2>Watch time</h2>
              <WatchTimeChart points={overview.dailyViews} />
            </section>
          </>
        )}
      </section>
      <h2>Videos</h2>
      <StudioList initial={videos} stats={stats} />
    </>
  );
}
