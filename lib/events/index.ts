// Viewer signals: ingestion into PostgreSQL (the source of truth), the Redis stream fed from it, and each viewer's
// real-time state. The public face of lib/events; see ARCHITECTURE.md, "Events data flow".
import { getRedis } from "../redis";
import { readUserState, type UserState } from "./user-state";

export { ingestEvents, type EventViewer } from "./ingest";
export { viewerKeyOf } from "./viewer";
export { linkDeviceToUser } from "./devices";
export { EVENT_STREAM, fromStreamEntry, relayEvents, type StreamEvent } from "./stream";
export { UserStateConsumer, ensureUserStateGroup, USER_STATE_GROUP } from "./realtime";
export { startLoop, startLeaderLoop, type ConsumerLoop } from "./loop";
export { closeEventsPool } from "./pg";
export { emptyUserState, type UserState } from "./user-state";
export * from "./types";

/**
 * A viewer's short-term state, for the recommender: recent watches, skips and likes, and time-decayed hashtag and
 * creator affinities (decayed to now, strongest first). `viewerKey` is "u:<userId>" or "d:<deviceId>" (viewerKeyOf).
 * Shape and key layout: lib/events/user-state.ts. Throws when Redis is unreachable.
 */
export function getUserState(viewerKey: string): Promise<UserState> {
  return readUserState(getRedis(), viewerKey);
}
