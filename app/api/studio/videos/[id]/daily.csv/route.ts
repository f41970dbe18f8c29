import { z } from "zod";
import { getVideoDailyCsv } from "@/lib/analytics";
import { route } from "@/lib/http";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD");
const query = z.object({ from: day.optional(), to: day.optional() });
const params = z.object({ id: z.string().min(1).max(64) });

// A video's daily stats as a CSV download, with the same permissions as its analytics.
export const GET = route({ route: "/api/studio/videos/[id]/daily.csv", auth: "required", query, params }, async ({ user, query, params }) => {
  const { filename, csv } = await getVideoDailyCsv(user, params.id, query);
  return new Response(csv, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" },
  });
});
