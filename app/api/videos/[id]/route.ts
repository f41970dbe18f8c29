import { z } from "zod";
import { route } from "@/lib/http";
import { deleteVideo, getVideo, updateVideo, updateVideoSchema } from "@/lib/videos/service";

const params = z.object({ id: z.string().min(1).max(64) });

export const GET = route({ route: "/api/videos/[id]", auth: "optional", params }, ({ user, params }) => getVideo(user, params.id));

export const PATCH = route(
  { route: "/api/videos/[id]", auth: "required", params, body: updateVideoSchema },
  ({ user, params, body }) => updateVideo(user, params.id, body),
);

export const DELETE = route({ route: "/api/videos/[id]", auth: "required", params }, async ({ user, params }) => {
  await deleteVideo(user, params.id);
  return { ok: true };
});
