import { z } from "zod";
import { route } from "@/lib/http";
import { approveSignup } from "@/lib/users";

// Lets a pending account sign in. Admins only.
export const POST = route(
  { route: "/api/admin/signups/[handle]/approve", auth: "required", params: z.object({ handle: z.string().min(1).max(64) }) },
  ({ user, params }) => approveSignup(user, params.handle),
);
