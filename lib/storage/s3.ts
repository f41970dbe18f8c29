// The S3-compatible backend (AWS S3, MinIO, Ceph RGW, R2, …) over @aws-sdk/client-s3. Objects keep the content type
// and cache policy given at put time. Puts are atomic for readers: S3 publishes an object only when PutObject or
// CompleteMultipartUpload succeeds.
import { createHash } from "node:crypto";
import { open, stat } from "node:fs/promises";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import type { Config } from "../env";
import { planDirectoryUpload, runWithConcurrency, storePlanned } from "./directory";
import { assertSafeKey, contentTypeFor, normalizePrefix } from "./keys";
import type { ByteRange, ObjectInfo, PutFileOptions, Storage, StoredObject } from "./types";

// Files up to this size go up in one PutObject from memory, so the SDK can retry them (a consumed stream cannot be
// re-sent); larger ones go up as multipart uploads of this part size. 16 MiB holds any HLS segment in one request.
const PART_SIZE = 16 * 1024 * 1024;
const PART_CONCURRENCY = 4; // parts in flight per large file: 64 MiB of buffers, enough to fill a gigabit link
const DIRECTORY_CONCURRENCY = 8; // files in flight per putDirectory: S3 latency is per request, so overlap them
const DELETE_BATCH = 1000; // the most keys one DeleteObjects (and one ListObjectsV2 page) accepts

/** The S3 client settings for Flick's configuration. */
export function s3ClientConfig(config: Pick<Config, "S3_REGION" | "S3_ENDPOINT" | "S3_ACCESS_KEY_ID" | "S3_SECRET_ACCESS_KEY" | "S3_FORCE_PATH_STYLE">): S3ClientConfig {
  return {
    region: config.S3_REGION,
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    // Without keys the SDK's default chain applies (environment, shared config, instance or task role).
    ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY } }
      : {}),
    // Checksums only where S3 requires them: many S3-compatible servers reject the SDK's default CRC32 trailers.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  };
}

/**
 * An S3 client that sends Content-MD5 (not CRC32) with DeleteObjects, which S3 itself accepts and S3-compatible
 * servers such as older MinIO require. The SDK's documented fallback (supplemental-docs/MD5_FALLBACK.md).
 */
export function createS3Client(config: S3ClientConfig): S3Client {
  const client = new S3Client(config);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = (args as { request?: { headers: Record<string, string>; body?: unknown } }).request;
      if (context.commandName !== "DeleteObjectsCommand" || !request || typeof request.body !== "string") return next(args);
      for (const header of Object.keys(request.headers)) {
        const name = header.toLowerCase();
        if (name.startsWith("x-amz-checksum-") || name.startsWith("x-amz-sdk-checksum-")) delete request.headers[header];
      }
      request.headers["content-md5"] = createHash("md5").update(request.body).digest("base64");
      return next(args);
    },
    // "low" runs after the SDK's own checksum middleware in the same step, and before signing.
    { step: "build", priority: "low", name: "flickDeleteObjectsContentMd5" },
  );
  return client;
}

export function createS3Storage(options: { bucket: string; client: S3Client }): Storage {
  const { bucket, client } = options;

  async function putFile(key: string, localPath: string, put: PutFileOptions): Promise<void> {
    assertSafeKey(key);
    const { size } = await stat(localPath);
    if (size <= PART_SIZE) {
      const handle = await open(localPath, "r");
      const body = await handle.readFile().finally(() => handle.close());
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: put.contentType, CacheControl: put.cacheControl }),
      );
      return;
    }
    await putMultipart(key, localPath, size, put);
  }

  async function putMultipart(key: string, localPath: string, size: number, put: PutFileOptions): Promise<void> {
    const created = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: put.contentType, CacheControl: put.cacheControl }),
    );
    const uploadId = created.UploadId;
    if (!uploadId) throw new Error(`S3 did not start a multipart upload for ${key}.`);
    const handle = await open(localPath, "r");
    try {
      const partNumbers = Array.from({ length: Math.ceil(size / PART_SIZE) }, (_, index) => index + 1);
      const etags = new Map<number, string>();
      await runWithConcurrency(partNumbers, PART_CONCURRENCY, async (partNumber) => {
        const offset = (partNumber - 1) * PART_SIZE;
        const body = Buffer.alloc(Math.min(PART_SIZE, size - offset));
        await handle.read(body, 0, body.length, offset);
        const part = await client.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body }),
        );
        if (!part.ETag) throw new Error(`S3 returned no ETag for part ${partNumber} of ${key}.`);
        etags.set(partNumber, part.ETag);
      });
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: partNumbers.map((PartNumber) => ({ PartNumber, ETag: etags.get(PartNumber)! })) },
        }),
      );
    } catch (error) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
      throw error;
    } finally {
      await handle.close();
    }
  }

  async function read(key: string, range?: { start: number; end?: number }): Promise<StoredObject | null> {
    assertSafeKey(key);
    try {
      const output = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end ?? ""}` } : {}) }),
      );
      if (!output.Body) throw new Error(`S3 returned no body for ${key}.`);
      const served = range ? parseContentRange(output.ContentRange) : undefined;
      // A server that ignored Range would hand back the whole object where a part was promised.
      if (range && !served) throw new Error(`S3 answered a range request for ${key} without a Content-Range.`);
      return {
        body: output.Body.transformToWebStream() as ReadableStream<Uint8Array>,
        size: served ? served.size : (output.ContentLength ?? 0),
        contentType: output.ContentType ?? contentTypeFor(key),
        cacheControl: output.CacheControl ?? "private, max-age=60",
        ...(output.ETag ? { etag: output.ETag } : {}),
        ...(served ? { range: { start: served.start, end: served.end } } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      if (statusOf(error) === 416) throw new RangeError(`Byte range ${range?.start}-${range?.end ?? ""} is outside ${key}.`);
      throw error;
    }
  }

  async function statKey(key: string): Promise<ObjectInfo | null> {
    assertSafeKey(key);
    try {
      const output = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        size: output.ContentLength ?? 0,
        contentType: output.ContentType ?? contentTypeFor(key),
        ...(output.ETag ? { etag: output.ETag } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Every object under the folder, one ListObjectsV2 page at a time. */
  async function* listPages(prefix: string): AsyncGenerator<Array<{ key: string; size: number }>> {
    const folder = `${normalizePrefix(prefix)}/`;
    let continuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: folder, MaxKeys: DELETE_BATCH, ContinuationToken: continuationToken }),
      );
      yield (page.Contents ?? []).flatMap((item) => (item.Key ? [{ key: item.Key, size: item.Size ?? 0 }] : []));
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  async function deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    for await (const page of listPages(prefix)) {
      if (page.length === 0) continue;
      const output = await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: page.map((item) => ({ Key: item.key })), Quiet: true } }),
      );
      const failed = output.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0]!;
        throw new Error(`S3 could not delete ${failed.length} object(s) under ${prefix}, e.g. ${first.Key}: ${first.Code} ${first.Message ?? ""}`.trim());
      }
      deleted += page.length;
    }
    return deleted;
  }

  async function deleteFile(key: string): Promise<void> {
    assertSafeKey(key);
    // S3 answers 204 whether or not the object existed, which is the contract here.
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  async function usage(prefix: string): Promise<number> {
    let bytes = 0;
    for await (const page of listPages(prefix)) for (const item of page) bytes += item.size;
    return bytes;
  }

  return {
    putFile,
    async putDirectory(prefix, localDir, options) {
      const planned = await planDirectoryUpload(prefix, localDir, options);
      await storePlanned(planned, DIRECTORY_CONCURRENCY, (file) => putFile(file.key, file.localPath, file));
      return planned.map((file) => file.key);
    },
    read,
    stat: statKey,
    deletePrefix,
    deleteFile,
    usage,
  };
}

export function createS3StorageFromConfig(config: Config): Storage {
  if (!config.S3_BUCKET) throw new Error("S3_BUCKET is not set; it is required when STORAGE_DRIVER=s3 (see .env.example).");
  return createS3Storage({ bucket: config.S3_BUCKET, client: createS3Client(s3ClientConfig(config)) });
}

/** `bytes 0-99/1234` → the served range and the whole object's size. */
function parseContentRange(header: string | undefined): (ByteRange & { size: number }) | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? "");
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** A missing object; a missing bucket (NoSuchBucket) is a configuration error and stays one. */
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === "NoSuchKey" || name === "NotFound";
}
