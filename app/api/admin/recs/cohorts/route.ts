import { z } from "zod";
import { canAdminister } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http";
import { cohortMetrics } from "@/lib/recs";

const query = z.object({
  // A week at most: the metrics join served rows with their events over the window.
  hours: z.coerce.number().positive().max(24 * 7).default(24),
});

// For You A/B cohorts and strategies over the last hours: impressions, mean watch fraction, completion, like and
// fast-skip rates (lib/recs cohortMetrics). Admins only.
export const GET = route({ route: "/api/admin/recs/cohorts", auth: "required", query }, async ({ user, query }) => {
  if (!canAdminister(user)) throw new AppError("forbidden", "Only admins can see recommendation cohort metrics.");
  return cohortMetrics(query.hours);
});
