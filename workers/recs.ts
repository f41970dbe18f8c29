// Worker for the recs queue: the recommender's index builds and candidate refreshes (lib/recs).
import { Worker } from "bullmq";
import { createWorkerConnection, QUEUE_PREFIX } from "@/lib/jobs/connection";
import { recsPayload, RECS_QUEUE, scheduleRecs, type RecsPayload } from "@/lib/jobs/recs";
import { refreshActiveViewers, refreshCandidates, refreshIndexes, refreshIndexesIfDue } from "@/lib/recs";
import { instrument } from "./instrument";

async function runRecsTask(payload: RecsPayload): Promise<unknown> {
  switch (payload.task) {
    case "indexes":
      return refreshIndexesIfDue();
    case "slow-indexes":
      return refreshIndexes({ slow: true });
    case "active-viewers":
      return refreshActiveViewers();
    case "viewer":
      return refreshCandidates(payload.viewerKey);
  }
}

export async function startRecsWorker(): Promise<Worker> {
  await scheduleRecs();
  return instrument(
    new Worker(RECS_QUEUE, (job) => runRecsTask(recsPayload.parse(job.data)), {
      connection: createWorkerConnection(),
      prefix: QUEUE_PREFIX,
      // Two at a time: a viewer's refresh (milliseconds) need not wait behind a slow index build (seconds).
      concurrency: 2,
      lockDuration: 120_000, // a slow build on a large instance takes well under this; renewed while running anyway
    }),
  );
}
