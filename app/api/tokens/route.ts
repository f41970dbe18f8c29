import { z } from "zod";
import { createApiToken, listApiTokens } from "@/lib/auth";
import { json, route } from "@/lib/http";

export const GET = route({ route: "/api/tokens", auth: "required" }, async ({ user }) => ({
  tokens: await listApiTokens(user.id),
}));

// The secret is in this response and nowhere else, ever.
export const POST = route(
  {
    route: "/api/tokens",
    auth: "required",
    body: z.object({ name: z.string().trim().min(1, "Give the token a name.").max(60, "Name must be at most 60 characters.") }),
  },
  async ({ user, body }) => {
    const { token, summary } = await createApiToken(user.id, body.name);
    return json({ token, ...summary }, 201);
  },
);
