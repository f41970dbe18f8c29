import { route } from "@/lib/http";
import { listPendingSignups } from "@/lib/users";

// Accounts waiting for approval (SIGNUP_MODE=approval), oldest first, and the current sign-up mode. Admins only.
export const GET = route({ route: "/api/admin/signups", auth: "required" }, ({ user }) => listPendingSignups(user));
