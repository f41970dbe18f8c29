// The worker's database sessions run each statement on one core (lib/db.ts), so its big scans (index builds,
// training) leave the machine's other core to the web; the web's sessions keep PostgreSQL's default.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

function parallelSettings(role: string): Promise<{ plain: string; prisma: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/db-session.ts"], { env: { ...process.env, FLICK_ROLE: role } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(stdout) as { plain: string; prisma: string }) : reject(new Error(`exit ${code}: ${stderr}`))));
  });
}

describe("database sessions by process role", () => {
  it("plan the worker's statements without parallel workers, and leave the web's at PostgreSQL's default", async () => {
    expect(await parallelSettings("worker")).toEqual({ plain: "0", prisma: "0" });
    const web = await parallelSettings("web");
    expect(web.plain).toBe(web.prisma);
    expect(web.plain).not.toBe("0"); // PostgreSQL's default is 2
  });
});
