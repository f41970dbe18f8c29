// Resumable uploads over the tus protocol (@tus/server, web Request/Response API) at /api/uploads. Files land in
// DATA_DIR/uploads until a video is created from them (POST /api/videos) or they are abandoned and purged.
// Limits enforced here, before a byte is stored: declared size, upload rate (per user and per IP) and storage quota. A
// browser's cookie-authenticated upload must come from Flick's own pages (lib/security/csrf.ts).
import path from "node:path";
import { FileStore } from "@tus/file-store";
import { Server, type ServerOptions } from "@tus/server";
import { authenticateRequest } from "../auth/current";
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { getConfig } from "../env";
import { AppError, isAppError } from "../errors";
import { consumeRateLimits, LIMITS } from "../ratelimit";
import { clientIp } from "../request-ip";
import { assertNotCrossSite, withSecurityHeaders } from "../security";
import { formatBytes } from "./format";

export const UPLOADS_PATH = "/api/uploads";

type TusRejection = { status_code: number; body: string };

const globalForTus = globalThis as unknown as { flickTus?: { server: Server; store: FileStore } };
const requestUsers = new WeakMap<Request, AuthUser>();

export function uploadsDirectory(): string {
  return path.join(path.resolve(getConfig().DATA_DIR), "uploads");
}

/** Where the bytes of a finished upload are on disk. */
export function uploadFilePath(uploadId: string): string {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(uploadId)) throw new AppError("not_found", "No such upload.");
  return path.join(uploadsDirectory(), uploadId);
}

function reject(error: AppError): TusRejection {
  return { status_code: error.status, body: JSON.stringify({ error: { code: error.code, message: error.message, ...error.details } }) };
}

function toRejection(error: unknown): TusRejection {
  if (isAppError(error)) return reject(error);
  throw error;
}

async function authorize(request: Request, uploadId: string): Promise<void> {
  const user = await authenticateRequest(request).catch((error) => {
    throw toRejection(error);
  });
  if (!user) throw reject(new AppError("unauthorized", "Sign in, or send an API token, to upload."));
  try {
    assertNotCrossSite(request, user.via);
  } catch (error) {
    throw toRejection(error);
  }
  requestUsers.set(request, user);
  if (request.method === "POST" || request.method === "OPTIONS" || !uploadId) return;
  const upload = await getDb().upload.findUnique({ where: { id: uploadId }, select: { userId: true, consumedAt: true } });
  if (!upload || upload.userId !== user.id || upload.consumedAt) throw reject(new AppError("not_found", "No such upload."));
}

/** Bytes a user has in storage plus what their unfinished uploads have reserved. */
export async function usedStorageBytes(userId: string): Promise<bigint> {
  const [videos, pending] = await Promise.all([
    getDb().video.aggregate({ where: { authorId: userId }, _sum: { storageBytes: true } }),
    getDb().upload.aggregate({ where: { userId, consumedAt: null }, _sum: { sizeBytes: true } }),
  ]);
  return (videos._sum.storageBytes ?? 0n) + (pending._sum.sizeBytes ?? 0n);
}

async function admitUpload(request: Request, upload: { id: string; size?: number; metadata?: Record<string, string | null> }) {
  const user = requestUsers.get(request);
  if (!user) throw reject(new AppError("unauthorized", "Sign in to upload."));
  const config = getConfig();
  const size = upload.size;
  if (size === undefined || !Number.isFinite(size)) {
    throw reject(new AppError("bad_request", "Declare the file size (Upload-Length) when starting an upload."));
  }
  if (size === 0) throw reject(new AppError("invalid_input", "This file is empty.", { reason: "not_a_video" }));
  if (size > config.UPLOAD_MAX_BYTES) {
    throw reject(
      new AppError("payload_too_large", `This file is ${formatBytes(size)}; videos can be at most ${formatBytes(config.UPLOAD_MAX_BYTES)}.`, {
        reason: "too_large",
      }),
    );
  }
  await consumeRateLimits(LIMITS.upload(), { userId: user.id, ip: clientIp(request.headers) }).catch((error) => {
    throw toRejection(error);
  });
  const used = await usedStorageBytes(user.id);
  if (used + BigInt(size) > BigInt(config.STORAGE_QUOTA_BYTES)) {
    throw reject(
      new AppError(
        "payload_too_large",
        `This upload would exceed your storage quota (${formatBytes(Number(used))} of ${formatBytes(config.STORAGE_QUOTA_BYTES)} used). Delete some videos first.`,
        { reason: "quota" },
      ),
    );
  }
  const filename = (upload.metadata?.filename ?? "").slice(0, 255);
  await getDb().upload.create({ data: { id: upload.id, userId: user.id, filename, sizeBytes: BigInt(size) } });
  return {};
}

function createTus(): { server: Server; store: FileStore } {
  const store = new FileStore({ directory: uploadsDirectory() });
  const options: Omit<ServerOptions, "locker"> & { datastore: FileStore } = {
    path: UPLOADS_PATH,
    datastore: store,
    // No tus maxSize: admitUpload checks the declared length itself so the creator gets a sentence with the limit,
    // and tus never accepts more bytes than were declared. Deferred lengths are refused there.
    relativeLocation: true,
    // Uploads that are finished and handed to a video must not be deletable through tus any more.
    disableTerminationForFinishedUploads: true,
    onIncomingRequest: authorize,
    onUploadCreate: admitUpload,
    async onUploadFinish(_request, upload) {
      await getDb().upload.update({ where: { id: upload.id }, data: { completedAt: new Date() } });
      return {};
    },
  };
  return { server: new Server(options), store };
}

function getTus(): { server: Server; store: FileStore } {
  globalForTus.flickTus ??= createTus();
  return globalForTus.flickTus;
}

/**
 * Answers one tus request (POST, HEAD, PATCH, DELETE, OPTIONS), with the security headers every other response gets
 * from proxy.ts (which skips uploads) and, on a 429, the Retry-After header that tus itself does not know to send.
 */
export async function handleTusRequest(request: Request): Promise<Response> {
  const response = await getTus().server.handleWeb(request as never);
  withSecurityHeaders(response, UPLOADS_PATH);
  if (response.status === 429) {
    const body = (await response.clone().json().catch(() => null)) as { error?: { retryAfter?: unknown } } | null;
    if (typeof body?.error?.retryAfter === "number") response.headers.set("Retry-After", String(body.error.retryAfter));
  }
  return response;
}

/** Deletes an upload's bytes and its row (abandoned, rejected, or moved into a video). */
export async function discardUpload(uploadId: string): Promise<void> {
  await getTus().store.remove(uploadId).catch(() => undefined);
  await getDb().upload.deleteMany({ where: { id: uploadId } });
}

/** Removes uploads nobody finished, or finished but never published, within `maxAgeMs`; run by maintenance. */
export async function purgeAbandonedUploads(maxAgeMs: number, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - maxAgeMs);
  const stale = await getDb().upload.findMany({ where: { consumedAt: null, createdAt: { lt: cutoff } }, select: { id: true } });
  for (const { id } of stale) await discardUpload(id);
  return stale.length;
}
