import { resetSeen } from "@/lib/feed";
import { route } from "@/lib/http";

// "Reset For You": forgets which videos this account has been served, so For You starts over.
export const POST = route({ route: "/api/me/feed/reset", auth: "required" }, async ({ user }) => {
  await resetSeen(user.id);
  return { ok: true };
});
