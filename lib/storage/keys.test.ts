import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { assertSafeKey, cacheControlFor, contentTypeFor, isSafeKey, normalizePrefix } from "./keys";

describe("storage keys", () => {
  it.each([
    "videos/ckv0abc/v1/360p/seg_00001.m4s",
    "videos/ckv0abc/v1/master.m3u8",
    "avatars/u1/avatar-3fa9c1b2.webp",
    "a",
    "file.with.dots-and_underscores",
    "...hidden-ish/x", // a name that merely starts with dots is a name
  ])("accepts %s", (key) => {
    expect(isSafeKey(key)).toBe(true);
    expect(() => assertSafeKey(key)).not.toThrow();
  });

  it.each([
    ["empty", ""],
    ["parent segment", "../x"],
    ["parent in the middle", "a/../../b"],
    ["trailing parent", "a/.."],
    ["current-dir segment", "a/./b"],
    ["only dots", "..."],
    ["absolute", "/etc/passwd"],
    ["backslash", "a\\b"],
    ["backslash traversal", "..\\..\\etc"],
    ["still percent-encoded", "%2e%2e/x"],
    ["encoded slash", "a%2Fb"],
    ["NUL", "a\0b"],
    ["empty segment", "a//b"],
    ["trailing slash", "a/b/"],
    ["space", "a b"],
    ["non-ASCII lookalike", "vid\u0435os/x"],
    ["too long", `${"a/".repeat(256)}b`],
  ])("refuses %s", (_label, key) => {
    expect(isSafeKey(key)).toBe(false);
    try {
      assertSafeKey(key);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
    }
  });

  it("accepts exactly 512 characters, not 513", () => {
    expect(isSafeKey("a".repeat(512))).toBe(true);
    expect(isSafeKey("a".repeat(513))).toBe(false);
  });

  it("normalises a folder prefix with or without its trailing slash", () => {
    expect(normalizePrefix("videos/abc/")).toBe("videos/abc");
    expect(normalizePrefix("videos/abc")).toBe("videos/abc");
    expect(() => normalizePrefix("/")).toThrow(AppError);
    expect(() => normalizePrefix("videos/../")).toThrow(AppError);
  });
});

describe("content types", () => {
  it.each([
    ["v/master.m3u8", "application/vnd.apple.mpegurl"],
    ["v/360p/seg_00001.m4s", "video/iso.segment"],
    ["v/360p/init.mp4", "video/mp4"],
    ["v/seg.ts", "video/mp2t"],
    ["v/thumbs.vtt", "text/vtt"],
    ["v/poster.webp", "image/webp"],
    ["v/poster.avif", "image/avif"],
    ["v/poster.jpg", "image/jpeg"],
    ["v/poster.JPEG", "image/jpeg"],
    ["v/poster.png", "image/png"],
    ["v/meta.json", "application/json"],
    ["v/original.mov", "application/octet-stream"],
    ["v/noextension", "application/octet-stream"],
    ["v/.m3u8", "application/octet-stream"],
  ])("%s → %s", (key, type) => {
    expect(contentTypeFor(key)).toBe(type);
  });
});

describe("cache policy", () => {
  const year = "max-age=31536000, immutable";
  it.each([
    ["videos/v1/3/360p/seg_00001.m4s", `public, ${year}`],
    ["videos/v1/3/360p/init.mp4", `public, ${year}`],
    ["videos/v1/3/360p/seg_00001.ts", `public, ${year}`],
    ["videos/v1/3/master.m3u8", "public, max-age=2"],
    ["videos/v1/3/360p/index.m3u8", "public, max-age=2"],
    ["videos/v1/3/thumbs.vtt", "public, max-age=2"],
    // A poster is re-rendered under the same name when the cover changes: revalidated, not immutable.
    ["videos/v1/3/poster.webp", "public, max-age=60"],
    ["videos/v1/3/covers/cover-9f2c4e1a77.webp", `public, ${year}`],
    ["avatars/u1/avatar-3fa9c1b2.webp", `public, ${year}`],
    ["avatars/u1/avatar.webp", "public, max-age=60"],
    // Sequence numbers are not content hashes.
    ["avatars/u1/frame_00000001.webp", "public, max-age=60"],
    // Outside a version folder a segment may be rewritten.
    ["videos/v1/seg_00001.m4s", "public, max-age=60"],
    ["videos/v1/3/meta.json", "public, max-age=60"],
  ])("%s → %s", (key, policy) => {
    expect(cacheControlFor(key, { isPublic: true })).toBe(policy);
  });

  it("keeps media that is not public out of shared caches", () => {
    expect(cacheControlFor("videos/v1/3/360p/seg_00001.m4s", { isPublic: false })).toBe(`private, ${year}`);
    expect(cacheControlFor("videos/v1/3/master.m3u8", { isPublic: false })).toBe("private, max-age=2");
    expect(cacheControlFor("videos/v1/3/poster.webp", { isPublic: false })).toBe("private, max-age=60");
  });
});
