// The real-time consumer: reads the event stream as the consumer group "user-state" and keeps each viewer's
// short-term state (lib/events/user-state.ts) up to date. A consumer group lets any number of workers share the
// stream, and entries stay pending until acknowledged: a worker that dies mid-batch leaves them for another one to
// claim. Delivery is at least once; applying is once per event (lib/events/user-state.ts keeps the applied ids).
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { EVENT_STREAM, fromStreamEntry, type StreamEvent } from "./stream";
import { applyToUserState } from "./user-state";
import { getVideoFacts } from "./videos";

export const USER_STATE_GROUP = "user-state";
// Entries per read: one pipelined Redis round trip applies them all.
const READ_COUNT = 500;
// A blocking read returns as soon as entries arrive; the timeout only bounds how long stop() waits.
const BLOCK_MS = 1_000;
// Entries another consumer took but has not acknowledged for this long are taken over (that worker is gone).
const CLAIM_IDLE_MS = 30_000;
// How often to look for such entries.
const CLAIM_EVERY_MS = 15_000;

type Entry = [id: string, fields: string[]];

function isMissingGroup(error: unknown): boolean {
  return error instanceof Error && /NOGROUP/.test(error.message);
}

/** Creates the group at the start of the stream (and the stream) unless it exists. */
export async function ensureUserStateGroup(redis: Redis): Promise<void> {
  try {
    await redis.xgroup("CREATE", EVENT_STREAM, USER_STATE_GROUP, "0", "MKSTREAM");
  } catch (error) {
    if (!(error instanceof Error && /BUSYGROUP/.test(error.message))) throw error;
  }
}

export class UserStateConsumer {
  private readonly consumer = `${hostname()}:${process.pid}`;
  private groupReady = false;
  private pendingChecked = false;
  private lastClaim = 0;

  /**
   * `onApplied` hears every applied batch (the recommender counts each viewer's new events there and queues a rebuild of
   * their candidates); its failure is logged by the loop like the consumer's own and the batch is still acknowledged.
   */
  constructor(
    private readonly redis: Redis,
    private readonly onApplied?: (events: StreamEvent[]) => Promise<void>,
  ) {}

  /** Reads and applies one batch; returns how many entries it handled. */
  async step(): Promise<number> {
    // Not connected (yet, or any more): nothing to read; the loop comes back in a moment. Whatever was read but not
    // acknowledged before the connection went (a batch cut short) is read again first once it is back.
    if (this.redis.status !== "ready") {
      this.pendingChecked = false;
      return 0;
    }
    try {
      if (!this.groupReady) {
        await ensureUserStateGroup(this.redis);
        this.groupReady = true;
      }
      const entries = await this.nextEntries();
      if (entries.length === 0) return 0;
      await this.apply(entries);
      return entries.length;
    } catch (error) {
      // Redis lost its data (a restart without persistence): start the group again; the relay refills the stream.
      if (isMissingGroup(error)) {
        await ensureUserStateGroup(this.redis);
        return 0;
      }
      this.pendingChecked = false;
      throw error;
    }
  }

  private async nextEntries(): Promise<Entry[]> {
    // After a restart, first what this consumer had read but not acknowledged.
    if (!this.pendingChecked) {
      const pending = await this.read("0", false);
      if (pending.length > 0) return pending;
      this.pendingChecked = true;
    }
    if (Date.now() - this.lastClaim > CLAIM_EVERY_MS) {
      this.lastClaim = Date.now();
      const [, claimed] = (await this.redis.xautoclaim(EVENT_STREAM, USER_STATE_GROUP, this.consumer, CLAIM_IDLE_MS, "0-0", "COUNT", READ_COUNT)) as [string, Entry[]];
      const live = claimed.filter((entry): entry is Entry => Array.isArray(entry?.[1]));
      if (live.length > 0) return live;
    }
    return this.read(">", true);
  }

  private async read(from: "0" | ">", block: boolean): Promise<Entry[]> {
    const args: Array<string | number> = ["GROUP", USER_STATE_GROUP, this.consumer, "COUNT", READ_COUNT];
    if (block) args.push("BLOCK", BLOCK_MS);
    const reply = (await this.redis.call("XREADGROUP", ...args, "STREAMS", EVENT_STREAM, from)) as Array<[string, Entry[]]> | null;
    // Pending entries trimmed from the stream come back without fields: nothing to apply, only to acknowledge.
    return reply?.[0]?.[1] ?? [];
  }

  private async apply(entries: Entry[]): Promise<void> {
    const events = entries.map(([id, fields]) => fromStreamEntry(id, fields)).filter((event): event is StreamEvent => event !== null);
    const videos = await getVideoFacts(events.map((event) => event.videoId));
    await applyToUserState(this.redis, events, videos);
    await this.redis.xack(EVENT_STREAM, USER_STATE_GROUP, ...entries.map(([id]) => id));
    if (this.onApplied) await this.onApplied(events);
  }
}
