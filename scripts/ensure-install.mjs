// Runs before `npm start` and `npm test`: installs npm dependencies when they are missing or older than the lock
// file, and generates the Prisma client. Plain JavaScript with no dependencies, because it runs before they exist.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  console.error(`Flick needs Node.js 20.12 or newer; this is ${process.version}. Install a current Node.js LTS.`);
  process.exit(1);
}

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...extraEnv } });
  if (result.status !== 0) {
    console.error(`\`${command} ${args.join(" ")}\` failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

const installedMarker = "node_modules/.package-lock.json";
const stale =
  !existsSync(installedMarker) ||
  (existsSync("package-lock.json") && statSync("package-lock.json").mtimeMs > statSync(installedMarker).mtimeMs);
// onnxruntime-node's install step would fetch GPU files from outside the npm registry; the CPU runtime ships inside.
const installEnv = { ONNXRUNTIME_NODE_INSTALL: "skip", ONNXRUNTIME_NODE_INSTALL_CUDA: "skip" };
if (stale) {
  // `npm install` honours package-lock.json; `npm ci` is stricter than the registry allows: some packages list
  // optional platform builds (e.g. msgpackr-extract for macOS) that the registry here does not carry.
  console.log("Installing dependencies (npm install)…");
  run("npm", ["install", "--no-audit", "--no-fund"], installEnv);
} else if (!existsSync("lib/generated/prisma/client.ts")) {
  run("npm", ["run", "postinstall"]);
}
