import { z } from "zod";
import { route } from "@/lib/http";
import { APPEAL_MAX_LENGTH, appealComment } from "@/lib/moderation";

const body = z.object({ text: z.string().min(1, "Say why the decision should change.").max(APPEAL_MAX_LENGTH) });

// A comment's author appeals a moderator's decision to hide or delete it, once.
export const POST = route(
  { route: "/api/comments/[id]/appeal", auth: "required", params: z.object({ id: z.string().min(1).max(64) }), body },
  ({ user, params, body }) => appealComment(user, params.id, body.text),
);
