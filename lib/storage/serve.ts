// Answering an HTTP request for a stored object: byte ranges (RFC 9110 §14), conditional requests (If-None-Match,
// If-Range), HEAD, and the headers players and caches rely on. The media route decides who may see a key; this
// module only serves it.
import { errorJson } from "../http";
import { cacheControlFor } from "./keys";
import type { ByteRange, ObjectInfo, Storage } from "./types";

/**
 * The one range a `Range` header asks for, resolved against an object of `size` bytes. Null means "send the whole
 * object": no header, another unit, several ranges (we do not send multipart/byteranges) or a malformed one, all of
 * which RFC 9110 lets a server ignore. "unsatisfiable" means answer 416.
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const unit = /^\s*bytes\s*=(.*)$/i.exec(header);
  if (!unit) return null;
  const specs = unit[1]!.split(",").map((spec) => spec.trim()).filter((spec) => spec !== "");
  if (specs.length !== 1) return null;
  const match = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!match) return null;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  // An empty object has no byte to point at; the whole (empty) object is the honest answer.
  if (size === 0) return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}

/** Serves `key` from `storage` for a GET or HEAD, honouring Range, If-None-Match and If-Range. */
export async function serveObject(storage: Storage, key: string, request: Request, options: { isPublic: boolean }): Promise<Response> {
  // no-transform: Next's own gzip (and proxies) would otherwise compress text types such as .vtt, which breaks byte
  // ranges (Content-Range counts the stored bytes) and ETags.
  const cacheControl = `${cacheControlFor(key, options)}, no-transform`;
  const isHead = request.method.toUpperCase() === "HEAD";
  const rangeHeader = request.headers.get("range");
  const ifNoneMatch = request.headers.get("if-none-match");

  // The common case, a plain GET, costs one storage call; everything else needs size and ETag first.
  if (!isHead && rangeHeader === null && ifNoneMatch === null) {
    const object = await storage.read(key);
    if (!object) return notFound();
    return new Response(object.body, { status: 200, headers: objectHeaders(object, object.size, cacheControl) });
  }

  const info = await storage.stat(key);
  if (!info) return notFound();
  if (ifNoneMatch !== null && info.etag && etagListMatches(ifNoneMatch, info.etag)) {
    const headers = new Headers({ "Cache-Control": cacheControl, ETag: info.etag });
    return new Response(null, { status: 304, headers });
  }

  let range = parseRange(rangeHeader, info.size);
  // If-Range: resume only the representation the client already has part of; otherwise send it all afresh.
  const ifRange = request.headers.get("if-range");
  if (range !== null && ifRange !== null && !strongEtagEquals(ifRange, info.etag)) range = null;
  if (range === "unsatisfiable") return rangeNotSatisfiable(info.size);

  if (isHead) return new Response(null, { status: range ? 206 : 200, headers: responseHeaders(info, range, cacheControl) });

  try {
    const object = await storage.read(key, range ?? undefined);
    if (!object) return notFound();
    const served = object.range ?? null;
    return new Response(object.body, { status: served ? 206 : 200, headers: responseHeaders(object, served, cacheControl) });
  } catch (error) {
    // The object shrank between stat and read (replaced meanwhile): the range no longer fits.
    if (error instanceof RangeError) return rangeNotSatisfiable(info.size);
    throw error;
  }
}

function responseHeaders(info: ObjectInfo, range: ByteRange | null, cacheControl: string): Headers {
  if (!range) return objectHeaders(info, info.size, cacheControl);
  const headers = objectHeaders(info, range.end - range.start + 1, cacheControl);
  headers.set("Content-Range", `bytes ${range.start}-${range.end}/${info.size}`);
  return headers;
}

function objectHeaders(info: ObjectInfo, length: number, cacheControl: string): Headers {
  const headers = new Headers({
    "Content-Type": info.contentType,
    "Content-Length": String(length),
    "Accept-Ranges": "bytes",
    "Cache-Control": cacheControl,
    // Stored files are user content served from our own origin: never let a browser guess a more dangerous type.
    "X-Content-Type-Options": "nosniff",
  });
  if (info.etag) headers.set("ETag", info.etag);
  return headers;
}

function notFound(): Response {
  return noStore(errorJson("not_found", "No such media file.", 404));
}

function rangeNotSatisfiable(size: number): Response {
  const response = errorJson("range_not_satisfiable", `The requested byte range is outside this file (${size} bytes).`, 416);
  response.headers.set("Content-Range", `bytes */${size}`);
  return noStore(response);
}

/** Errors must not be cached: a 404 for a video that is private now would outlive its publication. */
export function noStore(response: Response): Response {
  response.headers.set("Cache-Control", "no-store");
  return response;
}

function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, "");
}

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2): `*` or any listed tag equal to ours, ignoring W/. */
function etagListMatches(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  const ours = opaqueTag(etag);
  return header.split(",").some((candidate) => opaqueTag(candidate) === ours);
}

/** If-Range uses strong comparison: both tags strong and identical. A date (we send no Last-Modified) never matches. */
function strongEtagEquals(header: string, etag: string | undefined): boolean {
  const theirs = header.trim();
  return !!etag && !theirs.startsWith("W/") && !etag.startsWith("W/") && theirs === etag;
}
