import { z } from "zod";
import { listReplies } from "@/lib/comments";
import { route } from "@/lib/http";

const params = z.object({ id: z.string().min(1).max(64) });
const query = z.object({ cursor: z.string().max(256).optional() });

export const GET = route({ route: "/api/comments/[id]/replies", auth: "optional", params, query }, ({ user, params, query }) =>
  listReplies(user, params.id, query.cursor),
);
