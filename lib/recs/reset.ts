// "Refresh your For You" (settings): forgets what the recommender learned about a viewer and what it served them, so
// For You starts over as for a newcomer. Clears the seen set, the real-time user state (flick:user:{viewer}:*), the
// stored candidates and the refresh bookkeeping, and the learned viewer vector stops counting (lib/recs/embeddings.ts).
// "Not interested" choices, blocks, mutes and follows stay: those are the viewer's explicit decisions, not something
// the feed learned.
import type { UserStatePart } from "../events/user-state";
import { userStateKey } from "../events/user-state";
import { seenKey } from "../feed/seen";
import { getRedis } from "../redis";
import { KEYS } from "./config";
import { forgetViewerVector } from "./embeddings";

const USER_STATE_PARTS: UserStatePart[] = ["watches", "skips", "likes", "tags", "creators", "counts"];

export async function resetForYou(viewerKey: string): Promise<void> {
  await getRedis()
    .multi()
    .del(seenKey(viewerKey), KEYS.candidates(viewerKey), ...USER_STATE_PARTS.map((part) => userStateKey(viewerKey, part)))
    .hdel(KEYS.pendingEvents, viewerKey)
    .zrem(KEYS.active, viewerKey)
    .exec();
  await forgetViewerVector(viewerKey);
}
