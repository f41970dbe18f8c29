import { z } from "zod";
import { route } from "@/lib/http";
import { updateUser, updateUserSchema } from "@/lib/admin";

// Changes an account's role or bans/unbans it: {"role"?, "status"?: "active"|"banned", "note"?}. Admins only.
export const PATCH = route(
  { route: "/api/admin/users/[handle]", auth: "required", params: z.object({ handle: z.string().min(1).max(64) }), body: updateUserSchema },
  ({ user, params, body }) => updateUser(user, params.handle, body),
);
