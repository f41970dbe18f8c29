// Worker for the transcode queue.
import { Worker } from "bullmq";
import { getConfig } from "@/lib/env";
import { createWorkerConnection, QUEUE_PREFIX } from "@/lib/jobs/connection";
import { TRANSCODE_QUEUE, transcodePayload } from "@/lib/jobs/transcode";
import { processTranscodeJob } from "@/lib/videos/pipeline";
import { instrument } from "./instrument";

export function startTranscodeWorker(): Worker {
  return instrument(
    new Worker(
      TRANSCODE_QUEUE,
      (job) =>
        processTranscodeJob(transcodePayload.parse(job.data), {
          attemptsMade: job.attemptsMade,
          attemptsStarted: job.attemptsStarted,
          updateProgress: (progress) => job.updateProgress(progress),
        }),
      {
        connection: createWorkerConnection(),
        prefix: QUEUE_PREFIX,
        // ffmpeg already uses every core for one video; more at once only adds memory pressure.
        concurrency: getConfig().TRANSCODE_CONCURRENCY,
        // The lock is renewed every lockDuration/2 while ffmpeg runs; a SIGKILLed worker's job is taken over once its
        // lock lapses, so a crash delays a video by at most ~30 s plus the stalled check below.
        lockDuration: 30_000,
        stalledInterval: 15_000,
        // A job that stalls twice (killed twice mid-run) is failed rather than retried forever.
        maxStalledCount: 2,
      },
    ),
  );
}
