// Shared setup of the recommender's serving tests: people with tokens, processed-looking videos with linked hashtags,
// For You pages, and the index build the worker runs on its schedule (called directly so a test need not wait).
import { randomBytes } from "node:crypto";
import { getDb } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { api, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";
import { createVideoRow } from "./video-rows";

export type Person = { id: string; handle: string; token: string; viewerKey: string };

export async function person(role: Role = "USER"): Promise<Person> {
  const account = await signUp();
  await getDb().user.update({ where: { id: account.id }, data: { role } });
  return { id: account.id, handle: account.handle, token: await createTokenFor(account.handle), viewerKey: `u:${account.id}` };
}

/** A tag name of its own per test run, so other tests' videos never share it. */
export function uniqueTag(prefix: string): string {
  return `${prefix}${randomBytes(4).toString("hex")}`;
}

export const made: string[] = [];

export async function makeVideo(author: Person, caption: string, options: Parameters<typeof createVideoRow>[1] = {}): Promise<string> {
  const id = await createVideoRow(author.id, { caption, linkHashtags: true, ...options });
  made.push(id);
  return id;
}

export async function deleteMade(): Promise<void> {
  await getDb().video.deleteMany({ where: { id: { in: made.splice(0) } } });
}

export type Item = { id: string; hashtags: string[]; reason: string; author: { handle: string } };
export type Page = { items: Item[]; cursor: string | null; strategy: string; cohort: string; feedRequestId: string };

export async function forYou(who: Person | null, query = "", headers: Record<string, string> = {}): Promise<{ status: number; body: Page & { error?: { message: string } } }> {
  const response = await api(`/api/feed?tab=foryou${query}`, { token: who?.token, headers });
  return { status: response.status, body: response.body };
}

/** Every id For You serves, page after page, until it says there is nothing more. */
export async function wholeFeed(who: Person, limit = 30): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 0; page < 200; page += 1) {
    const { status, body } = await forYou(who, `&limit=${limit}`);
    if (status !== 200) throw new Error(`feed answered ${status}: ${JSON.stringify(body)}`);
    ids.push(...body.items.map((item) => item.id));
    if (!body.cursor || body.items.length === 0) break;
  }
  return ids;
}
