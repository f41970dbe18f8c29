import { refreshForYou } from "@/lib/feed";
import { route } from "@/lib/http";

// "Refresh your For You": forgets what this account was served and what the recommender learned about it.
export const POST = route({ route: "/api/me/feed/reset", auth: "required" }, async ({ user }) => {
  await refreshForYou(user.id);
  return { ok: true };
});
