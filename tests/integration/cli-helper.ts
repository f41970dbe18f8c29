// The admin CLI (`npm run flick -- …`) as a self-hoster runs it, against the test instance; and any project script
// run the same way in a process of its own.
import { spawn } from "node:child_process";

export type ScriptRun = { code: number | null; stdout: string; stderr: string };

/**
 * Runs a TypeScript script of the project in a Node process of its own, without blocking this process: a synchronous
 * spawn froze the event loop for seconds, long enough for the server to close an idle keep-alive connection
 * unnoticed, and the next fetch then failed on that dead socket.
 */
export function runScript(script: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function flick(...args: string[]): Promise<ScriptRun> {
  return runScript("scripts/flick.ts", args);
}
