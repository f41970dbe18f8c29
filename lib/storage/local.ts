// The disk backend: objects are files under `${DATA_DIR}/media`. Writes copy to a temp name in the target folder and
// rename, so a reader sees the old file or the whole new one. Content type and cache policy follow from the key
// (there is no metadata store), so give keys the extension of their content.
import { randomBytes } from "node:crypto";
import { copyFile, lstat, mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { getConfig } from "../env";
import { AppError } from "../errors";
import { planDirectoryUpload, storePlanned } from "./directory";
import { assertSafeKey, cacheControlFor, contentTypeFor, normalizePrefix } from "./keys";
import type { ObjectInfo, Storage, StoredObject } from "./types";

const DIRECTORY_CONCURRENCY = 4; // overlaps one file's fsync with the next copy; more only queues on the same disk

// The turbopackIgnore comments keep Next's file tracing from treating these run-time paths as references to the
// project's own files (it would otherwise copy the whole project into the server build).
export function localMediaRoot(): string {
  return path.resolve(/* turbopackIgnore: true */ getConfig().DATA_DIR, "media");
}

export function createLocalStorage(root: string = localMediaRoot()): Storage {
  const base = path.resolve(/* turbopackIgnore: true */ root);

  /** The file for a key, refused unless it lies inside the root (a second line behind assertSafeKey). */
  function fileFor(key: string): string {
    assertSafeKey(key);
    const full = path.resolve(/* turbopackIgnore: true */ base, key);
    if (!full.startsWith(base + path.sep)) throw new AppError("bad_request", "That media path is not valid.");
    return full;
  }

  async function putFile(key: string, localPath: string): Promise<void> {
    const target = fileFor(key);
    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      await copyFile(localPath, temp);
      // On disk before the rename, so a crash cannot leave a published name pointing at an empty file.
      const handle = await open(temp, "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async function read(key: string, range?: { start: number; end?: number }): Promise<StoredObject | null> {
    const file = fileFor(key);
    const handle = await open(file, "r").catch(nullWhenMissing);
    if (!handle) return null;
    try {
      // fstat of the opened file, so size and bytes come from the same file even if the name is replaced meanwhile.
      const info = await handle.stat({ bigint: true });
      if (!info.isFile()) {
        await handle.close();
        return null;
      }
      const size = Number(info.size);
      const served = range ? clampRange(range, size) : undefined;
      const stream = handle.createReadStream(served ? { start: served.start, end: served.end } : {});
      return {
        body: Readable.toWeb(stream) as ReadableStream<Uint8Array>,
        size,
        contentType: contentTypeFor(key),
        cacheControl: cacheControlFor(key, { isPublic: true }),
        etag: etagOf(info.size, info.mtimeNs),
        ...(served ? { range: served } : {}),
      };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  async function statKey(key: string): Promise<ObjectInfo | null> {
    const info = await stat(fileFor(key), { bigint: true }).catch(nullWhenMissing);
    if (!info?.isFile()) return null;
    return { size: Number(info.size), contentType: contentTypeFor(key), etag: etagOf(info.size, info.mtimeNs) };
  }

  async function deletePrefix(prefix: string): Promise<number> {
    const dir = fileFor(normalizePrefix(prefix));
    const info = await lstat(dir).catch(nullWhenMissing);
    if (!info?.isDirectory()) return 0;
    const { files } = await measure(dir);
    await rm(dir, { recursive: true, force: true });
    return files;
  }

  async function deleteFile(key: string): Promise<void> {
    const file = fileFor(key);
    const info = await lstat(file).catch(nullWhenMissing);
    // A folder is not a file: deletePrefix removes folders, so a key naming one is left alone here.
    if (!info?.isFile()) return;
    await rm(file, { force: true });
  }

  async function usage(prefix: string): Promise<number> {
    const dir = fileFor(normalizePrefix(prefix));
    const info = await lstat(dir).catch(nullWhenMissing);
    if (!info?.isDirectory()) return 0;
    return (await measure(dir)).bytes;
  }

  return {
    putFile: (key, localPath) => putFile(key, localPath),
    async putDirectory(prefix, localDir, options) {
      const planned = await planDirectoryUpload(prefix, localDir, options);
      await storePlanned(planned, DIRECTORY_CONCURRENCY, (file) => putFile(file.key, file.localPath));
      return planned.map((file) => file.key);
    },
    read,
    stat: statKey,
    deletePrefix,
    deleteFile,
    usage,
  };
}

/** An inclusive range clipped to the object; callers validate first (lib/storage/serve.ts parseRange). */
function clampRange(range: { start: number; end?: number }, size: number): { start: number; end: number } {
  const end = Math.min(range.end ?? size - 1, size - 1);
  if (!Number.isSafeInteger(range.start) || range.start < 0 || range.start > end) {
    throw new RangeError(`Byte range ${range.start}-${range.end ?? ""} is outside an object of ${size} bytes.`);
  }
  return { start: range.start, end };
}

/** Size and modification time (ns) name a version of a file; a put always writes a new file, so both move. */
function etagOf(size: bigint, mtimeNs: bigint): string {
  return `"${size.toString(16)}-${mtimeNs.toString(16)}"`;
}

async function measure(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(nullWhenMissing);
  for (const entry of entries ?? []) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await measure(full);
      files += inner.files;
      bytes += inner.bytes;
    } else if (entry.isFile()) {
      const info = await lstat(full).catch(nullWhenMissing);
      if (!info) continue;
      files += 1;
      bytes += info.size;
    }
  }
  return { files, bytes };
}

/** "Not there" (or a file where a folder was expected) reads as null; any other failure is real. */
function nullWhenMissing(error: unknown): null {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return null;
  throw error;
}
