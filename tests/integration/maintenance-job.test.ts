// The maintenance queue, end to end through Redis and the running worker: ended sessions are purged, live ones kept.
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { closeQueueConnection } from "@/lib/jobs/connection";
import { closeMaintenanceQueue, enqueueMaintenance } from "@/lib/jobs/maintenance";
import { signUp } from "../helpers";

describe("maintenance worker", () => {
  afterAll(async () => {
    await closeMaintenanceQueue();
    await closeQueueConnection();
  });

  it("purges sessions that ended over a day ago and keeps the rest", async () => {
    const user = await signUp();
    const day = 86_400_000;
    const [expired, revoked, live] = await Promise.all([
      getDb().session.create({ data: { userId: user.id, expiresAt: new Date(Date.now() - 2 * day) } }),
      getDb().session.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + day), revokedAt: new Date(Date.now() - 2 * day) } }),
      getDb().session.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + day) } }),
    ]);
    await enqueueMaintenance({ task: "purge-sessions" });
    const deadline = Date.now() + 20_000;
    let remaining: string[] = [];
    while (Date.now() < deadline) {
      remaining = (await getDb().session.findMany({ where: { userId: user.id } })).map((session) => session.id);
      if (!remaining.includes(expired.id) && !remaining.includes(revoked.id)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(remaining).toEqual([live.id]);
  });
});
