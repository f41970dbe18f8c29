// What putDirectory uploads, shared by every backend: each file under a local folder, its key, type and cache
// policy, checked before the first byte is stored and ordered so playlists are published last.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { assertSafeKey, cacheControlFor, contentTypeFor, normalizePrefix } from "./keys";
import type { PutDirectoryOptions } from "./types";

export type PlannedFile = { key: string; localPath: string; contentType: string; cacheControl: string };

async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full)));
    else if (entry.isFile()) files.push(full);
    else throw new Error(`Cannot store ${full}: only regular files and folders can be uploaded.`);
  }
  return files;
}

/**
 * Every file under `localDir` as an upload to `prefix/<relative path>`. Throws on the first unsafe name, before anything
 * is stored. Stored policy defaults to the private variant: objects served straight from a bucket stay out of shared
 * caches unless the caller says the video is public.
 */
export async function planDirectoryUpload(prefix: string, localDir: string, options: PutDirectoryOptions = {}): Promise<PlannedFile[]> {
  const root = normalizePrefix(prefix);
  const files = await listFiles(localDir);
  const planned = files.map((localPath) => {
    const key = `${root}/${path.relative(localDir, localPath).split(path.sep).join("/")}`;
    assertSafeKey(key);
    const cacheControl = options.cacheControlFor?.(key) ?? cacheControlFor(key, { isPublic: false });
    return { key, localPath, contentType: contentTypeFor(key), cacheControl };
  });
  const depth = (file: PlannedFile) => file.key.split("/").length;
  const media = planned.filter((file) => !isPlaylist(file)).sort((a, b) => a.key.localeCompare(b.key));
  // Rendition playlists (deeper) before the master playlist that lists them.
  const playlists = planned.filter(isPlaylist).sort((a, b) => depth(b) - depth(a) || a.key.localeCompare(b.key));
  return [...media, ...playlists];
}

function isPlaylist(file: PlannedFile): boolean {
  return file.key.endsWith(".m3u8");
}

/**
 * Stores planned files with up to `concurrency` in flight, then the playlists one at a time in plan order: once a
 * player can fetch a playlist, everything it lists is already stored.
 */
export async function storePlanned(files: PlannedFile[], concurrency: number, store: (file: PlannedFile) => Promise<void>): Promise<void> {
  await runWithConcurrency(files.filter((file) => !isPlaylist(file)), concurrency, store);
  for (const file of files.filter(isPlaylist)) await store(file);
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure rejects once the others settle. */
export async function runWithConcurrency<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < items.length && failures.length === 0) {
      const item = items[next++]!;
      await task(item).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}
