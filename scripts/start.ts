// `npm start`: the whole instance in one command. Brings up PostgreSQL/Redis (embedded when not configured), applies
// migrations, builds the web app if needed, then runs the web and worker roles side by side. If one role dies the other
// is stopped and the exit reported; Ctrl-C (or SIGTERM) stops everything, private servers included.
import { spawn, type ChildProcess } from "node:child_process";
import { ensureBuild } from "./build";
import { describeStartupError, prepareInstance, type Instance } from "./instance";
import { waitFor, withNodeTuning } from "./local-services";

const dev = process.argv.includes("--dev");
const STOP_GRACE_MS = 30_000; // the worker's own shutdown grace is 25 s; give it that before killing

type Role = { name: "web" | "worker"; child: ChildProcess; exited: Promise<number> };

function log(line: string): void {
  process.stdout.write(`[flick] ${line}\n`);
}

function startRole(name: Role["name"], args: string[], env: NodeJS.ProcessEnv): Role {
  const child = spawn(process.execPath, args, { stdio: "inherit", env: { ...withNodeTuning(env), FLICK_ROLE: name } });
  const exited = new Promise<number>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  return { name, child, exited };
}

async function stopRole(role: Role): Promise<void> {
  if (role.child.exitCode !== null || role.child.signalCode !== null) return;
  role.child.kill("SIGTERM");
  const timer = setTimeout(() => role.child.kill("SIGKILL"), STOP_GRACE_MS);
  await role.exited;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  let instance: Instance;
  try {
    instance = await prepareInstance({ redis: true, binaries: ["ffmpeg", "ffprobe"], log });
    if (!dev) ensureBuild(log);
  } catch (error) {
    process.stderr.write(`[flick] ${describeStartupError(error)}\n`);
    process.exit(1);
  }
  const { config, env } = instance;
  const nextBin = "node_modules/next/dist/bin/next";
  const web = startRole("web", [nextBin, dev ? "dev" : "start", "-p", String(config.PORT), "-H", config.HOST], {
    ...env,
    NEXTAUTH_URL: config.PUBLIC_URL,
    NEXT_TELEMETRY_DISABLED: "1",
  });
  const worker = startRole("worker", ["--import", "tsx", "workers/index.ts"], env);
  const roles = [web, worker];

  let shuttingDown = false;
  const shutdown = async (reason: string, code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(reason);
    await Promise.all(roles.map(stopRole));
    await instance.stop();
    log("stopped.");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown("Ctrl-C received; stopping…", 0));
  process.on("SIGTERM", () => void shutdown("SIGTERM received; stopping…", 0));
  for (const role of roles) {
    void role.exited.then((code) => shutdown(`${role.name} exited with code ${code}; stopping the rest.`, code === 0 ? 1 : code));
  }

  const localUrl = `http://localhost:${config.PORT}`;
  await waitFor("the web server", async () => (await fetch(`${localUrl}/api/health`)).status < 500, 120_000).catch(() => undefined);
  if (!shuttingDown) log(`Flick is running at ${config.PUBLIC_URL}${config.PUBLIC_URL === localUrl ? "" : ` (locally ${localUrl})`}`);
}

void main();
