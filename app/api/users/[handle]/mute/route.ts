import { z } from "zod";
import { route } from "@/lib/http";
import { muteUser, unmuteUser } from "@/lib/safety";

const params = z.object({ handle: z.string().min(1).max(64) });

export const POST = route({ route: "/api/users/[handle]/mute", auth: "required", params }, ({ user, params }) => muteUser(user, params.handle));
export const DELETE = route({ route: "/api/users/[handle]/mute", auth: "required", params }, ({ user, params }) =>
  unmuteUser(user, params.handle),
);
