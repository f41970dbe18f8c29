import { listActiveSessions } from "@/lib/auth";
import { route } from "@/lib/http";

export const GET = route({ route: "/api/me/sessions", auth: "required" }, async ({ user }) => ({
  items: await listActiveSessions(user.id, user.sessionId),
}));
