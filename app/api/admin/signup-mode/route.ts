import { route } from "@/lib/http";
import { setSignupMode, signupModeSchema } from "@/lib/users";

// Opens, closes or gates sign-ups without a restart: {"mode":"open"|"approval"|"closed"}. Admins only.
export const PUT = route({ route: "/api/admin/signup-mode", auth: "required", body: signupModeSchema }, ({ user, body }) =>
  setSignupMode(user, body.mode),
);
