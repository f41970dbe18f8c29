import { route } from "@/lib/http";
import { getMe } from "@/lib/users";

export const GET = route({ route: "/api/me", auth: "required" }, async ({ user }) => getMe(user));
