import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "tests/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    // One file at a time: the suite shares one PostgreSQL, Redis, web server and worker, and the machine has 2 cores.
    fileParallelism: false,
    // Real services and a real browser: a step can take seconds (argon2 hashing, first page compile, Chromium start).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./tests/summary-reporter.ts"],
  },
});
