import { z } from "zod";
import { route } from "@/lib/http";
import { rejectSignup } from "@/lib/users";

// Refuses a pending sign-up: the account is deleted. Admins only.
export const DELETE = route(
  { route: "/api/admin/signups/[handle]", auth: "required", params: z.object({ handle: z.string().min(1).max(64) }) },
  ({ user, params }) => rejectSignup(user, params.handle),
);
