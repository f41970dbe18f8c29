import { json, route } from "@/lib/http";
import { createVideo, createVideoSchema } from "@/lib/videos/service";

// Publish a finished upload: validated with ffprobe here, then queued for processing.
export const POST = route({ route: "/api/videos", auth: "required", body: createVideoSchema }, async ({ user, body }) => {
  const created = await createVideo(user, body);
  return json(created, 201, { location: `/api/videos/${created.id}` });
});
