import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { z } from "zod";
import { ingestEvents, MAX_EVENTS_PER_BATCH } from "@/lib/events";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, readDeviceCookie } from "@/lib/feed/device";
import { route } from "@/lib/http";
import { LIMITS } from "@/lib/ratelimit";
import { withSecurityHeaders } from "@/lib/security";

// Each event is checked on its own in lib/events, so one bad event is refused with a reason and the rest are kept.
const body = z.object({ events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH) });

// Viewer signals from the player: 202 {accepted, duplicates, rejected: [{index, reason}]} once they are stored.
const ingest = route({ route: "/api/events", auth: "optional", body, rateLimit: LIMITS.events }, async ({ request, user, body }) => {
  const existing = readDeviceCookie(request.headers.get("cookie"));
  // A browser that arrives on a shared link has no device id yet; it gets one here, as the feed would give it.
  const deviceId = existing ?? randomUUID();
  const result = await ingestEvents({ user, deviceId }, body.events);
  const response = NextResponse.json(result, { status: 202, headers: { "Cache-Control": "no-store" } });
  if (!existing) response.cookies.set(DEVICE_COOKIE, deviceId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: DEVICE_COOKIE_MAX_AGE });
  return response;
});

// The proxy does not run in front of this route (proxy.ts): every answer, errors included, gets its headers here.
export async function POST(request: Request, context: { params?: Promise<Record<string, string | string[]>> }): Promise<Response> {
  return withSecurityHeaders(await ingest(request, context), "/api/events");
}
