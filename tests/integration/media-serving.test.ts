// /media/<key> against the running test server: permissions per video, cache policy, byte ranges, conditional
// requests and path traversal. Files are written with getStorage() in this process and read by the server; both use
// the DATA_DIR that tests/global-setup.ts exports, which the first test checks before anything is written.
import { mkdir, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { getConfig } from "@/lib/env";
import type { ModerationState, VideoStatus, Visibility } from "@/lib/generated/prisma/enums";
import { cacheControlFor, contentTypeFor, getStorage } from "@/lib/storage";
import { baseUrl, freshIp, signIn, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";

type Caller = { cookie?: string; token?: string };
type Fetched = { status: number; headers: Headers; bytes: Buffer; text: string; json: any };

const SEGMENT = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 251)); // bytes that differ at each offset
const PLAYLIST = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=360x640\n360p/index.m3u8\n";
const CANARY = "flick-canary-outside-media-root";

type Person = { id: string; handle: string; cookie: string };

let scratch: string;
let canaryFile: string;
const people = {} as Record<"author" | "other" | "moderator", Person>;
let authorToken: string;

async function fetchMedia(urlPath: string, caller: Caller = {}, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Fetched> {
  const headers: Record<string, string> = { "x-forwarded-for": freshIp(), ...init.headers };
  if (caller.cookie) headers.cookie = caller.cookie;
  if (caller.token) headers.authorization = `Bearer ${caller.token}`;
  const response = await fetch(`${baseUrl()}${urlPath}`, { method: init.method ?? "GET", headers, redirect: "manual" });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString("utf8");
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // media, not JSON
  }
  return { status: response.status, headers: response.headers, bytes, text, json };
}

/** A GET with the path sent exactly as written: fetch would normalise `%2e%2e` and `..` before sending. */
function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  const url = new URL(baseUrl());
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path: rawPath, method: "GET", headers: { "x-forwarded-for": freshIp() } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    request.on("error", reject);
    request.end();
  });
}

async function storeFile(key: string, content: string | Buffer): Promise<void> {
  const file = path.join(scratch, key.replaceAll("/", "_"));
  await writeFile(file, content);
  await getStorage().putFile(key, file, { contentType: contentTypeFor(key), cacheControl: cacheControlFor(key, { isPublic: false }) });
}

/** A video row with a playlist, a segment and a poster in storage. */
async function createVideo(state: { visibility?: Visibility; status?: VideoStatus; moderation?: ModerationState } = {}): Promise<string> {
  const video = await getDb().video.create({
    data: {
      authorId: people.author.id,
      visibility: state.visibility ?? "PUBLIC",
      status: state.status ?? "READY",
      moderation: state.moderation ?? "APPROVED",
    },
    select: { id: true },
  });
  await storeFile(`videos/${video.id}/v1/master.m3u8`, PLAYLIST);
  await storeFile(`videos/${video.id}/v1/360p/seg_00001.m4s`, SEGMENT);
  await storeFile(`videos/${video.id}/v1/poster.webp`, "RIFF-webp");
  return video.id;
}

async function person(role: "USER" | "MODERATOR"): Promise<Person> {
  const account = await signUp();
  // The first account on an instance becomes admin; pin every role so this file passes alone or in the suite.
  await getDb().user.update({ where: { id: account.id }, data: { role } });
  const { cookie } = await signIn(account.email, account.password);
  if (!cookie) throw new Error("sign-in failed");
  return { id: account.id, handle: account.handle, cookie };
}

/**
 * Next 16 drops Content-Length from every route-handler response (next/dist/server/send-response.js) and sends the
 * body chunked; the route sets it anyway. If a later Next passes it through, it must be right.
 */
function expectLengthIfSent(response: Fetched, length: number) {
  expect(response.headers.get("content-length") ?? String(length)).toBe(String(length));
}

function expectNotFound(response: Fetched) {
  expect(response.status).toBe(404);
  expect(response.json?.error?.code).toBe("not_found");
  expect(response.headers.get("cache-control")).toBe("no-store");
}

beforeAll(async () => {
  // Guard: never write into a developer's real data directory. The server was started with this same DATA_DIR.
  const dataDir = process.env.DATA_DIR ?? "";
  expect(path.isAbsolute(dataDir)).toBe(true);
  expect(dataDir.startsWith(tmpdir())).toBe(true);
  expect(path.resolve(getConfig().DATA_DIR)).toBe(dataDir);
  scratch = path.join(dataDir, "media-serving-test-sources");
  await mkdir(scratch, { recursive: true });
  canaryFile = path.join(dataDir, "canary.txt");
  await writeFile(canaryFile, CANARY);
  people.author = await person("USER");
  people.other = await person("USER");
  people.moderator = await person("MODERATOR");
  authorToken = await createTokenFor(people.author.handle);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await rm(canaryFile, { force: true });
});

describe("media serving", () => {
  it("serves a file the test process stored: server and tests share DATA_DIR", async () => {
    const id = await createVideo();
    const response = await fetchMedia(`/media/videos/${id}/v1/master.m3u8`);
    expect(response.status).toBe(200);
    expect(response.text).toBe(PLAYLIST);
  });

  it("serves a public playlist as an HLS playlist with a short public cache", async () => {
    const id = await createVideo();
    const response = await fetchMedia(`/media/videos/${id}/v1/master.m3u8`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    expect(response.headers.get("cache-control")).toMatch(/^public, max-age=2\b/);
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("etag")).toMatch(/^".+"$/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers a segment Range with 206, exactly those bytes, and an immutable cache", async () => {
    const id = await createVideo();
    const url = `/media/videos/${id}/v1/360p/seg_00001.m4s`;
    const part = await fetchMedia(url, {}, { headers: { range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect(part.bytes.length).toBe(100);
    expectLengthIfSent(part, 100);
    expect(part.headers.get("content-type")).toBe("video/iso.segment");
    expect(part.headers.get("cache-control")).toMatch(/^public, max-age=31536000, immutable/);
    expect(part.bytes.equals(SEGMENT.subarray(100, 200))).toBe(true);

    const tail = await fetchMedia(url, {}, { headers: { range: "bytes=-10" } });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(SEGMENT.subarray(990))).toBe(true);

    const whole = await fetchMedia(url);
    expect(whole.status).toBe(200);
    expectLengthIfSent(whole, 1000);
    expect(whole.bytes.equals(SEGMENT)).toBe(true);

    const beyond = await fetchMedia(url, {}, { headers: { range: "bytes=1000-" } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe("bytes */1000");
    expect(typeof beyond.json?.error?.message).toBe("string");
  });

  it("answers HEAD with the headers of a GET and no body", async () => {
    const id = await createVideo();
    const url = `/media/videos/${id}/v1/360p/seg_00001.m4s`;
    const get = await fetchMedia(url);
    const head = await fetchMedia(url, {}, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    for (const name of ["content-type", "accept-ranges", "etag", "cache-control"]) expect(head.headers.get(name), name).toBe(get.headers.get(name));
    expectLengthIfSent(head, 1000);
    // The size a HEAD cannot carry through Next is available from a one-byte range.
    const probe = await fetchMedia(url, {}, { method: "HEAD", headers: { range: "bytes=0-0" } });
    expect(probe.status).toBe(206);
    expect(probe.headers.get("content-range")).toBe("bytes 0-0/1000");
    const missing = await fetchMedia(`/media/videos/${id}/v1/360p/seg_00099.m4s`, {}, { method: "HEAD" });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBe("no-store");
  });

  it("answers If-None-Match with 304 when the file has not changed", async () => {
    const id = await createVideo();
    const url = `/media/videos/${id}/v1/poster.webp`;
    const first = await fetchMedia(url);
    const etag = first.headers.get("etag")!;
    const again = await fetchMedia(url, {}, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.get("etag")).toBe(etag);
  });

  it("hides a private video's files from anonymous and other users, exactly like a video that does not exist", async () => {
    const id = await createVideo({ visibility: "PRIVATE" });
    const url = `/media/videos/${id}/v1/360p/seg_00001.m4s`;
    const anonymous = await fetchMedia(url);
    expectNotFound(anonymous);
    expectNotFound(await fetchMedia(url, { cookie: people.other.cookie }));
    expectNotFound(await fetchMedia(url, { token: await createTokenFor(people.other.handle) }));
    const missing = await fetchMedia(`/media/videos/doesnotexist000000000000/v1/360p/seg_00001.m4s`);
    expectNotFound(missing);
    expect(missing.text).toBe(anonymous.text);
  });

  it("serves a private video to its author (cookie or token) and to moderators, never to shared caches", async () => {
    const id = await createVideo({ visibility: "PRIVATE" });
    const url = `/media/videos/${id}/v1/360p/seg_00001.m4s`;
    for (const caller of [{ cookie: people.author.cookie }, { token: authorToken }, { cookie: people.moderator.cookie }]) {
      const response = await fetchMedia(url, caller);
      expect(response.status).toBe(200);
      expect(response.bytes.equals(SEGMENT)).toBe(true);
      expect(response.headers.get("cache-control")).toMatch(/^private, /);
    }
  });

  it("serves an unlisted video to anyone with the link, cacheable", async () => {
    const id = await createVideo({ visibility: "UNLISTED" });
    const response = await fetchMedia(`/media/videos/${id}/v1/master.m3u8`);
    expect(response.status).toBe(200);
    expect(response.text).toBe(PLAYLIST);
    expect(response.headers.get("cache-control")).toMatch(/^public, /);
  });

  it.each([
    ["held by moderation", { moderation: "HELD" as const }],
    ["removed by moderation", { moderation: "REMOVED" as const }],
    ["pending moderation", { moderation: "PENDING" as const }],
    ["still processing", { status: "PROCESSING" as const }],
  ])("hides a video %s from others but not from its author", async (_label, state) => {
    const id = await createVideo(state);
    const url = `/media/videos/${id}/v1/poster.webp`;
    expectNotFound(await fetchMedia(url));
    expectNotFound(await fetchMedia(url, { cookie: people.other.cookie }));
    const own = await fetchMedia(url, { cookie: people.author.cookie });
    expect(own.status).toBe(200);
    expect(own.headers.get("cache-control")).toMatch(/^private, /);
  });

  it("refuses an invalid bearer token with 401, even for a public file", async () => {
    const id = await createVideo();
    const response = await fetchMedia(`/media/videos/${id}/v1/master.m3u8`, { token: "flk_notarealtoken" });
    expect(response.status).toBe(401);
    expect(response.json?.error?.code).toBe("unauthorized");
  });

  it("serves avatars publicly, and nothing outside the served areas", async () => {
    await storeFile(`avatars/${people.author.id}/avatar-3fa9c1b2.webp`, "RIFF-avatar");
    const avatar = await fetchMedia(`/media/avatars/${people.author.id}/avatar-3fa9c1b2.webp`);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get("content-type")).toBe("image/webp");
    expect(avatar.headers.get("cache-control")).toMatch(/^public, max-age=31536000, immutable/);

    const id = await createVideo();
    await storeFile(`sources/${id}/original.mp4`, "original upload");
    expectNotFound(await fetchMedia(`/media/sources/${id}/original.mp4`, { cookie: people.author.cookie }));
    expectNotFound(await fetchMedia(`/media/videos/${id}`));
    expectNotFound(await fetchMedia(`/media/videos/${id}/v1/nothing-here.m4s`));
  });

  it("never serves a file outside the media root, however the path is encoded", async () => {
    const id = await createVideo();
    const attempts = [
      "/media/videos/x/..%2F..%2Fetc/passwd",
      "/media/..%2f..%2fetc%2fpasswd",
      "/media/videos/%2e%2e/x",
      "/media/..%2fcanary.txt",
      "/media/%2e%2e/canary.txt",
      `/media/videos/${id}/..%2F..%2F..%2Fcanary.txt`,
      `/media/videos/${id}/v1/..%2F..%2F..%2F..%2Fcanary.txt`,
      `/media/videos/${id}/v1/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fcanary.txt`,
      `/media/videos/${id}/v1/..%5C..%5C..%5C..%5Ccanary.txt`,
      `/media/videos/${id}/v1/%252e%252e%252f%252e%252e%252fcanary.txt`,
      "/media/videos/x/../../../canary.txt",
      "/media/avatars/u/..%2F..%2F..%2Fcanary.txt",
      "/media/avatars/u/%00canary.txt",
    ];
    for (const attempt of attempts) {
      const response = await rawGet(attempt);
      expect([400, 404], attempt).toContain(response.status);
      expect(response.body, attempt).not.toContain(CANARY);
      expect(response.body, attempt).not.toContain("root:");
    }
  });
});
