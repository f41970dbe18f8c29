import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { z } from "zod";
import { FEED_MAX_LIMIT, getFeed } from "@/lib/feed";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, parseDeviceId } from "@/lib/feed/device";
import { route } from "@/lib/http";

const query = z.object({
  tab: z.enum(["foryou", "following"]).default("foryou"),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(FEED_MAX_LIMIT).optional(),
  // For You's strategy, for admins, moderators and experiments (lib/recs/strategies.ts decides whether it is honoured).
  strategy: z.string().max(32).optional(),
});

const MOBILE = /Mobi|Android|iPhone|iPad/i;

export const GET = route({ route: "/api/feed", auth: "optional", query }, async ({ request, user, query }) => {
  const existing = readCookie(request.headers.get("cookie"), DEVICE_COOKIE);
  // Signed-out viewers are told apart by a random device id, so For You does not repeat itself for them either.
  const deviceId = parseDeviceId(existing) ?? (user ? null : randomUUID());
  const agent = request.headers.get("user-agent");
  const device = agent ? (MOBILE.test(agent) ? "mobile" : "desktop") : "unknown";
  const page = await getFeed({ user, deviceId }, { ...query, device });
  const response = NextResponse.json(page, { headers: { "Cache-Control": "private, no-store" } });
  if (deviceId && deviceId !== existing) {
    response.cookies.set(DEVICE_COOKIE, deviceId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: DEVICE_COOKIE_MAX_AGE });
  }
  return response;
});

function readCookie(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}
