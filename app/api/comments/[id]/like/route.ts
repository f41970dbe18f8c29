import { z } from "zod";
import { likeComment, unlikeComment } from "@/lib/comments";
import { route } from "@/lib/http";
import { LIMITS } from "@/lib/ratelimit";

const params = z.object({ id: z.string().min(1).max(64) });

export const PUT = route({ route: "/api/comments/[id]/like", auth: "required", params, rateLimit: LIMITS.like }, ({ user, params }) => likeComment(user, params.id));
export const DELETE = route({ route: "/api/comments/[id]/like", auth: "required", params, rateLimit: LIMITS.like }, ({ user, params }) => unlikeComment(user, params.id));
