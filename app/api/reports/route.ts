import { z } from "zod";
import { json, route } from "@/lib/http";
import { createReport, REPORT_REASONS } from "@/lib/social";

const body = z.object({
  type: z.enum(["video", "comment", "user"]),
  id: z.string().min(1).max(64),
  reason: z.enum(REPORT_REASONS),
  text: z.string().max(1000).optional(),
});

// Reports are cheap to send and costly to review: a tight per-account limit keeps one person from flooding the queue.
const REPORTS_PER_HOUR = 30;

export const POST = route(
  { route: "/api/reports", auth: "required", body, rateLimit: { name: "reports", points: REPORTS_PER_HOUR, windowSeconds: 3600 } },
  async ({ user, body }) => json(await createReport(user, body), 201),
);
