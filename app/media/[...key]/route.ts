// The one place stored files are served from: /media/<key>, e.g. /media/videos/<id>/<version>/360p/seg_00001.m4s.
// Validates the key before anything touches storage, applies the video's permissions, then serves with ranges and
// conditional requests (lib/storage/serve.ts). Not under /api and not wrapped by route(): media is fetched per
// segment, so it is not rate limited (that belongs to the CDN or proxy in front) and a session is looked up only when
// the file is not public.
import { authenticateRequest, getSessionUser, type AuthUser } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { errorJson } from "@/lib/http";
import { getLogger } from "@/lib/logger";
import { getMetrics } from "@/lib/metrics";
import { withSecurityHeaders } from "@/lib/security";
import { assertSafeKey, getStorage } from "@/lib/storage";
import { noStore, serveObject } from "@/lib/storage/serve";
import { authorizeMediaKey } from "@/lib/videos/media-access";

export const dynamic = "force-dynamic";

const ROUTE = "/media/[...key]";

type Context = { params: Promise<{ key: string[] }> };

export async function GET(request: Request, context: Context): Promise<Response> {
  const started = performance.now();
  let response: Response;
  try {
    response = await serveMedia(request, (await context.params).key);
  } catch (error) {
    response = errorResponse(error, request);
  }
  // Set here rather than by proxy.ts, which media requests skip: a segment request should not pay for the proxy hop.
  withSecurityHeaders(response, ROUTE);
  getMetrics().httpDuration.labels(request.method, ROUTE, String(response.status)).observe((performance.now() - started) / 1000);
  return response;
}

export const HEAD = GET;

async function serveMedia(request: Request, segments: string[] | undefined): Promise<Response> {
  // Next hands over the path segments percent-decoded, so "..%2F" arrives as "../" and is refused here.
  const key = (segments ?? []).join("/");
  assertSafeKey(key);
  // A bearer token, when sent, must be valid (401 otherwise) even for public files, as on every API route.
  const bearerUser = request.headers.has("authorization") ? await authenticateRequest(request) : null;
  const identify = async (): Promise<AuthUser | null> => bearerUser ?? (await getSessionUser());
  const access = await authorizeMediaKey(key, identify);
  if (!access) return noStore(errorJson("not_found", "No such media file.", 404));
  return serveObject(getStorage(), key, request, access);
}

function errorResponse(error: unknown, request: Request): Response {
  if (isAppError(error)) return noStore(errorJson(error.code, error.message, error.status, error.details));
  getLogger().error({ err: error, route: ROUTE, method: request.method }, "unhandled error serving media");
  return noStore(errorJson("internal", "Something went wrong on our side. It has been logged; please try again.", 500));
}
