// Drives the tus protocol and the publishing API as a script (or tus-js-client) would.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { api, baseUrl, freshIp } from "../helpers";

const TUS = { "tus-resumable": "1.0.0" };

export type Auth = { token: string; ip?: string };

export async function createTusUpload(auth: Auth, size: number, filename: string): Promise<Response> {
  const metadata = `filename ${Buffer.from(filename).toString("base64")}`;
  return fetch(`${baseUrl()}/api/uploads`, {
    method: "POST",
    headers: { ...TUS, authorization: `Bearer ${auth.token}`, "upload-length": String(size), "upload-metadata": metadata, "x-forwarded-for": auth.ip ?? freshIp() },
  });
}

export async function patchTus(auth: Auth, location: string, offset: number, bytes: Uint8Array): Promise<Response> {
  return fetch(`${baseUrl()}${location}`, {
    method: "PATCH",
    headers: { ...TUS, authorization: `Bearer ${auth.token}`, "upload-offset": String(offset), "content-type": "application/offset+octet-stream" },
    body: new Blob([new Uint8Array(bytes)]),
  });
}

export async function headTus(auth: Auth, location: string): Promise<Response> {
  return fetch(`${baseUrl()}${location}`, { method: "HEAD", headers: { ...TUS, authorization: `Bearer ${auth.token}` } });
}

/** Uploads a whole file in two PATCH requests (exercising resumption) and returns the upload id. */
export async function uploadFile(auth: Auth, file: string): Promise<string> {
  const bytes = new Uint8Array(await readFile(file));
  const created = await createTusUpload(auth, bytes.length, path.basename(file));
  expect(created.status, await created.clone().text()).toBe(201);
  const location = created.headers.get("location")!;
  const half = Math.floor(bytes.length / 2);
  expect((await patchTus(auth, location, 0, bytes.subarray(0, half))).status).toBe(204);
  const offset = Number((await headTus(auth, location)).headers.get("upload-offset"));
  expect(offset).toBe(half);
  expect((await patchTus(auth, location, offset, bytes.subarray(offset))).status).toBe(204);
  return location.split("/").pop()!;
}

export async function publish(auth: Auth, uploadId: string, extra: Record<string, unknown> = {}) {
  return api("/api/videos", { method: "POST", token: auth.token, body: { uploadId, caption: "test #clip", visibility: "public", ...extra } });
}

/** Polls GET /api/videos/:id until it leaves "processing" (or the time runs out). */
export async function waitForVideo(auth: Auth, id: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await api(`/api/videos/${id}`, { token: auth.token })).body;
    if (last?.status && last.status !== "processing") return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`video ${id} still processing after ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

/**
 * Polls GET /api/videos/:id until it failed, or is ready and the moderation stage (after feature extraction) has
 * decided: only then do other viewers' feeds, search and pages show it (if approved).
 */
export async function waitForModeration(auth: Auth, id: string, timeoutMs = 180_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await api(`/api/videos/${id}`, { token: auth.token })).body;
    if (last?.status === "failed" || (last?.status === "ready" && last.moderation !== "pending")) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`video ${id} not through moderation after ${timeoutMs} ms: ${JSON.stringify(last)}`);
}
