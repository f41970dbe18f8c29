"use client";

// The charts, each loaded on demand: recharts arrives as its own chunk after the studio page has rendered (never on
// the server, never on any other page), and a placeholder of the chart's height holds its place meanwhile.
import dynamic from "next/dynamic";

const placeholder = () => <div className="chart-placeholder" aria-busy="true" />;

export const ViewsChart = dynamic(() => import("./charts").then((module) => module.ViewsChart), { ssr: false, loading: placeholder });
export const RetentionChart = dynamic(() => import("./charts").then((module) => module.RetentionChart), { ssr: false, loading: placeholder });
export const SourcesChart = dynamic(() => import("./charts").then((module) => module.SourcesChart), { ssr: false, loading: placeholder });
export const EngagementChart = dynamic(() => import("./charts").then((module) => module.EngagementChart), { ssr: false, loading: placeholder });
export const WatchTimeChart = dynamic(() => import("./charts").then((module) => module.WatchTimeChart), { ssr: false, loading: placeholder });
export const FollowerGrowthChart = dynamic(() => import("./charts").then((module) => module.FollowerGrowthChart), { ssr: false, loading: placeholder });
