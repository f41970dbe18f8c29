// A signed-out browser signing in: its anonymous device id (flick_device) is linked to the account, so its events
// can be joined to the account later, and its real-time state and For You history are folded into the account's.
import { getDb } from "../db";
import { mergeSeen } from "../feed";
import { getLogger } from "../logger";
import { getRedis } from "../redis";
import { mergeUserState } from "./user-state";

/** Links the device to the account and merges its state; Redis trouble is logged, never a failed sign-in. */
export async function linkDeviceToUser(deviceId: string, userId: string): Promise<void> {
  await getDb().deviceLink.upsert({
    where: { deviceId },
    create: { deviceId, userId },
    update: { userId, linkedAt: new Date() },
  });
  try {
    await mergeUserState(getRedis(), `d:${deviceId}`, `u:${userId}`);
    await mergeSeen(`d:${deviceId}`, `u:${userId}`);
  } catch (error) {
    getLogger().warn({ err: error, userId, deviceId }, "events: device state not merged into the account");
  }
}
