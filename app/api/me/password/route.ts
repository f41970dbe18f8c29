import { route } from "@/lib/http";
import { changePassword, passwordChangeSchema } from "@/lib/users";

// Each attempt verifies and hashes with Argon2, and a wrong current password is a guess: ten an hour per account.
const PASSWORD_RATE_LIMIT = { name: "password", points: 10, windowSeconds: 3600 };

export const POST = route(
  { route: "/api/me/password", auth: "required", body: passwordChangeSchema, rateLimit: PASSWORD_RATE_LIMIT },
  async ({ user, body }) => changePassword(user, body),
);
