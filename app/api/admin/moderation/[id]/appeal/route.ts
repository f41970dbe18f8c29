import { z } from "zod";
import { route } from "@/lib/http";
import { decideAppeal } from "@/lib/moderation";

const body = z.object({
  decision: z.enum(["uphold", "reverse"], { message: "decision must be uphold or reverse." }),
  note: z.string().max(2000).default(""),
});

// Decides a creator's appeal: uphold keeps the action, reverse undoes it. Moderators and admins.
export const POST = route(
  { route: "/api/admin/moderation/[id]/appeal", auth: "required", params: z.object({ id: z.string().min(1).max(64) }), body },
  ({ user, params, body }) => decideAppeal(user, params.id, body.decision, body.note),
);
