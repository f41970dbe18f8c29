import { z } from "zod";
import { route } from "@/lib/http";
import { recordShare } from "@/lib/social";

const params = z.object({ id: z.string().min(1).max(64) });

export const POST = route({ route: "/api/videos/[id]/share", auth: "optional", params }, ({ user, params }) => recordShare(user, params.id));
