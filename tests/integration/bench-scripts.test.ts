// The recommender's benchmark scripts, run end to end in their --quick mode, so CI proves they still work: each one
// starts its own instance, seeds it, drives the real API and reports. Only the report's structure is checked (every
// strategy and route reported, every figure a finite number); timings and quality figures are never asserted
// (benchmarks do not gate tests, and a quick run's numbers mean nothing).
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FeedReport } from "@/bench/feed";
import type { RecsReport } from "@/bench/recs";

const scratch = mkdtempSync(path.join(tmpdir(), "flick-bench-test-"));
// Run as root, the embedded PostgreSQL runs as the "postgres" user, which must be able to reach its directory inside.
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A quick run starts PostgreSQL, Redis, `next start` and a worker of its own on a machine the suite already loads.
const RUN_TIMEOUT_MS = 10 * 60_000;

function runScript(script: string, args: string[], reportFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { env: { ...process.env, BENCH_REPORT_JSON: reportFile } });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("benchmark scripts (--quick)", () => {
  it(
    "bench:recs compares random, trending, full, the oracle and the explorer over the real API",
    async () => {
      const reportFile = path.join(scratch, "recs.json");
      const run = await runScript("bench/recs.ts", ["--quick"], reportFile);
      expect(run.code, run.output.slice(-3000)).toBe(0);
      const report = JSON.parse(readFileSync(reportFile, "utf8")) as RecsReport;
      expect(report.strategies.map((entry) => entry.strategy)).toEqual(["random", "trending", "full", "oracle", "explorer"]);
      for (const entry of report.strategies) {
        // Every viewer got a whole session: the feed never ran dry and no request failed for good.
        expect(entry.swipes, entry.strategy).toBe(report.options.viewers * report.options.swipes);
        for (const value of [entry.watchFraction, entry.completionRate, entry.afterColdStart, entry.coverage, entry.gini, entry.coldStart.final, entry.recovery.before]) {
          expect(Number.isFinite(value), `${entry.strategy}: ${JSON.stringify(entry)}`).toBe(true);
        }
        expect(entry.watchFraction).toBeGreaterThan(0);
        expect(entry.watchFraction).toBeLessThanOrEqual(1);
        expect(entry.newVideos.published).toBe(report.options.newVideos);
      }
      expect(report.failures.feed + report.failures.events + report.failures.like).toBe(0);
      // The full system was trained on the warm-up traffic (npm run flick -- recs:train) before it was measured.
      expect(report.training).not.toMatch(/^FAILED/);
      // The printed table and the PASS/MISS lines are there for people.
      expect(run.output).toMatch(/\| full \/ trending, mean watch fraction \| [\d.]+ \| ≥ 1\.5 \| (PASS|MISS) \|/);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "bench:feed seeds a small instance and reports the feed next to the trivial route",
    async () => {
      const reportFile = path.join(scratch, "feed.json");
      const run = await runScript("bench/feed.ts", ["--quick", "--fresh", "--data-dir", path.join(scratch, "feed-instance")], reportFile);
      expect(run.code, run.output.slice(-3000)).toBe(0);
      const report = JSON.parse(readFileSync(reportFile, "utf8")) as FeedReport;
      expect(report.phases.map((phase) => phase.route)).toEqual(["/api/ping", "/api/me", "/api/feed?tab=foryou", "/api/ping (in turn with stored candidates)", "/api/feed?tab=foryou (stored candidates)"]);
      for (const phase of report.phases) {
        expect(phase.requests, phase.route).toBeGreaterThan(0);
        expect(phase.failed, phase.route).toBe(0);
        expect(Number.isFinite(phase.p50) && Number.isFinite(phase.p99), phase.route).toBe(true);
        // What the worker ran meanwhile, read from /proc on Linux: something (its consumers poll), never negative.
        expect(phase.workerCores, phase.route).toBeGreaterThanOrEqual(0);
        // The web process served the phase's requests on its CPU; the rest of the machine (PostgreSQL, Redis) is
        // whatever /proc/stat's busy time leaves, never negative.
        expect(phase.webCores, phase.route).toBeGreaterThan(0);
        expect(phase.otherCores, phase.route).toBeGreaterThanOrEqual(0);
        // …and the web process's event loop and garbage collection, from its own /api/metrics.
        expect(phase.webLoop?.maxDelayMs, phase.route).toBeGreaterThan(0);
        expect(phase.webLoop!.maxDelayMs).toBeGreaterThanOrEqual(phase.webLoop!.p99DelayMs);
        expect(phase.webLoop!.gcShare).toBeGreaterThanOrEqual(0);
      }
      expect(report.seeding.reused).toBe(false);
      // The in-process parts ran against the seeded instance: the ranker on real candidates, candidate refresh.
      if ("missing" in report.ranker) throw new Error(report.ranker.missing);
      expect(report.ranker.candidates).toBeGreaterThan(0);
      expect(Number.isFinite(report.ranker.medianMs)).toBe(true);
      if ("missing" in report.refresh) throw new Error(report.refresh.missing);
      expect(report.refresh.viewers).toBeGreaterThan(0);
      // The worker built the indexes on its schedule during the run, and the report says how long its last build took.
      expect(report.refresh.workerBuildMs).toBeGreaterThan(0);
      expect(Number.isFinite(report.refresh.perViewerMedianMs) && Number.isFinite(report.refresh.allActiveMs)).toBe(true);
      // The seeded viewers marked active were all refreshed (the active set is otherwise fed only by live events).
      expect(report.refresh.activeViewers).toBeGreaterThanOrEqual(report.options.activeViewers);
      expect(run.output).toMatch(/\| feed p99 \/ ping p99 \(viewers with stored candidates\) \| [\d.]+ \| ≤ 3× \| (PASS|MISS) \|/);
      expect(run.output).toMatch(/\| feed p99 \/ ping p99 \(each viewer's first request\) \| [\d.]+ \| ≤ 3× \| (PASS|MISS) \|/);
    },
    RUN_TIMEOUT_MS,
  );
});
