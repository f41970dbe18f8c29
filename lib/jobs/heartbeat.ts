// The worker's heartbeat in Redis, read by /api/health. A worker writes it every HEARTBEAT_INTERVAL_MS; it expires on
// its own so a dead worker shows up as stale without anyone cleaning up.
import { getRedis } from "../redis";

export const HEARTBEAT_KEY = "flick:worker:heartbeat";
export const HEARTBEAT_INTERVAL_MS = 5_000; // often enough that health turns red within seconds of a crash
export const HEARTBEAT_STALE_MS = 30_000; // six missed beats before the worker counts as down (GC pauses, busy CPU)

export type Heartbeat = { at: string; pid: number; host: string; queues: string[] };

export async function writeHeartbeat(beat: Heartbeat): Promise<void> {
  await getRedis().set(HEARTBEAT_KEY, JSON.stringify(beat), "PX", HEARTBEAT_STALE_MS);
}

export async function readHeartbeat(): Promise<Heartbeat | null> {
  const raw = await getRedis().get(HEARTBEAT_KEY);
  return raw ? (JSON.parse(raw) as Heartbeat) : null;
}
