// `npm test`: checks the binaries the suite needs, builds the web app if its sources changed, then runs Vitest (unit,
// integration against real PostgreSQL/Redis, and browser tests in Chromium). Ends with Vitest's summary and one line
// "Tests: N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { ensureBuild } from "./build";
import { findOnPath, requireBinaries, SetupError } from "./local-services";

function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  const found = configured ?? findOnPath("chromium") ?? findOnPath("chromium-browser") ?? "/usr/bin/chromium";
  if (!existsSync(found)) {
    throw new SetupError("chromium not found: install Chromium for the browser tests (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH.");
  }
  return found;
}

try {
  requireBinaries(["ffmpeg", "ffprobe", ...(process.env.REDIS_URL ? [] : ["redis-server"])]);
  process.env.CHROMIUM_PATH = chromiumPath();
  ensureBuild((line) => process.stdout.write(`[test] ${line}\n`));
} catch (error) {
  process.stderr.write(`[test] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const result = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
