// "Refresh your For You" (settings): forgets what the recommender learned about a viewer and what it served them, so
// For You starts over as for a newcomer. Clears the seen set, the real-time user state (flick:user:{viewer}:*), the
// stored candidates and the refresh bookkeeping. "Not interested" choices, blocks, mutes and follows stay: those are
// the viewer's explicit decisions, not something the feed learned.
import type { UserStatePart } from "../events/user-state";
import { userStateKey } from "../events/user-state";
import { seenKey } from "../feed/seen";
import { getRedis } from "../redis";
import { KEYS } from "./config";

const USER_STATE_PARTS: UserStatePart[] = ["watches", "skips", "likes", "tags", "creators", "counts"];

/**
 * More learned state to forget, registered at merge. The lead adds the MODEL helper's learned viewer vector here
 * (e.g. `(viewerKey) => clearViewerVector(viewerKey)`), so one reset clears everything the recommender knows.
 */
export const RESET_HOOKS: Array<(viewerKey: string) => Promise<void>> = [];

export async function resetForYou(viewerKey: string): Promise<void> {
  await getRedis()
    .multi()
    .del(seenKey(viewerKey), KEYS.candidates(viewerKey), ...USER_STATE_PARTS.map((part) => userStateKey(viewerKey, part)))
    .hdel(KEYS.pendingEvents, viewerKey)
    .zrem(KEYS.active, viewerKey)
    .exec();
  for (const hook of RESET_HOOKS) await hook(viewerKey);
}
