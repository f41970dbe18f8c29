import { z } from "zod";
import { route } from "@/lib/http";
import { getPublicProfile } from "@/lib/users";

export const GET = route(
  { route: "/api/users/[handle]", auth: "optional", params: z.object({ handle: z.string().min(1).max(64) }) },
  async ({ params, user }) => getPublicProfile(params.handle, user),
);
