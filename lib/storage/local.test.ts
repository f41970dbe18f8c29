// The disk backend against a real temporary directory.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { createLocalStorage } from "./local";
import type { Storage, StoredObject } from "./types";

let scratch: string;
let root: string;
let storage: Storage;
let sources: string;

async function source(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(sources, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

async function text(object: StoredObject | null): Promise<string> {
  if (!object) throw new Error("object missing");
  return new Response(object.body).text();
}

/** Every file under a folder, relative, including hidden ones (temp files start with a dot). */
async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
}

const PUT = { contentType: "video/iso.segment", cacheControl: "public, max-age=31536000, immutable" };

beforeEach(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "flick-storage-"));
  root = path.join(scratch, "media");
  sources = path.join(scratch, "sources");
  storage = createLocalStorage(root);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("local storage", () => {
  it("stores a file and reads it back with its type, size and ETag", async () => {
    await storage.putFile("videos/v1/1/360p/seg_00001.m4s", await source("seg", "0123456789"), PUT);
    const object = await storage.read("videos/v1/1/360p/seg_00001.m4s");
    expect(object).toMatchObject({ size: 10, contentType: "video/iso.segment" });
    expect(object?.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(object?.range).toBeUndefined();
    expect(await text(object)).toBe("0123456789");
    expect(await storage.stat("videos/v1/1/360p/seg_00001.m4s")).toEqual({ size: 10, contentType: "video/iso.segment", etag: object?.etag });
  });

  it("answers null for a missing key, and for a folder", async () => {
    await storage.putFile("videos/v1/1/master.m3u8", await source("m", "#EXTM3U\n"), PUT);
    expect(await storage.read("videos/v1/1/nope.m4s")).toBeNull();
    expect(await storage.stat("videos/v1/1/nope.m4s")).toBeNull();
    expect(await storage.read("videos/v1/1")).toBeNull();
    expect(await storage.stat("videos/v1")).toBeNull();
    // A key that runs through a file as if it were a folder.
    expect(await storage.read("videos/v1/1/master.m3u8/x")).toBeNull();
  });

  it("reads byte ranges: bounded, open-ended and clipped to the end", async () => {
    await storage.putFile("a/file.bin", await source("f", "0123456789"), PUT);
    const middle = await storage.read("a/file.bin", { start: 2, end: 5 });
    expect(middle).toMatchObject({ size: 10, range: { start: 2, end: 5 } });
    expect(await text(middle)).toBe("2345");
    const tail = await storage.read("a/file.bin", { start: 7 });
    expect(tail?.range).toEqual({ start: 7, end: 9 });
    expect(await text(tail)).toBe("789");
    const clipped = await storage.read("a/file.bin", { start: 8, end: 500 });
    expect(await text(clipped)).toBe("89");
    await expect(storage.read("a/file.bin", { start: 10 })).rejects.toBeInstanceOf(RangeError);
  });

  it("replaces a file atomically: readers see one whole version, and no temp file is left", async () => {
    const size = 2 * 1024 * 1024;
    const versions = ["a", "b", "c"].map((letter) => source(`v-${letter}`, Buffer.alloc(size, letter)));
    const [a, b, c] = await Promise.all(versions);
    await storage.putFile("videos/v1/1/big.mp4", a!, PUT);
    const firstTag = (await storage.stat("videos/v1/1/big.mp4"))?.etag;

    const writes = (async () => {
      for (let round = 0; round < 6; round += 1) await storage.putFile("videos/v1/1/big.mp4", round % 2 ? b! : c!, PUT);
    })();
    const seen = new Set<string>();
    const reads = (async () => {
      for (let round = 0; round < 12; round += 1) {
        const object = await storage.read("videos/v1/1/big.mp4");
        const bytes = Buffer.from(await new Response(object!.body).arrayBuffer());
        expect(bytes.length).toBe(size);
        const letter = String.fromCharCode(bytes[0]!);
        expect(bytes.every((byte) => byte === bytes[0])).toBe(true);
        seen.add(letter);
      }
    })();
    await Promise.all([writes, reads]);

    expect(await allFiles(root)).toEqual(["videos/v1/1/big.mp4"]);
    expect((await storage.stat("videos/v1/1/big.mp4"))?.etag).not.toBe(firstTag);
    expect([...seen].every((letter) => "abc".includes(letter))).toBe(true);
  });

  it("leaves neither the file nor a temp file behind when the source cannot be read", async () => {
    await expect(storage.putFile("a/b.m4s", path.join(sources, "missing"), PUT)).rejects.toThrow();
    expect(await allFiles(root)).toEqual([]);
  });

  it("stores a folder under a prefix, playlists last, and refuses an unsafe name before storing anything", async () => {
    const dir = path.join(scratch, "out");
    await mkdir(path.join(dir, "360p"), { recursive: true });
    await writeFile(path.join(dir, "master.m3u8"), "#EXTM3U\n360p/index.m3u8\n");
    await writeFile(path.join(dir, "360p", "index.m3u8"), "#EXTM3U\nseg_00001.m4s\n");
    await writeFile(path.join(dir, "360p", "init.mp4"), "init");
    await writeFile(path.join(dir, "360p", "seg_00001.m4s"), "segment");
    const keys = await storage.putDirectory("videos/v1/2/", dir);
    expect(keys).toEqual([
      "videos/v1/2/360p/init.mp4",
      "videos/v1/2/360p/seg_00001.m4s",
      "videos/v1/2/360p/index.m3u8",
      "videos/v1/2/master.m3u8",
    ]);
    expect(await text(await storage.read("videos/v1/2/360p/seg_00001.m4s"))).toBe("segment");
    expect((await storage.stat("videos/v1/2/master.m3u8"))?.contentType).toBe("application/vnd.apple.mpegurl");

    await writeFile(path.join(dir, "bad name.m4s"), "x");
    await expect(storage.putDirectory("videos/v1/3", dir)).rejects.toBeInstanceOf(AppError);
    expect(await storage.usage("videos/v1/3")).toBe(0);
  });

  it("counts and deletes a folder, and only that folder", async () => {
    const file = await source("five", "12345");
    for (const key of ["videos/a/1/x.m4s", "videos/a/1/y/z.m4s", "videos/a/2/x.m4s", "videos/ab/1/x.m4s"]) await storage.putFile(key, file, PUT);
    expect(await storage.usage("videos/a")).toBe(15);
    expect(await storage.usage("videos/a/")).toBe(15);
    expect(await storage.usage("videos/ab")).toBe(5);
    expect(await storage.usage("videos/none")).toBe(0);
    expect(await storage.deletePrefix("videos/a/")).toBe(3);
    expect(await storage.read("videos/a/1/x.m4s")).toBeNull();
    expect(await storage.usage("videos/a")).toBe(0);
    expect(await text(await storage.read("videos/ab/1/x.m4s"))).toBe("12345");
    expect(await storage.deletePrefix("videos/a")).toBe(0);
    // A prefix names a folder; a file of that name is not deleted by it.
    expect(await storage.deletePrefix("videos/ab/1/x.m4s")).toBe(0);
    expect(await storage.stat("videos/ab/1/x.m4s")).not.toBeNull();
  });

  it("deletes one file, leaves its neighbours, and treats a missing file or a folder's name as nothing to do", async () => {
    const file = await source("avatar", "image bytes");
    await storage.putFile("avatars/u1/avatar-aaaa1111.webp", file, PUT);
    await storage.putFile("avatars/u1/avatar-bbbb2222.webp", file, PUT);
    await storage.deleteFile("avatars/u1/avatar-aaaa1111.webp");
    expect(await storage.stat("avatars/u1/avatar-aaaa1111.webp")).toBeNull();
    expect(await storage.stat("avatars/u1/avatar-bbbb2222.webp")).not.toBeNull();
    await storage.deleteFile("avatars/u1/avatar-aaaa1111.webp");
    await storage.deleteFile("avatars/u1");
    expect(await allFiles(root)).toEqual(["avatars/u1/avatar-bbbb2222.webp"]);
  });

  it.each(["../x", "a/../../b", "/etc/passwd", "a\\b", "%2e%2e/x", "..", "a/./b", "a//b", "a\0b"])(
    "refuses the key %j in every operation without touching the disk",
    async (key) => {
      await writeFile(path.join(scratch, "x"), "secret outside the media root");
      const file = await source("s", "payload");
      const attempts: Array<() => Promise<unknown>> = [
        () => storage.read(key),
        () => storage.stat(key),
        () => storage.putFile(key, file, PUT),
        () => storage.deletePrefix(key),
        () => storage.deleteFile(key),
        () => storage.usage(key),
        () => storage.putDirectory(key, sources),
      ];
      for (const attempt of attempts) {
        const error = await attempt().then(() => null, (caught: unknown) => caught);
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).status).toBe(400);
      }
      expect(await readdir(scratch)).not.toContain("media");
    },
  );
});
