import { z } from "zod";
import { json, route } from "@/lib/http";
import { LIMITS } from "@/lib/ratelimit";
import { createReport, REPORT_REASONS } from "@/lib/social";

const body = z.object({
  type: z.enum(["video", "comment", "user"]),
  id: z.string().min(1).max(64),
  reason: z.enum(REPORT_REASONS),
  text: z.string().max(1000).optional(),
});

export const POST = route(
  { route: "/api/reports", auth: "required", body, rateLimit: LIMITS.report },
  async ({ user, body }) => json(await createReport(user, body), 201),
);
