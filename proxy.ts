// Runs before every page, API route and media file (not before Next's static chunks, nor tus uploads, whose bodies
// the proxy would buffer in memory):
//   - security headers on every response (lib/security/headers.ts), with a fresh CSP nonce for pages: Next.js reads
//     it from the request's Content-Security-Policy header and puts it on its own scripts;
//   - the feed page: a signed-out browser gets its anonymous device id on its very first visit, so the server-rendered
//     first page of For You is already remembered as seen and the next pages never repeat it. The id is added to this
//     request too, so the page rendering now reads the same id the browser will send from now on.
import { NextResponse, type NextRequest } from "next/server";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE } from "@/lib/feed/device";
import { createNonce, securityContext, securityHeaders } from "@/lib/security";

export function proxy(request: NextRequest): NextResponse {
  const { pathname } = request.nextUrl;
  const isData = pathname.startsWith("/api/") || pathname.startsWith("/media/");
  const nonce = isData ? undefined : createNonce();
  const headers = securityHeaders(securityContext(), pathname, nonce);
  const requestHeaders = new Headers(request.headers);
  if (nonce) requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]!);

  let deviceId: string | null = null;
  if (pathname === "/" && !request.cookies.get(DEVICE_COOKIE)) {
    deviceId = crypto.randomUUID();
    requestHeaders.set("cookie", [request.headers.get("cookie"), `${DEVICE_COOKIE}=${deviceId}`].filter(Boolean).join("; "));
  }

  const response = nonce || deviceId ? NextResponse.next({ request: { headers: requestHeaders } }) : NextResponse.next();
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  if (deviceId) {
    response.cookies.set(DEVICE_COOKIE, deviceId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: DEVICE_COOKIE_MAX_AGE });
  }
  return response;
}

export const config = { matcher: ["/((?!_next/static|_next/image|api/uploads).*)"] };
