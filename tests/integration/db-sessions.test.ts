// The worker's database sessions run each statement on one core (lib/db.ts), so its big scans (index builds,
// training) leave the machine's other core to the web; the web's sessions keep PostgreSQL's default.
import { describe, expect, it } from "vitest";
import { runScript } from "./cli-helper";

async function parallelSettings(role: string): Promise<{ plain: string; prisma: string }> {
  const run = await runScript("tests/fixtures/db-session.ts", [], { ...process.env, FLICK_ROLE: role });
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as { plain: string; prisma: string };
}

describe("database sessions by process role", () => {
  it("plan the worker's statements without parallel workers, and leave the web's at PostgreSQL's default", async () => {
    expect(await parallelSettings("worker")).toEqual({ plain: "0", prisma: "0" });
    const web = await parallelSettings("web");
    expect(web.plain).toBe(web.prisma);
    expect(web.plain).not.toBe("0"); // PostgreSQL's default is 2
  });
});
