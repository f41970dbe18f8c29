import { z } from "zod";
import { route } from "@/lib/http";
import { blockUser, unblockUser } from "@/lib/safety";

const params = z.object({ handle: z.string().min(1).max(64) });

// Blocking also ends follows both ways; unblocking does not restore them.
export const POST = route({ route: "/api/users/[handle]/block", auth: "required", params }, ({ user, params }) => blockUser(user, params.handle));
export const DELETE = route({ route: "/api/users/[handle]/block", auth: "required", params }, ({ user, params }) =>
  unblockUser(user, params.handle),
);
