import { z } from "zod";
import { route } from "@/lib/http";
import { decideCase } from "@/lib/moderation";

const body = z.object({
  action: z.enum(["dismiss", "hide", "delete", "ban"], { message: "action must be dismiss, hide, delete or ban." }),
  note: z.string().max(2000).default(""),
});

// A moderator's decision on an open case, with a note for the audit trail. Moderators and admins.
export const POST = route(
  { route: "/api/admin/moderation/[id]", auth: "required", params: z.object({ id: z.string().min(1).max(64) }), body },
  ({ user, params, body }) => decideCase(user, params.id, body.action, body.note),
);
