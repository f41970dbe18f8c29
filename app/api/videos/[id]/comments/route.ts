import { z } from "zod";
import { COMMENT_MAX_LENGTH, createComment, listComments } from "@/lib/comments";
import { json, route } from "@/lib/http";
import { LIMITS } from "@/lib/ratelimit";

const params = z.object({ id: z.string().min(1).max(64) });
const query = z.object({ order: z.enum(["newest", "top"]).default("newest"), cursor: z.string().max(256).optional() });
const body = z.object({ body: z.string().max(COMMENT_MAX_LENGTH * 2), parentId: z.string().min(1).max(64).optional() });

export const GET = route({ route: "/api/videos/[id]/comments", auth: "optional", params, query }, ({ user, params, query }) =>
  listComments(user, params.id, query.order, query.cursor),
);

export const POST = route({ route: "/api/videos/[id]/comments", auth: "required", params, body, rateLimit: LIMITS.comment }, async ({ user, params, body }) =>
  json(await createComment(user, params.id, body), 201),
);
