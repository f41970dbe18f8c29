"use client";

// One video's analytics for its creator: processing state, headline numbers, views over time, the retention curve,
// where views came from, engagement, and a CSV of the daily numbers. Refreshes itself every few seconds.
import Link from "next/link";
import { useState } from "react";
import type { VideoAnalytics } from "@/lib/analytics/types";
import { formatNumber, formatPercent, formatWatchTime } from "./format";
import { EngagementChart, RetentionChart, SourcesChart, ViewsChart } from "./lazy-charts";
import { DEFAULT_RANGE_DAYS, lastDays, rangeQuery, type DayRange } from "./range";
import { RangePicker } from "./range-picker";
import { StatTiles } from "./stat-tiles";
import { usePolledJson } from "./use-polled-json";

export function VideoAnalyticsView({ initial }: { initial: VideoAnalytics }) {
  const [range, setRange] = useState<DayRange>(() => lastDays(DEFAULT_RANGE_DAYS));
  const query = rangeQuery(range);
  const { data, error } = usePolledJson<VideoAnalytics>(`/api/studio/videos/${initial.video.id}/analytics?${query}`, initial);
  const analytics = data ?? initial;
  const { video, totals } = analytics;

  return (
    <div className="analytics" data-testid="video-analytics">
      <p>
        <Link href="/studio">← Studio</Link>
      </p>
      <header className="analytics-head">
        {video.poster ? <img src={video.poster} alt="" className="analytics-poster" /> : <div className="analytics-poster" />}
        <div>
          <h1 style={{ margin: "0 0 0.25rem" }}>{video.caption || "Untitled video"}</h1>
          <span className={`badge ${video.status}`} data-testid="analytics-status">
            {video.status}
          </span>{" "}
          <span className="hint">{video.visibility}</span>
          {video.status === "processing" && (
            <div className="progress" role="progressbar" aria-valuenow={Math.round(video.progress * 100)} aria-label="Processing progress" style={{ marginTop: 8 }}>
              <div style={{ width: `${Math.round(video.progress * 100)}%` }} />
            </div>
          )}
        </div>
      </header>

      <div className="analytics-toolbar">
        <RangePicker range={range} onChange={setRange} />
        <a className="button secondary" href={`/api/studio/videos/${video.id}/daily.csv?${query}`} data-testid="csv-link" download>
          Download CSV
        </a>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}

      <StatTiles
        tiles={[
          { label: "Views", value: formatNumber(totals.views), testId: "stat-views" },
          { label: "Unique viewers", value: formatNumber(totals.uniqueViewers), testId: "stat-unique-viewers" },
          { label: "Average watch time", value: formatWatchTime(totals.avgWatchMs), testId: "stat-avg-watch" },
          { label: "Completion rate", value: formatPercent(totals.completionRate), testId: "stat-completion" },
          { label: "Likes", value: formatNumber(totals.likes), testId: "stat-likes" },
          { label: "Comments", value: formatNumber(totals.comments), testId: "stat-comments" },
          { label: "Shares", value: formatNumber(totals.shares), testId: "stat-shares" },
          { label: "Follows", value: formatNumber(totals.follows), testId: "stat-follows" },
        ]}
      />

      <section className="chart-card">
        <h2>Views</h2>
        <ViewsChart points={analytics.daily} />
      </section>
      <div className="chart-row">
        <section className="chart-card" data-testid="retention-chart">
          <h2>Retention</h2>
          <p className="hint">Share of views still watching at each second.</p>
          {analytics.retention.length > 0 ? <RetentionChart points={analytics.retention} /> : <p className="empty">No finished views yet.</p>}
        </section>
        <section className="chart-card" data-testid="sources-chart">
          <h2>Where views came from</h2>
          {analytics.sources.length > 0 ? <SourcesChart sources={analytics.sources} /> : <p className="empty">No views yet.</p>}
        </section>
      </div>
      <section className="chart-card">
        <h2>Engagement</h2>
        <EngagementChart points={analytics.daily} />
      </section>
      <p className="hint">
        Days are UTC. {formatNumber(totals.impressions)} impressions, {formatPercent(totals.skipRate)} skipped, {formatNumber(totals.replays)} replays. Updated{" "}
        {new Date(analytics.generatedAt).toLocaleTimeString()}; refreshes every few seconds.
      </p>
    </div>
  );
}
