import { z } from "zod";
import { getVideoAnalytics } from "@/lib/analytics";
import { route } from "@/lib/http";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD");
const query = z.object({ from: day.optional(), to: day.optional() });
const params = z.object({ id: z.string().min(1).max(64) });

// One video's analytics for its creator: 403 for another creator's video, 404 for one the caller cannot see.
export const GET = route(
  { route: "/api/studio/videos/[id]/analytics", auth: "required", query, params },
  async ({ user, query, params }) => getVideoAnalytics(user, params.id, query),
);
