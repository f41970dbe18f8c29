import { route } from "@/lib/http";
import { listModerationQueue } from "@/lib/moderation";

// The review queue: open cases and appeals, most severe and most reported first. Moderators and admins.
export const GET = route({ route: "/api/admin/moderation", auth: "required" }, ({ user }) => listModerationQueue(user));
