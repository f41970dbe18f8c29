import { z } from "zod";
import { route } from "@/lib/http";
import { retryVideo } from "@/lib/videos/service";

export const POST = route(
  { route: "/api/videos/[id]/retry", auth: "required", params: z.object({ id: z.string().min(1).max(64) }) },
  ({ user, params }) => retryVideo(user, params.id),
);
