import { getConfig } from "@/lib/env";
import { json, route } from "@/lib/http";
import { createUser, signUpSchema } from "@/lib/users";

// Sign-up: creates the account; the page then signs in through next-auth.
export const POST = route(
  {
    route: "/api/users",
    auth: "optional",
    body: signUpSchema,
    rateLimit: () => ({ name: "signup", points: getConfig().SIGNUP_RATE_LIMIT, windowSeconds: 3600 }),
  },
  async ({ body }) => {
    const user = await createUser(body);
    return json({ id: user.id, handle: user.handle, role: user.role.toLowerCase() }, 201, { location: `/@${user.handle}` });
  },
);
