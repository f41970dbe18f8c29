// The admin CLI (`npm run flick -- …`) as a self-hoster runs it, against the test instance.
import { spawn } from "node:child_process";

/**
 * Runs the CLI without blocking this process: a synchronous spawn froze the event loop for seconds, long enough for
 * the server to close an idle keep-alive connection unnoticed, and the next fetch then failed on that dead socket.
 */
export function flick(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/flick.ts", ...args], { env: process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
