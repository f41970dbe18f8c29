import { z } from "zod";
import { route } from "@/lib/http";
import { LIMITS } from "@/lib/ratelimit";
import { followUser, unfollowUser } from "@/lib/social";

const params = z.object({ handle: z.string().min(1).max(64) });

export const PUT = route({ route: "/api/users/[handle]/follow", auth: "required", params, rateLimit: LIMITS.follow }, ({ user, params }) => followUser(user, params.handle));
export const DELETE = route({ route: "/api/users/[handle]/follow", auth: "required", params, rateLimit: LIMITS.follow }, ({ user, params }) =>
  unfollowUser(user, params.handle),
);
