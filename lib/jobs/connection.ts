// Redis connections and key names shared by every BullMQ queue and worker.
import type { Redis } from "ioredis";
import { createRedis } from "../redis";

import { getConfig } from "../env";

/** Every queue lives under this prefix (QUEUE_PREFIX), so one Redis can serve several instances side by side. */
export const QUEUE_PREFIX = getConfig().QUEUE_PREFIX;

const globalForQueues = globalThis as unknown as { flickQueueConnection?: Redis };

/** The connection producers (web, CLI) enqueue through; shared because producers never block. */
export function getQueueConnection(): Redis {
  // BullMQ requires maxRetriesPerRequest: null on its connections.
  globalForQueues.flickQueueConnection ??= createRedis({ maxRetriesPerRequest: null });
  return globalForQueues.flickQueueConnection;
}

/** A dedicated connection for one Worker: its blocking reads must not share a socket. */
export function createWorkerConnection(): Redis {
  return createRedis({ maxRetriesPerRequest: null, lazyConnect: false });
}

export async function closeQueueConnection(): Promise<void> {
  const connection = globalForQueues.flickQueueConnection;
  globalForQueues.flickQueueConnection = undefined;
  if (connection) await connection.quit().catch(() => connection.disconnect());
}
