import { z } from "zod";
import { revokeOwnSession } from "@/lib/auth";
import { route } from "@/lib/http";

export const DELETE = route(
  { route: "/api/me/sessions/[id]", auth: "required", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ user, params }) => {
    await revokeOwnSession(user.id, params.id);
    return { ok: true };
  },
);
