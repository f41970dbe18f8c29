import { route } from "@/lib/http";
import { commentSettingsSchema, getCommentSettings, updateCommentSettings } from "@/lib/safety";

// Who may comment on your videos, and the words that hide a comment from everyone but its writer.
export const GET = route({ route: "/api/me/comment-settings", auth: "required" }, ({ user }) => getCommentSettings(user.id));

export const PATCH = route({ route: "/api/me/comment-settings", auth: "required", body: commentSettingsSchema }, ({ user, body }) =>
  updateCommentSettings(user.id, body),
);
