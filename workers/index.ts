// The worker role: starts one BullMQ Worker per queue, beats a heartbeat into Redis for /api/health, serves its own
// Prometheus metrics, and on SIGTERM/SIGINT lets running jobs finish before it exits.
process.env.FLICK_ROLE ??= "worker";

import { createServer } from "node:http";
import { hostname } from "node:os";
import type { Worker } from "bullmq";
import { closeDb } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { closeQueueConnection } from "@/lib/jobs/connection";
import { HEARTBEAT_INTERVAL_MS, writeHeartbeat } from "@/lib/jobs/heartbeat";
import { closeMaintenanceQueue, enqueueMaintenance } from "@/lib/jobs/maintenance";
import { getLogger } from "@/lib/logger";
import { getMetrics } from "@/lib/metrics";
import { closeRedis } from "@/lib/redis";
import { closeFeaturesQueue } from "@/lib/jobs/features";
import { closeTranscodeQueue } from "@/lib/jobs/transcode";
import { closeRecsQueue } from "@/lib/jobs/recs";
import { startEventConsumers } from "./events";
import { startFeaturesWorker } from "./features";
import { startMaintenanceWorker } from "./maintenance";
import { startRecsWorker } from "./recs";
import { startTranscodeWorker } from "./transcode";
import { closeRecsTrainQueue } from "@/lib/jobs/recs-train";
import { startRecsTrainWorker } from "./recs-train";

const SHUTDOWN_GRACE_MS = 25_000; // under the 30 s stop grace the launcher and docker-compose give, so jobs close cleanly first

async function main(): Promise<void> {
  const config = getConfig();
  const log = getLogger();
  const workers: Worker[] = [await startMaintenanceWorker(), startTranscodeWorker(), startFeaturesWorker(), await startRecsWorker(), await startRecsTrainWorker()];
  const eventConsumers = startEventConsumers();
  const queues = [...workers.map((worker) => worker.name), ...eventConsumers.names];

  const beat = () =>
    writeHeartbeat({ at: new Date().toISOString(), pid: process.pid, host: hostname(), queues }).catch((error) =>
      log.warn({ err: error }, "heartbeat not written"),
    );
  await beat();
  // First-run demo content, once per instance (the task itself checks and records that it ran).
  if (config.SEED_DEMO) await enqueueMaintenance({ task: "seed-demo" }).catch((error) => log.warn({ err: error }, "demo content not queued"));
  const heartbeatTimer = setInterval(beat, HEARTBEAT_INTERVAL_MS);

  const metricsServer = createServer(async (request, response) => {
    if (request.url !== "/metrics") {
      response.writeHead(404).end("not found\n");
      return;
    }
    const { registry } = getMetrics();
    response.writeHead(200, { "content-type": registry.contentType }).end(await registry.metrics());
  });
  metricsServer.listen(config.WORKER_METRICS_PORT);
  log.info({ queues, metricsPort: config.WORKER_METRICS_PORT }, "worker started");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker stopping");
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    clearInterval(heartbeatTimer);
    metricsServer.close();
    await Promise.all([...workers.map((worker) => worker.close()), eventConsumers.stop()]);
    await Promise.all([closeMaintenanceQueue(), closeTranscodeQueue(), closeFeaturesQueue(), closeRecsQueue(), closeRecsTrainQueue()]);
    await Promise.all([closeQueueConnection(), closeRedis(), closeDb()]);
    clearTimeout(force);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  getLogger().fatal({ err: error }, "worker failed to start");
  process.exit(1);
});
