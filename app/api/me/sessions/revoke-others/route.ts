import { revokeOtherSessions } from "@/lib/auth";
import { route } from "@/lib/http";

// "Sign out everywhere else": the caller's own session stays; through an API token, every session ends.
export const POST = route({ route: "/api/me/sessions/revoke-others", auth: "required" }, async ({ user }) => ({
  revoked: await revokeOtherSessions(user.id, user.sessionId),
}));
