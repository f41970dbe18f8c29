// The run loop every event consumer shares: call `step` until it reports nothing to do, then sleep a little; back
// off after an error (logged) and carry on. Consumers that must run once per instance (the stream relay, the
// analytics fold) first become leader by taking a session-level advisory lock on a connection of their own: another
// worker waits, and takes over within seconds if the leader dies (its connection closes, the lock goes with it).
import type pg from "pg";
import { getLogger } from "../logger";
import { connectEventsSession } from "./pg";

export type ConsumerLoop = { name: string; stop: () => Promise<void> };

type LoopOptions<C> = {
  name: string;
  /** Sleep after a step that found nothing (the consumer's latency when idle). */
  idleMs: number;
  /** Sleep after a failed step. */
  errorMs: number;
  /** Does one batch; returns how many items it handled. */
  step: (context: C) => Promise<number>;
};

// How often a follower asks whether the leader is gone.
const LEADER_RETRY_MS = 5_000;

class Sleeper {
  private wake: (() => void) | null = null;
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  interrupt(): void {
    this.wake?.();
  }
}

/** Runs `step` over and over until stopped. */
export function startLoop(options: LoopOptions<void>): ConsumerLoop {
  const log = getLogger().child({ consumer: options.name });
  const sleeper = new Sleeper();
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      try {
        const handled = await options.step();
        if (handled === 0 && !stopped) await sleeper.sleep(options.idleMs);
      } catch (error) {
        log.warn({ err: error }, "event consumer step failed; retrying");
        if (!stopped) await sleeper.sleep(options.errorMs);
      }
    }
  })();
  return {
    name: options.name,
    stop: async () => {
      stopped = true;
      sleeper.interrupt();
      await running;
    },
  };
}

/** Like startLoop, but only while this process holds the consumer's advisory lock, on a connection of its own. */
export function startLeaderLoop(options: LoopOptions<pg.Client>): ConsumerLoop {
  const log = getLogger().child({ consumer: options.name });
  const sleeper = new Sleeper();
  let stopped = false;
  let client: pg.Client | null = null;
  let leading = false;
  const dropConnection = async () => {
    const old = client;
    client = null;
    leading = false;
    await old?.end().catch(() => undefined);
  };
  const running = (async () => {
    while (!stopped) {
      try {
        client ??= await connectEventsSession();
        if (!leading) {
          const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS locked", [`flick:events:${options.name}`]);
          leading = rows[0]?.locked === true;
          if (!leading) {
            await sleeper.sleep(LEADER_RETRY_MS);
            continue;
          }
          log.info("event consumer leading");
        }
        const handled = await options.step(client);
        if (handled === 0 && !stopped) await sleeper.sleep(options.idleMs);
      } catch (error) {
        log.warn({ err: error }, "event consumer step failed; retrying");
        // A broken connection loses the lock with it; start over with a new one. Other failures (Redis for the relay)
        // keep the connection and the lead.
        const alive = await client?.query("SELECT 1").then(() => true, () => false);
        if (!alive) await dropConnection();
        if (!stopped) await sleeper.sleep(options.errorMs);
      }
    }
    await dropConnection();
  })();
  return {
    name: options.name,
    stop: async () => {
      stopped = true;
      sleeper.interrupt();
      await running;
    },
  };
}
