// Builds the Next.js app when its sources changed since the last build, so `npm start` and `npm test` never serve a
// stale or missing build and never rebuild needlessly.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "public", "next.config.ts", "tsconfig.json", "package-lock.json", "postcss.config.mjs"];
const MARKER = ".next/flick-source-fingerprint";

function collect(entry: string, out: string[]): void {
  if (!existsSync(entry)) return;
  const stat = statSync(entry);
  if (stat.isDirectory()) {
    for (const child of readdirSync(entry).sort()) collect(path.join(entry, child), out);
  } else {
    out.push(`${entry}:${stat.size}:${Math.floor(stat.mtimeMs)}`);
  }
}

export function sourceFingerprint(): string {
  const files: string[] = [];
  for (const source of SOURCES) collect(source, files);
  return createHash("sha256").update(files.join("\n")).digest("hex");
}

export function isBuildCurrent(): boolean {
  return existsSync(".next/BUILD_ID") && existsSync(MARKER) && readFileSync(MARKER, "utf8") === sourceFingerprint();
}

/** Runs `next build` if needed; throws when the build fails. */
export function ensureBuild(log: (line: string) => void): void {
  if (isBuildCurrent()) return;
  log("Building the web app (next build); this takes a minute the first time…");
  const fingerprint = sourceFingerprint();
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: ["ignore", "inherit", "inherit"],
    // Building needs no running instance: configuration is read on first use, at run time.
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status}).`);
  writeFileSync(MARKER, fingerprint);
}
