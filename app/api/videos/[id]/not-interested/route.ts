import { z } from "zod";
import { route } from "@/lib/http";
import { markNotInterested } from "@/lib/social";

const params = z.object({ id: z.string().min(1).max(64) });

export const POST = route({ route: "/api/videos/[id]/not-interested", auth: "required", params }, ({ user, params }) =>
  markNotInterested(user, params.id),
);
