import { z } from "zod";
import { getStudioOverview } from "@/lib/analytics";
import { route } from "@/lib/http";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD");
const query = z.object({ from: day.optional(), to: day.optional() });

// The signed-in creator's totals, follower growth and per-video numbers over a range of days (default: four weeks).
export const GET = route({ route: "/api/studio/overview", auth: "required", query }, async ({ user, query }) => getStudioOverview(user, query));
