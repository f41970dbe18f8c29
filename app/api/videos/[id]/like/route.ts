import { z } from "zod";
import { route } from "@/lib/http";
import { LIMITS } from "@/lib/ratelimit";
import { likeVideo, unlikeVideo } from "@/lib/social";

const params = z.object({ id: z.string().min(1).max(64) });

export const PUT = route({ route: "/api/videos/[id]/like", auth: "required", params, rateLimit: LIMITS.like }, ({ user, params }) => likeVideo(user, params.id));
export const DELETE = route({ route: "/api/videos/[id]/like", auth: "required", params, rateLimit: LIMITS.like }, ({ user, params }) => unlikeVideo(user, params.id));
