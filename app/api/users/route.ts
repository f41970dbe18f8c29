import { json, route } from "@/lib/http";
import { LIMITS } from "@/lib/ratelimit";
import { signUpAccount, signUpSchema } from "@/lib/users";

// Sign-up: creates the account as the instance's sign-up mode allows (403 when closed; "pending" when accounts need an
// admin's approval). The page then signs in through next-auth, unless the account is pending.
export const POST = route({ route: "/api/users", auth: "optional", body: signUpSchema, rateLimit: LIMITS.signup }, async ({ body }) => {
  const account = await signUpAccount(body);
  return json(account, 201, { location: `/@${account.handle}` });
});
