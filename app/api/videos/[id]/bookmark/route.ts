import { z } from "zod";
import { route } from "@/lib/http";
import { bookmarkVideo, unbookmarkVideo } from "@/lib/social";

const params = z.object({ id: z.string().min(1).max(64) });

export const PUT = route({ route: "/api/videos/[id]/bookmark", auth: "required", params }, ({ user, params }) => bookmarkVideo(user, params.id));
export const DELETE = route({ route: "/api/videos/[id]/bookmark", auth: "required", params }, ({ user, params }) =>
  unbookmarkVideo(user, params.id),
);
