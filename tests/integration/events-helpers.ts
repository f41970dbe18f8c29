// Sending viewer signals to the test instance as the player does, and waiting for what the worker derives from them.
import { uuidv7 } from "@/lib/events/uuid7";
import type { EventInput } from "@/lib/events/types";
import { api, freshIp } from "../helpers";

export type Sender = { token?: string; cookie?: string; ip?: string };

/** An event the way the player makes one: a fresh UUIDv7, now, from For You unless told otherwise. */
export function makeEvent(type: EventInput["type"], videoId: string, fields: Partial<EventInput> = {}): EventInput {
  return { id: uuidv7(), type, videoId, at: new Date().toISOString(), source: "foryou", ...fields };
}

/** POST /api/events; remembers the device cookie a signed-out sender is given, as a browser would. */
export async function postEvents(sender: Sender, events: unknown[]) {
  sender.ip ??= freshIp();
  const response = await api("/api/events", {
    method: "POST",
    body: { events },
    token: sender.token,
    ip: sender.ip,
    headers: sender.cookie ? { cookie: sender.cookie } : {},
  });
  const set = response.headers.get("set-cookie");
  if (set?.startsWith("flick_device=")) sender.cookie = set.split(";")[0];
  return response;
}

/** The device id in a sender's cookie. */
export function deviceOf(sender: Sender): string {
  const match = /flick_device=([0-9a-f-]{36})/.exec(sender.cookie ?? "");
  if (!match?.[1]) throw new Error("this sender has no device cookie yet");
  return match[1];
}

/** Polls `read` until `done` holds (or throws with the last value after `timeoutMs`). */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    last = await read();
  }
  return last;
}
