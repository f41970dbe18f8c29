// Runs before every page and API route (not before Next's static chunks; nor tus uploads, whose bodies the proxy would
// buffer in memory; nor media files, where every video segment would pay for the hop; nor POST /api/events, the
// busiest route, where the hop halved throughput (docs/BENCHMARKS.md, Events). Those routes set the same headers
// themselves):
//   - an address with a malformed %-escape is answered 400 here: past this point Next.js fails to decode it while
//     matching a dynamic route and answers a bare 500;
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
  if (!isDecodable(pathname)) return malformedAddress(isData, headers);
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

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function malformedAddress(isData: boolean, headers: Record<string, string>): NextResponse {
  const message = "This address is not valid: it has a malformed %-escape.";
  const response = isData
    ? NextResponse.json({ error: { code: "bad_request", message } }, { status: 400 })
    : new NextResponse(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  // The page policy is for pages that carry its nonce; this plain answer runs nothing.
  for (const [name, value] of Object.entries({ ...headers, "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox" })) {
    response.headers.set(name, value);
  }
  return response;
}

export const config = { matcher: ["/((?!_next/static|_next/image|api/uploads|api/events|media/).*)"] };
