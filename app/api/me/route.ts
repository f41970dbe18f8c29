import { route } from "@/lib/http";
import { getMe, profileUpdateSchema, updateProfile } from "@/lib/users";

export const GET = route({ route: "/api/me", auth: "required" }, async ({ user }) => getMe(user));

// Display name and bio; the handle and e-mail are not changed here.
export const PATCH = route({ route: "/api/me", auth: "required", body: profileUpdateSchema }, async ({ user, body }) =>
  updateProfile(user, body),
);
