// The learning loop through the real web server: For You is ordered by the ONNX ranker and logs, for every item it
// serves, the feature vector and head predictions it was scored with (what the next training learns from); a model
// promoted in another process (the worker, the CLI) orders the very next requests of the running web server, without
// a restart; rolling back returns them to the previous version; "Refresh your For You" forgets the learned vector.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { FEATURE_COUNT } from "@/lib/recs/features";
import { rollbackRanker, trainRanker, describeTrainResult } from "@/lib/recs/training";
import { refreshIndexes } from "@/lib/recs";
import { HEADS } from "@/lib/recs/types";
import { api } from "../helpers";
import { deleteMade, forYou, makeVideo, person, servePrior, uniqueTag, type Person } from "./recs-helpers";
import { seedServedLog } from "./recs-model-helpers";

async function servedRows(feedRequestId: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await getDb().recServed.findMany({ where: { feedRequestId }, orderBy: { position: "asc" } });
    if (rows.length > 0 || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Asks For You until its rows were scored by `version` (the web server polls the registry every couple of seconds). */
async function servedBy(viewer: Person, version: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  let seen = "";
  while (Date.now() < deadline) {
    const { body } = await forYou(viewer, "&limit=2");
    const rows = await servedRows(body.feedRequestId);
    seen = rows[0]?.modelVersion ?? seen;
    if (seen === version) return seen;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return seen;
}

describe("the learning loop, through the web server", () => {
  let viewer: Person;
  let trained = "";
  let seeded: string[] = [];

  beforeAll(async () => {
    await servePrior();
    const creator = await person();
    viewer = await person();
    const tag = uniqueTag("loop");
    for (let i = 0; i < 30; i += 1) await makeVideo(creator, `Loop clip ${i} #${tag}`);
    // Indexes of this moment: other files delete videos the caches still list, and a page that loses most of its
    // ranked items to that is completed from PostgreSQL without features (lib/recs/serve.ts), which this file checks.
    await refreshIndexes({ slow: false });
  });

  afterAll(async () => {
    await servePrior();
    // The planted served log would count in later files' training runs.
    await getDb().recServed.deleteMany({ where: { videoId: { in: seeded } } });
    await getDb().event.deleteMany({ where: { videoId: { in: seeded } } });
    await getDb().video.deleteMany({ where: { id: { in: seeded } } });
    await deleteMade();
  });

  it("orders For You with the ONNX ranker and logs each item's features and head predictions", async () => {
    const { status, body } = await forYou(viewer, "&limit=4"); // a new viewer's pages are short (SERVING.shortPage)
    expect(status).toBe(200);
    expect(body.items.length).toBe(4);
    const rows = await servedRows(body.feedRequestId);
    expect(rows.map((row) => row.videoId)).toEqual(body.items.map((item) => item.id));
    for (const row of rows) {
      expect(row.modelVersion).toBe("prior");
      expect(row.features).toHaveLength(FEATURE_COUNT);
      expect(row.heads).toHaveLength(HEADS.length);
      expect(row.features.every(Number.isFinite)).toBe(true);
      expect(row.reason.length).toBeGreaterThan(0);
      // Written in UTC like every Prisma DateTime: it reads back as the moment it was served.
      expect(Math.abs(row.servedAt.getTime() - Date.now())).toBeLessThan(60_000);
    }
  });

  it("serves the next requests with a newly promoted model, and with the previous one after a rollback, without a restart", async () => {
    seeded = (await seedServedLog(220, 8, 11)).videoIds;
    const result = await trainRanker({ full: true });
    expect(result.status, result.status === "not_enough_data" ? result.message : describeTrainResult(result)).toBe("promoted");
    if (result.status !== "promoted") return;
    trained = result.version;
    expect(await servedBy(viewer, trained)).toBe(trained);
    const { version } = await rollbackRanker();
    expect(version).toBe("prior");
    expect(await servedBy(viewer, "prior")).toBe("prior");
  });

  it("refreshing For You forgets the learned viewer vector from then on", async () => {
    const response = await api("/api/me/feed/reset", { method: "POST", token: viewer.token });
    expect(response.status).toBeLessThan(300);
    const reset = await getDb().recViewerReset.findUnique({ where: { viewerKey: viewer.viewerKey } });
    expect(reset).not.toBeNull();
    expect(Date.now() - reset!.at.getTime()).toBeLessThan(60_000);
  });
});
