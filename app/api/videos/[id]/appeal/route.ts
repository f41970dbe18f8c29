import { z } from "zod";
import { route } from "@/lib/http";
import { APPEAL_MAX_LENGTH, appealVideo } from "@/lib/moderation";

const body = z.object({ text: z.string().min(1, "Say why the decision should change.").max(APPEAL_MAX_LENGTH) });

// The creator appeals a moderation decision on their video, once.
export const POST = route(
  { route: "/api/videos/[id]/appeal", auth: "required", params: z.object({ id: z.string().min(1).max(64) }), body },
  ({ user, params, body }) => appealVideo(user, params.id, body.text),
);
