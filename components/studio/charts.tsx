"use client";

// The studio's charts (recharts). This module is only ever loaded through next/dynamic (components/studio/lazy-charts),
// so the charting library is a chunk of its own that studio pages fetch after they render, and no other page pays
// for it.
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DailyPoint, VideoAnalytics } from "@/lib/analytics/types";
import { formatDay, formatNumber, formatPercent, formatWatchTime, SOURCE_LABELS } from "./format";

const HEIGHT = 240;
const ACCENT = "#fe2c55";
const ACCENT_2 = "#25f4ee";
const MUTED = "#9a9aab";
const GRID = "#2a2a35";
const SERIES = ["#fe2c55", "#25f4ee", "#f7c948", "#8e7dff"];
const tooltipStyle = { background: "#16161d", border: "1px solid #2a2a35", borderRadius: 8, color: "#f2f2f5" };
const axis = { stroke: MUTED, fontSize: 12, tickLine: false } as const;

export function ViewsChart({ points }: { points: Array<{ day: string; views: number; uniqueViewers?: number }> }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <AreaChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="day" tickFormatter={formatDay} {...axis} minTickGap={24} />
        <YAxis allowDecimals={false} {...axis} width={44} />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(day) => formatDay(String(day))} formatter={(value) => formatNumber(Number(value))} />
        <Legend />
        <Area type="monotone" dataKey="views" name="Views" stroke={ACCENT} fill={ACCENT} fillOpacity={0.2} isAnimationActive={false} />
        {points.some((point) => point.uniqueViewers !== undefined) && (
          <Area type="monotone" dataKey="uniqueViewers" name="Unique viewers" stroke={ACCENT_2} fill={ACCENT_2} fillOpacity={0.1} isAnimationActive={false} />
        )}
      </AreaChart>
    </ResponsiveContainer>
  );
}

export function RetentionChart({ points }: { points: VideoAnalytics["retention"] }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="second" tickFormatter={(second) => `${second}s`} {...axis} minTickGap={16} />
        <YAxis domain={[0, 1]} tickFormatter={(share) => formatPercent(Number(share))} {...axis} width={48} />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(second) => `At ${second} s`} formatter={(share) => [formatPercent(Number(share)), "Still watching"]} />
        <Line type="stepAfter" dataKey="share" stroke={ACCENT_2} strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

export function SourcesChart({ sources }: { sources: VideoAnalytics["sources"] }) {
  const data = sources.map((entry) => ({ ...entry, label: SOURCE_LABELS[entry.source] ?? entry.source }));
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, data.length * 36 + 24)}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke={GRID} horizontal={false} />
        <XAxis type="number" allowDecimals={false} {...axis} />
        <YAxis type="category" dataKey="label" {...axis} width={96} />
        <Tooltip contentStyle={tooltipStyle} formatter={(views, _name, item) => [`${formatNumber(Number(views))} (${formatPercent((item.payload as { share: number }).share)})`, "Views"]} />
        <Bar dataKey="views" fill={ACCENT} radius={[0, 4, 4, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function EngagementChart({ points }: { points: DailyPoint[] }) {
  const series: Array<[keyof DailyPoint, string]> = [["likes", "Likes"], ["comments", "Comments"], ["shares", "Shares"], ["follows", "Follows"]];
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="day" tickFormatter={formatDay} {...axis} minTickGap={24} />
        <YAxis allowDecimals={false} {...axis} width={44} />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(day) => formatDay(String(day))} />
        <Legend />
        {series.map(([key, name], index) => (
          <Bar key={key} dataKey={key} name={name} stackId="engagement" fill={SERIES[index]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function WatchTimeChart({ points }: { points: Array<{ day: string; watchMs: number }> }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="day" tickFormatter={formatDay} {...axis} minTickGap={24} />
        <YAxis tickFormatter={(ms) => formatWatchTime(Number(ms))} {...axis} width={64} />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(day) => formatDay(String(day))} formatter={(ms) => [formatWatchTime(Number(ms)), "Watch time"]} />
        <Bar dataKey="watchMs" fill={ACCENT_2} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function FollowerGrowthChart({ points }: { points: Array<{ day: string; gained: number; total: number }> }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="day" tickFormatter={formatDay} {...axis} minTickGap={24} />
        <YAxis allowDecimals={false} {...axis} width={44} />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(day) => formatDay(String(day))} />
        <Legend />
        <Line type="monotone" dataKey="total" name="Followers" stroke={ACCENT} strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="gained" name="Gained that day" stroke={ACCENT_2} strokeWidth={1} dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
