// Range parsing and HTTP responses for stored objects, served from the real disk backend in a temporary directory.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalStorage } from "./local";
import { parseRange, serveObject } from "./serve";
import type { Storage } from "./types";

describe("parseRange", () => {
  it.each([
    [null, null],
    ["", null],
    ["bytes=0-4", { start: 0, end: 4 }],
    ["bytes=5-", { start: 5, end: 9 }],
    ["bytes=-3", { start: 7, end: 9 }],
    ["bytes=-30", { start: 0, end: 9 }],
    ["bytes=0-100", { start: 0, end: 9 }],
    ["bytes=9-9", { start: 9, end: 9 }],
    ["BYTES=0-1", { start: 0, end: 1 }],
    ["bytes= 2-3 ", { start: 2, end: 3 }],
    ["bytes=10-", "unsatisfiable"],
    ["bytes=10-20", "unsatisfiable"],
    ["bytes=-0", "unsatisfiable"],
    // Ignored (whole object): malformed, another unit, or several ranges (no multipart/byteranges here).
    ["bytes=5-2", null],
    ["bytes=abc", null],
    ["bytes=-", null],
    ["bytes=1-2-3", null],
    ["bytes=0x1-2", null],
    ["items=0-1", null],
    ["bytes=0-1,3-4", null],
  ] as const)("%j of 10 bytes → %j", (header, expected) => {
    expect(parseRange(header, 10)).toEqual(expected);
  });

  it("serves an empty object whole whatever the range", () => {
    expect(parseRange("bytes=0-", 0)).toBeNull();
    expect(parseRange("bytes=-5", 0)).toBeNull();
  });
});

describe("serveObject", () => {
  let scratch: string;
  let storage: Storage;
  const KEY = "videos/v1/1/360p/seg_00001.m4s";
  const CONTENT = "0123456789";

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "flick-serve-"));
    storage = createLocalStorage(path.join(scratch, "media"));
    const file = path.join(scratch, "segment");
    await writeFile(file, CONTENT);
    await storage.putFile(KEY, file, { contentType: "video/iso.segment", cacheControl: "public, max-age=31536000, immutable" });
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  function get(headers: Record<string, string> = {}, method = "GET"): Request {
    return new Request(`http://flick.test/media/${KEY}`, { method, headers });
  }

  it("sends the whole object with type, length, ranges, ETag and cache policy", async () => {
    const response = await serveObject(storage, KEY, get(), { isPublic: true });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "video/iso.segment",
      "content-length": "10",
      "accept-ranges": "bytes",
      "cache-control": "public, max-age=31536000, immutable, no-transform",
      "x-content-type-options": "nosniff",
    });
    expect(response.headers.get("etag")).toMatch(/^".+"$/);
    expect(await response.text()).toBe(CONTENT);
  });

  it("keeps media that is not public out of shared caches", async () => {
    const response = await serveObject(storage, KEY, get(), { isPublic: false });
    expect(response.headers.get("cache-control")).toBe("private, max-age=31536000, immutable, no-transform");
  });

  it.each([
    ["bytes=2-5", "2345", "bytes 2-5/10"],
    ["bytes=7-", "789", "bytes 7-9/10"],
    ["bytes=-4", "6789", "bytes 6-9/10"],
    ["bytes=8-400", "89", "bytes 8-9/10"],
  ])("answers Range %s with 206 and exactly those bytes", async (range, body, contentRange) => {
    const response = await serveObject(storage, KEY, get({ range }), { isPublic: true });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(contentRange);
    expect(response.headers.get("content-length")).toBe(String(body.length));
    expect(await response.text()).toBe(body);
  });

  it("answers an unsatisfiable range with 416, the size, and the error shape", async () => {
    const response = await serveObject(storage, KEY, get({ range: "bytes=10-" }), { isPublic: true });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe("bytes */10");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body.error).toMatchObject({ code: "range_not_satisfiable" });
    expect(body.error.message).toMatch(/10 bytes/);
  });

  it("ignores several ranges and sends the whole object", async () => {
    const response = await serveObject(storage, KEY, get({ range: "bytes=0-1,4-5" }), { isPublic: true });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(CONTENT);
  });

  it("answers If-None-Match with 304 when the ETag matches (weakly, in a list, or *)", async () => {
    const etag = (await serveObject(storage, KEY, get(), { isPublic: true })).headers.get("etag")!;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const response = await serveObject(storage, KEY, get({ "if-none-match": header }), { isPublic: true });
      expect(response.status).toBe(304);
      expect(response.headers.get("etag")).toBe(etag);
      expect(response.headers.get("cache-control")).toContain("immutable");
      expect(await response.text()).toBe("");
    }
    const stale = await serveObject(storage, KEY, get({ "if-none-match": '"stale"' }), { isPublic: true });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe(CONTENT);
  });

  it("resumes with If-Range only while the ETag is unchanged", async () => {
    const etag = (await serveObject(storage, KEY, get(), { isPublic: true })).headers.get("etag")!;
    const same = await serveObject(storage, KEY, get({ range: "bytes=5-", "if-range": etag }), { isPublic: true });
    expect(same.status).toBe(206);
    expect(await same.text()).toBe("56789");
    const changed = await serveObject(storage, KEY, get({ range: "bytes=5-", "if-range": '"older"' }), { isPublic: true });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toBe(CONTENT);
  });

  it("answers HEAD with the same headers and no body, for whole objects and ranges", async () => {
    const whole = await serveObject(storage, KEY, get({}, "HEAD"), { isPublic: true });
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-length")).toBe("10");
    expect(whole.headers.get("etag")).toMatch(/^".+"$/);
    expect(whole.body).toBeNull();
    const part = await serveObject(storage, KEY, get({ range: "bytes=0-3" }, "HEAD"), { isPublic: true });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 0-3/10");
    expect(part.headers.get("content-length")).toBe("4");
  });

  it("answers a missing object with 404 in the error shape, never cached", async () => {
    for (const headers of [{}, { range: "bytes=0-1" }] as Array<Record<string, string>>) {
      const response = await serveObject(storage, "videos/v1/1/360p/seg_00009.m4s", get(headers), { isPublic: true });
      expect(response.status).toBe(404);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect((await response.json()).error).toMatchObject({ code: "not_found" });
    }
  });
});
