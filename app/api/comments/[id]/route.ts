import { z } from "zod";
import { deleteComment } from "@/lib/comments";
import { route } from "@/lib/http";

const params = z.object({ id: z.string().min(1).max(64) });

export const DELETE = route({ route: "/api/comments/[id]", auth: "required", params }, ({ user, params }) => deleteComment(user, params.id));
