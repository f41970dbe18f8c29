// `npm start`'s launcher: refuses to start with a clear line when something is missing or wrong, supervises web and
// worker (one dies → the other is stopped and the exit reported) and stops everything on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findFreePort, findOnPath, isPortOpen } from "../../scripts/local-services";

async function launcherEnv(): Promise<NodeJS.ProcessEnv> {
  return {
    ...process.env,
    PORT: String(await findFreePort()),
    WORKER_METRICS_PORT: String(await findFreePort()),
    PUBLIC_URL: "",
    NEXTAUTH_URL: "",
  };
}

function children(pid: number): number[] {
  const result = spawnSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" });
  return result.stdout.split("\n").map((line) => Number(line.trim())).filter(Boolean);
}

function commandOf(pid: number): string {
  return spawnSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim();
}

async function startLauncher(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  while (!output.includes("Flick is running at") && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!output.includes("Flick is running at")) throw new Error(`launcher did not come up:\n${output}`);
  return { child, output: () => output, exited };
}

describe("npm start launcher", () => {
  it("stops with one clear line when ffmpeg is missing", () => {
    const bin = mkdtempSync(path.join(tmpdir(), "flick-path-"));
    symlinkSync(findOnPath("redis-server")!, path.join(bin, "redis-server"));
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: { ...process.env, PATH: bin },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("ffmpeg not found on PATH: install ffmpeg");
    expect(run.stderr).toContain("ffprobe not found on PATH");
  });

  it("stops with a message naming a wrong configuration key", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: { ...process.env, PORT: "eighty", LOG_LEVEL: "loud" },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/PORT/);
    expect(run.stderr).toMatch(/LOG_LEVEL/);
  });

  it("serves, and when the worker dies stops the web server and reports it", async () => {
    const env = await launcherEnv();
    const launcher = await startLauncher(env);
    const health = await fetch(`http://127.0.0.1:${env.PORT}/api/health`);
    expect(health.status).toBeLessThan(500);
    const worker = children(launcher.child.pid!).find((pid) => commandOf(pid).includes("workers/index.ts"));
    expect(worker).toBeDefined();
    process.kill(worker!, "SIGKILL");
    const code = await launcher.exited;
    expect(code).not.toBe(0);
    expect(launcher.output()).toMatch(/worker exited with code \d+; stopping the rest/);
    expect(await isPortOpen(Number(env.PORT))).toBe(false);
  });

  it("stops everything cleanly on Ctrl-C", async () => {
    const env = await launcherEnv();
    const launcher = await startLauncher(env);
    const roles = children(launcher.child.pid!);
    expect(roles.length).toBeGreaterThanOrEqual(2);
    launcher.child.kill("SIGINT");
    const code = await launcher.exited;
    expect(code, launcher.output()).toBe(0);
    expect(launcher.output()).toContain("stopped.");
    for (const pid of roles) expect(spawnSync("kill", ["-0", String(pid)]).status).not.toBe(0);
    expect(await isPortOpen(Number(env.PORT))).toBe(false);
  });
});
