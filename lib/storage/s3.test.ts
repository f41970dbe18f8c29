// The S3 backend through the real AWS SDK client (serialisation, signing, checksums, XML parsing, error mapping), with
// one mock: the HTTP handler at the bottom of the SDK's middleware stack records each request and answers with canned
// S3 responses. This is the only mock in the storage tests, and it is here because no S3-compatible server can run
// in this environment (no network beyond the npm registry, and none is installed).
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../env";
import { AppError } from "../errors";
import { createS3Client, createS3Storage, s3ClientConfig } from "./s3";

type Recorded = {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body: Buffer;
};
type Reply = { status: number; headers?: Record<string, string>; body?: string | Buffer };

const BUCKET = "flick-media";
const XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

async function collect(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** An S3 client whose transport records requests and answers with `respond`. */
function mockS3(respond: (request: Recorded) => Reply, options: { forcePathStyle?: boolean } = {}) {
  const requests: Recorded[] = [];
  const requestHandler = {
    async handle(request: Omit<Recorded, "body" | "headers"> & { headers: Record<string, string>; body?: unknown }) {
      const recorded: Recorded = {
        method: request.method,
        hostname: request.hostname,
        port: request.port,
        path: request.path,
        query: { ...request.query },
        headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
        body: await collect(request.body),
      };
      requests.push(recorded);
      const reply = respond(recorded);
      return {
        response: {
          statusCode: reply.status,
          headers: { "x-amz-request-id": "test", ...reply.headers },
          body: Readable.from(Buffer.from(reply.body ?? "")),
        },
      };
    },
  };
  const config = parseConfig({
    STORAGE_DRIVER: "s3",
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: "http://s3.test:9000",
    S3_ACCESS_KEY_ID: "AKIATEST",
    S3_SECRET_ACCESS_KEY: "secret-for-tests",
    S3_FORCE_PATH_STYLE: options.forcePathStyle === false ? "false" : "true",
  });
  const client = createS3Client({ ...s3ClientConfig(config), requestHandler, maxAttempts: 1 });
  return { storage: createS3Storage({ bucket: BUCKET, client }), requests };
}

const ok: Reply = { status: 200, headers: { etag: '"abc"' } };
const noSuchKey: Reply = {
  status: 404,
  headers: { "content-type": "application/xml" },
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`,
};

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "flick-s3-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function localFile(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(scratch, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

describe("S3 storage: writes", () => {
  it("puts a file to bucket/key with its type and cache policy, signed, without CRC trailers", async () => {
    const { storage, requests } = mockS3(() => ok);
    await storage.putFile("videos/v1/1/360p/seg_00001.m4s", await localFile("seg", "segment-bytes"), {
      contentType: "video/iso.segment",
      cacheControl: "public, max-age=31536000, immutable",
    });
    expect(requests).toHaveLength(1);
    const [put] = requests;
    expect(put).toMatchObject({ method: "PUT", hostname: "s3.test", port: 9000, path: `/${BUCKET}/videos/v1/1/360p/seg_00001.m4s` });
    expect(put!.headers["content-type"]).toBe("video/iso.segment");
    expect(put!.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(put!.headers["content-length"]).toBe("13");
    expect(put!.body.toString()).toBe("segment-bytes");
    expect(put!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATEST\/\d{8}\/us-east-1\/s3\/aws4_request/);
    expect(Object.keys(put!.headers).filter((name) => name.startsWith("x-amz-checksum-"))).toEqual([]);
  });

  it("addresses the bucket by host name when path style is off", async () => {
    const { storage, requests } = mockS3(() => ok, { forcePathStyle: false });
    await storage.putFile("avatars/u1/a.webp", await localFile("a", "x"), { contentType: "image/webp", cacheControl: "public, max-age=60" });
    expect(requests[0]).toMatchObject({ hostname: `${BUCKET}.s3.test`, path: "/avatars/u1/a.webp" });
  });

  it("uploads a large file in parts and completes it, in part order", async () => {
    const size = 16 * 1024 * 1024 + 100;
    const content = Buffer.alloc(size, "a");
    content.fill("b", 16 * 1024 * 1024);
    const { storage, requests } = mockS3((request) => {
      if (request.method === "POST" && "uploads" in request.query) {
        return { status: 200, body: `<InitiateMultipartUploadResult ${XMLNS}><Bucket>${BUCKET}</Bucket><Key>k</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>` };
      }
      if (request.method === "PUT") return { status: 200, headers: { etag: `"part-${request.query.partNumber}"` } };
      return { status: 200, body: `<CompleteMultipartUploadResult ${XMLNS}><Bucket>${BUCKET}</Bucket><Key>k</Key><ETag>"whole"</ETag></CompleteMultipartUploadResult>` };
    });
    await storage.putFile("sources/v1/original.mp4", await localFile("big", content), { contentType: "video/mp4", cacheControl: "private, no-store" });

    const [create, ...rest] = requests;
    expect(create).toMatchObject({ method: "POST", path: `/${BUCKET}/sources/v1/original.mp4` });
    expect(create!.headers["content-type"]).toBe("video/mp4");
    expect(create!.headers["cache-control"]).toBe("private, no-store");
    const parts = rest.filter((request) => request.method === "PUT").sort((a, b) => Number(a.query.partNumber) - Number(b.query.partNumber));
    expect(parts.map((part) => [part.query.partNumber, part.query.uploadId, part.body.length])).toEqual([
      ["1", "up-1", 16 * 1024 * 1024],
      ["2", "up-1", 100],
    ]);
    expect(Buffer.concat(parts.map((part) => part.body)).equals(content)).toBe(true);
    const complete = requests.at(-1)!;
    expect(complete).toMatchObject({ method: "POST", query: { uploadId: "up-1" } });
    expect(complete.body.toString()).toContain(
      "<Part><ETag>&quot;part-1&quot;</ETag><PartNumber>1</PartNumber></Part><Part><ETag>&quot;part-2&quot;</ETag><PartNumber>2</PartNumber></Part>",
    );
  });

  it("aborts the multipart upload when a part fails, so no half object is kept", async () => {
    const { storage, requests } = mockS3((request) => {
      if (request.method === "POST") {
        return { status: 200, body: `<InitiateMultipartUploadResult ${XMLNS}><UploadId>up-2</UploadId></InitiateMultipartUploadResult>` };
      }
      if (request.method === "PUT") return { status: 403, body: "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>" };
      return { status: 204 };
    });
    const file = await localFile("big2", Buffer.alloc(16 * 1024 * 1024 + 1));
    await expect(storage.putFile("sources/v2/original.mp4", file, { contentType: "video/mp4", cacheControl: "private, no-store" })).rejects.toThrow(/Access Denied/);
    expect(requests.at(-1)).toMatchObject({ method: "DELETE", query: { uploadId: "up-2" } });
  });

  it("uploads a folder: every file at prefix/relative path with its type, playlists last", async () => {
    const dir = path.join(scratch, "ladder");
    await localFile("ladder/master.m3u8", "#EXTM3U\n");
    await localFile("ladder/360p/index.m3u8", "#EXTM3U\n");
    await localFile("ladder/360p/init.mp4", "init");
    await localFile("ladder/360p/seg_00001.m4s", "s1");
    const { storage, requests } = mockS3(() => ok);
    const keys = await storage.putDirectory("videos/v1/7/", dir, { cacheControlFor: (key) => (key.endsWith(".m3u8") ? "public, max-age=5" : "public, max-age=31536000, immutable") });
    expect(keys).toEqual(["videos/v1/7/360p/init.mp4", "videos/v1/7/360p/seg_00001.m4s", "videos/v1/7/360p/index.m3u8", "videos/v1/7/master.m3u8"]);
    expect(requests.slice(2).map((request) => request.path)).toEqual([`/${BUCKET}/videos/v1/7/360p/index.m3u8`, `/${BUCKET}/videos/v1/7/master.m3u8`]);
    const types = Object.fromEntries(requests.map((request) => [request.path.split("/").pop(), [request.headers["content-type"], request.headers["cache-control"]]]));
    expect(types).toEqual({
      "init.mp4": ["video/mp4", "public, max-age=31536000, immutable"],
      "seg_00001.m4s": ["video/iso.segment", "public, max-age=31536000, immutable"],
      "index.m3u8": ["application/vnd.apple.mpegurl", "public, max-age=5"],
      "master.m3u8": ["application/vnd.apple.mpegurl", "public, max-age=5"],
    });
  });
});

describe("S3 storage: reads", () => {
  it("maps a byte range to GetObject Range and reports the whole object's size", async () => {
    const { storage, requests } = mockS3(() => ({
      status: 206,
      headers: { "content-type": "video/iso.segment", "content-range": "bytes 2-5/10", "content-length": "4", etag: '"e1"', "cache-control": "public, max-age=31536000, immutable" },
      body: "2345",
    }));
    const object = await storage.read("videos/v1/1/seg.m4s", { start: 2, end: 5 });
    expect(requests[0]).toMatchObject({ method: "GET", path: `/${BUCKET}/videos/v1/1/seg.m4s` });
    expect(requests[0]!.headers.range).toBe("bytes=2-5");
    expect(object).toMatchObject({ size: 10, range: { start: 2, end: 5 }, etag: '"e1"', contentType: "video/iso.segment", cacheControl: "public, max-age=31536000, immutable" });
    expect(await new Response(object!.body).text()).toBe("2345");
  });

  it("asks for an open-ended range as bytes=N-, and for the whole object without Range", async () => {
    const { storage, requests } = mockS3((request): Reply =>
      request.headers.range
        ? { status: 206, headers: { "content-range": "bytes 7-9/10" }, body: "789" }
        : { status: 200, headers: { "content-length": "10", "content-type": "video/mp4" }, body: "0123456789" },
    );
    const tail = await storage.read("a/b.mp4", { start: 7 });
    expect(requests[0]!.headers.range).toBe("bytes=7-");
    expect(tail?.range).toEqual({ start: 7, end: 9 });
    const whole = await storage.read("a/b.mp4");
    expect(requests[1]!.headers.range).toBeUndefined();
    expect(whole).toMatchObject({ size: 10, contentType: "video/mp4" });
    expect(whole?.range).toBeUndefined();
    expect(await new Response(whole!.body).text()).toBe("0123456789");
  });

  it("refuses to pass off a whole object as a range when the server ignored Range", async () => {
    const { storage } = mockS3(() => ({ status: 200, headers: { "content-length": "10" }, body: "0123456789" }));
    await expect(storage.read("a/b.mp4", { start: 2, end: 3 })).rejects.toThrow(/without a Content-Range/);
  });

  it("reads a missing object as null, an unsatisfiable range as RangeError, a missing bucket as an error", async () => {
    expect(await mockS3(() => noSuchKey).storage.read("a/missing.m4s")).toBeNull();
    const invalidRange = { status: 416, body: "<Error><Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message></Error>" };
    await expect(mockS3(() => invalidRange).storage.read("a/b.m4s", { start: 50 })).rejects.toBeInstanceOf(RangeError);
    const noBucket = { status: 404, body: "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>" };
    await expect(mockS3(() => noBucket).storage.read("a/b.m4s")).rejects.toThrow(/bucket does not exist/);
  });

  it("stats with HeadObject, and a 404 is null", async () => {
    const { storage, requests } = mockS3((request) =>
      request.path.endsWith("here.webp")
        ? { status: 200, headers: { "content-length": "42", "content-type": "image/webp", etag: '"e2"' } }
        : { status: 404 },
    );
    expect(await storage.stat("avatars/u1/here.webp")).toEqual({ size: 42, contentType: "image/webp", etag: '"e2"' });
    expect(requests[0]).toMatchObject({ method: "HEAD", path: `/${BUCKET}/avatars/u1/here.webp` });
    expect(await storage.stat("avatars/u1/gone.webp")).toBeNull();
  });
});

describe("S3 storage: listing and deleting", () => {
  function listPage(keys: Array<[string, number]>, next?: string): Reply {
    const contents = keys.map(([key, size]) => `<Contents><Key>${key}</Key><Size>${size}</Size></Contents>`).join("");
    const truncated = next ? `<IsTruncated>true</IsTruncated><NextContinuationToken>${next}</NextContinuationToken>` : "<IsTruncated>false</IsTruncated>";
    return { status: 200, body: `<ListBucketResult ${XMLNS}><Name>${BUCKET}</Name>${truncated}${contents}</ListBucketResult>` };
  }

  function twoPages(request: Recorded): Reply {
    if (request.query["continuation-token"] === "page-2") return listPage([["videos/v1/2/c.m4s", 30]]);
    return listPage([["videos/v1/1/a.m4s", 10], ["videos/v1/1/b.m4s", 20]], "page-2");
  }

  it("deletes a folder page by page with DeleteObjects, sending Content-MD5 instead of a CRC", async () => {
    const { storage, requests } = mockS3((request) =>
      request.method === "POST" ? { status: 200, body: `<DeleteResult ${XMLNS}></DeleteResult>` } : twoPages(request),
    );
    expect(await storage.deletePrefix("videos/v1/")).toBe(3);

    const lists = requests.filter((request) => request.method === "GET");
    expect(lists.map((list) => [list.query["list-type"], list.query.prefix, list.query["continuation-token"] ?? null])).toEqual([
      ["2", "videos/v1/", null],
      ["2", "videos/v1/", "page-2"],
    ]);
    const deletes = requests.filter((request) => request.method === "POST");
    expect(deletes).toHaveLength(2);
    for (const request of deletes) {
      expect(request.path).toBe(`/${BUCKET}/`);
      expect("delete" in request.query).toBe(true);
      expect(request.headers["content-md5"]).toBe(createHash("md5").update(request.body).digest("base64"));
      expect(Object.keys(request.headers).filter((name) => name.startsWith("x-amz-checksum-"))).toEqual([]);
    }
    expect(deletes[0]!.body.toString()).toMatch(/<Quiet>true<\/Quiet>/);
    expect(deletes[0]!.body.toString()).toContain("<Object><Key>videos/v1/1/a.m4s</Key></Object><Object><Key>videos/v1/1/b.m4s</Key></Object>");
    expect(deletes[1]!.body.toString()).toContain("<Key>videos/v1/2/c.m4s</Key>");
  });

  it("fails loudly when S3 could not delete some objects", async () => {
    const { storage } = mockS3((request) =>
      request.method === "POST"
        ? { status: 200, body: `<DeleteResult ${XMLNS}><Error><Key>videos/v1/1/a.m4s</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>` }
        : listPage([["videos/v1/1/a.m4s", 10]]),
    );
    await expect(storage.deletePrefix("videos/v1")).rejects.toThrow(/could not delete 1 object.*videos\/v1\/1\/a\.m4s: AccessDenied/);
  });

  it("deletes one object with DeleteObject", async () => {
    const { storage, requests } = mockS3(() => ({ status: 204 }));
    await storage.deleteFile("avatars/u1/avatar-aaaa1111.webp");
    expect(requests.map((request) => [request.method, request.path])).toEqual([["DELETE", `/${BUCKET}/avatars/u1/avatar-aaaa1111.webp`]]);
  });

  it("sums the sizes of every page for usage, and sends nothing to delete in an empty folder", async () => {
    expect(await mockS3(twoPages).storage.usage("videos/v1")).toBe(60);
    const empty = mockS3(() => listPage([]));
    expect(await empty.storage.deletePrefix("videos/none/")).toBe(0);
    expect(empty.requests.map((request) => request.method)).toEqual(["GET"]);
  });
});

describe("S3 storage: keys and configuration", () => {
  it.each(["../x", "a/../../b", "/etc/passwd", "a\\b", "%2e%2e/x"])("refuses the key %j before sending anything", async (key) => {
    const { storage, requests } = mockS3(() => ok);
    const file = await localFile("k", "x");
    const attempts: Array<() => Promise<unknown>> = [
      () => storage.read(key),
      () => storage.stat(key),
      () => storage.putFile(key, file, { contentType: "video/mp4", cacheControl: "private, no-store" }),
      () => storage.deletePrefix(key),
      () => storage.deleteFile(key),
      () => storage.usage(key),
      () => storage.putDirectory(key, scratch),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(AppError);
    expect(requests).toEqual([]);
  });

  it("requires S3_BUCKET with STORAGE_DRIVER=s3, and both access keys or neither", () => {
    expect(() => parseConfig({ STORAGE_DRIVER: "s3" })).toThrow(ConfigError);
    expect(() => parseConfig({ STORAGE_DRIVER: "s3" })).toThrow(/S3_BUCKET: is required when STORAGE_DRIVER=s3/);
    expect(() => parseConfig({ STORAGE_DRIVER: "s3", S3_BUCKET: "b", S3_ACCESS_KEY_ID: "id" })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => parseConfig({ STORAGE_DRIVER: "ftp" })).toThrow(/STORAGE_DRIVER/);
    const config = parseConfig({ STORAGE_DRIVER: "s3", S3_BUCKET: "b" });
    expect(config).toMatchObject({ S3_REGION: "us-east-1", S3_FORCE_PATH_STYLE: false });
    expect(s3ClientConfig(config)).not.toHaveProperty("credentials");
    expect(parseConfig({}).STORAGE_DRIVER).toBe("local");
  });
});
