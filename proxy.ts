// Runs before the feed page: gives a signed-out browser its anonymous device id on its very first visit, so the
// server-rendered first page of For You is already remembered as seen and the next pages never repeat it. The id is
// added to this request too, so the page rendering now reads the same id the browser will send from now on.
import { NextResponse, type NextRequest } from "next/server";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE } from "@/lib/feed/device";

export function proxy(request: NextRequest): NextResponse {
  if (request.cookies.get(DEVICE_COOKIE)) return NextResponse.next();
  const deviceId = crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set("cookie", [request.headers.get("cookie"), `${DEVICE_COOKIE}=${deviceId}`].filter(Boolean).join("; "));
  const response = NextResponse.next({ request: { headers } });
  response.cookies.set(DEVICE_COOKIE, deviceId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: DEVICE_COOKIE_MAX_AGE });
  return response;
}

export const config = { matcher: ["/"] };
