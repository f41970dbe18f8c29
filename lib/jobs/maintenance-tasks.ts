// What each maintenance task does. Runs in the worker only.
import { deleteEndedSessions } from "../auth/sessions";
import { seedDemoContent } from "../demo/seed";
import { purgeAbandonedUploads } from "../uploads/server";
import { requeueStalledVideos } from "../videos/service";
import { maintenancePayload } from "./maintenance";

const ABANDONED_UPLOAD_MS = 24 * 60 * 60 * 1000; // a day to finish (and publish) an upload, resumptions included
const STALLED_VIDEO_MS = 5 * 60 * 1000; // no progress written for 5 minutes while "processing" means no job runs it

export async function runMaintenanceTask(data: unknown): Promise<{ task: string; removed?: number; requeued?: number }> {
  const payload = maintenancePayload.parse(data);
  switch (payload.task) {
    case "purge-sessions":
      return { task: payload.task, removed: await deleteEndedSessions() };
    case "purge-uploads":
      return { task: payload.task, removed: await purgeAbandonedUploads(ABANDONED_UPLOAD_MS) };
    case "seed-demo":
      return { task: payload.task, requeued: await seedDemoContent() };
    case "requeue-videos":
      return { task: payload.task, requeued: await requeueStalledVideos(STALLED_VIDEO_MS) };
  }
}
