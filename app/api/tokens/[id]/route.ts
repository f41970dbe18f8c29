import { z } from "zod";
import { revokeApiToken } from "@/lib/auth";
import { route } from "@/lib/http";

export const DELETE = route(
  { route: "/api/tokens/[id]", auth: "required", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ user, params }) => {
    await revokeApiToken(user.id, params.id);
    return { ok: true };
  },
);
